package io.ironlb.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.ironlb.source.kubernetes.KubernetesSource;
import io.ironlb.testkit.AdmissionClient;
import io.ironlb.testkit.LocalActorTestKit;
import io.ironlb.testkit.Openssl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook's certificate without cert-manager, against the mock API server: the controller
 * issues it into its Secret, writes the CA into every caBundle, leaves a good one alone, renews one
 * that expires (trusting both CAs meanwhile), and serves from the moment it has one — also when the
 * certificate appears only after the process started.
 */
@EnableKubernetesMockClient(crud = true)
class WebhookCertificatesTest {
  private static final String NS = "metallb-system";
  private static final List<String> NAMES = List.of("127.0.0.1");
  KubernetesClient client;
  private ActorTestKit kit;
  private final ExecutorService blocking = Executors.newSingleThreadExecutor();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    if (kit != null) {
      kit.shutdownTestKit();
    }
    blocking.shutdownNow();
    timer.shutdownNow();
  }

  private void webhookConfiguration() {
    ValidatingWebhookConfiguration vwc =
        new ValidatingWebhookConfigurationBuilder()
            .withNewMetadata()
            .withName("ironlb-webhook")
            .endMetadata()
            .addNewWebhook()
            .withName("ipaddresspoolvalidationwebhook.metallb.io")
            .withNewClientConfig()
            .withNewService()
            .withName("ironlb-webhook")
            .withNamespace(NS)
            .endService()
            .endClientConfig()
            .endWebhook()
            .addNewWebhook()
            .withName("bgppeersvalidationwebhook.metallb.io")
            .withNewClientConfig()
            .withNewService()
            .withName("ironlb-webhook")
            .withNamespace(NS)
            .endService()
            .endClientConfig()
            .endWebhook()
            .build();
    client.admissionRegistration().v1().validatingWebhookConfigurations().resource(vwc).create();
  }

  private WebhookCertificates keeper(Instant now) {
    return new WebhookCertificates(
        client,
        NS,
        "ironlb-webhook-cert",
        "ironlb-webhook",
        NAMES,
        Clock.fixed(now, ZoneOffset.UTC));
  }

  private Secret secret() {
    return client.secrets().inNamespace(NS).withName("ironlb-webhook-cert").get();
  }

  private List<String> caBundles() {
    return client
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .withName("ironlb-webhook")
        .get()
        .getWebhooks()
        .stream()
        .map(ValidatingWebhook::getClientConfig)
        .map(c -> c.getCaBundle())
        .toList();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void issuesKeepsAndRenewsTheCertificateAndTheCaBundles() {
    webhookConfiguration();
    Instant now = Instant.parse("2026-11-29T12:00:00Z");
    ServingCertificate first = keeper(now).ensure();
    Secret stored = secret();
    assertThat(stored.getType()).isEqualTo("kubernetes.io/tls");
    assertThat(stored.getData())
        .containsEntry("tls.crt", b64(first.certificate()))
        .containsEntry("tls.key", b64(first.key()))
        .containsEntry("ca.crt", b64(first.caBundle()));
    assertThat(caBundles()).containsOnly(b64(first.caBundle())).hasSize(2);

    // A good certificate is left alone: no write.
    assertThat(keeper(now.plus(Duration.ofDays(100))).ensure()).isEqualTo(first);
    assertThat(secret().getMetadata().getResourceVersion())
        .isEqualTo(stored.getMetadata().getResourceVersion());

    // 30 days before expiry: a new pair, and the API server trusts the old CA and the new one.
    ServingCertificate renewed = keeper(now.plus(Duration.ofDays(340))).ensure();
    assertThat(renewed.certificate()).isNotEqualTo(first.certificate());
    assertThat(renewed.caBundle()).endsWith(first.currentCa());
    assertThat(secret().getData()).containsEntry("tls.crt", b64(renewed.certificate()));
    assertThat(caBundles()).containsOnly(b64(renewed.caBundle()));
  }

  @Test
  void aSecretThatIsNotAPairIsReplacedAndAStaleCaBundleRewritten() {
    webhookConfiguration();
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("ironlb-webhook-cert")
                .endMetadata()
                .addToData("tls.crt", b64("not a certificate"))
                .build())
        .create();
    ServingCertificate pair = keeper(Instant.now()).ensure();
    assertThat(secret().getData()).containsEntry("tls.crt", b64(pair.certificate()));
    assertThat(caBundles()).containsOnly(b64(pair.caBundle()));
  }

  @Test
  void theWebhookServesTheCertificateItKeeps(@TempDir Path tmp) throws Exception {
    webhookConfiguration();
    kit = LocalActorTestKit.create();
    CompletionStage<ServerBinding> bound =
        WebhookLauncher.selfManaged(
            server(), keeper(Instant.now()), timer, Duration.ofHours(1), Duration.ofMillis(200));
    int port = bound.toCompletableFuture().get(30, TimeUnit.SECONDS).localAddress().getPort();
    // The API server's view: it trusts the caBundle, and nothing else.
    Path ca = tmp.resolve("ca.crt");
    Files.writeString(
        ca, new String(Base64.getDecoder().decode(caBundles().get(0)), StandardCharsets.US_ASCII));
    assertThat(admits(new AdmissionClient("https://127.0.0.1:" + port, ca))).isTrue();
  }

  /**
   * cert-manager's Secret appears after the controller started: the webhook starts serving then (it
   * used to stay off for good, while failurePolicy Fail blocked every metallb.io write).
   */
  @Test
  void aCertificateThatAppearsLaterIsServedThen(@TempDir Path mount) throws Exception {
    kit = LocalActorTestKit.create();
    CompletionStage<ServerBinding> bound =
        WebhookLauncher.fromDirectory(server(), mount, timer, Duration.ofMillis(100));
    assertThat(bound.toCompletableFuture().isDone()).isFalse();
    Openssl.selfSigned(mount, "ironlb-webhook", "IP:127.0.0.1");
    int port = bound.toCompletableFuture().get(30, TimeUnit.SECONDS).localAddress().getPort();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                admits(new AdmissionClient("https://127.0.0.1:" + port, mount.resolve("tls.crt"))));
  }

  private WebhookLauncher.Server server() {
    return new WebhookLauncher.Server(
        kit.system(), "127.0.0.1", 0, () -> KubernetesSource.current(client, NS), NS, blocking);
  }

  private static boolean admits(AdmissionClient webhook) throws Exception {
    return webhook
        .post(
            "/validate-metallb-io-v1beta1-ipaddresspool",
            AdmissionClient.review(
                "CREATE",
                "IPAddressPool",
                "p",
                "object",
                "{\"apiVersion\":\"metallb.io/v1beta1\",\"kind\":\"IPAddressPool\",\"metadata\":{\"name\":\"p\",\"namespace\":\"metallb-system\"},\"spec\":{\"addresses\":[\"10.222.5.0/24\"]}}"))
        .path("response")
        .path("allowed")
        .asBoolean();
  }
}
