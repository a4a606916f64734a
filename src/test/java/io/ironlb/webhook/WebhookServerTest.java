package io.ironlb.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.ironlb.source.MockApi;
import io.ironlb.source.kubernetes.KubernetesSource;
import io.ironlb.testkit.AdmissionClient;
import io.ironlb.testkit.LocalActorTestKit;
import io.ironlb.testkit.Openssl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook as the API server calls it: HTTPS with a certificate pair from a directory (made by
 * openssl, as cert-manager would), AdmissionReview in, AdmissionReview out, judged against the
 * objects stored in the (mock) API server at that moment.
 */
@EnableKubernetesMockClient(crud = true)
class WebhookServerTest {
  KubernetesClient client;
  private ActorTestKit kit;
  private final ExecutorService blocking = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    if (kit != null) {
      kit.shutdownTestKit();
    }
    blocking.shutdownNow();
  }

  /** The webhook on a free loopback port, judging against the mock API server's objects. */
  private int startWebhook(Path certs) throws Exception {
    kit = LocalActorTestKit.create();
    return WebhookServer.start(
            kit.system(),
            "127.0.0.1",
            0,
            certs,
            () -> KubernetesSource.current(client, "metallb-system"),
            "metallb-system",
            blocking)
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS)
        .localAddress()
        .getPort();
  }

  @Test
  void refusesWithMetallbsReasonAndAdmitsWhatFits(@TempDir Path certs) throws Exception {
    Openssl.selfSigned(certs, "ironlb-webhook", "IP:127.0.0.1");
    MockApi.apply(
        client,
        """
        apiVersion: metallb.io/v1beta1
        kind: BFDProfile
        metadata: {name: fast, namespace: metallb-system}
        ---
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: {name: router, namespace: metallb-system}
        spec: {myASN: 64512, peerASN: 64500, peerAddress: 10.222.0.1, bfdProfile: fast}
        """);
    int port = startWebhook(certs);
    AdmissionClient webhook =
        new AdmissionClient("https://127.0.0.1:" + port, certs.resolve("tls.crt"));

    JsonNode denied =
        webhook.post(
            "/validate-metallb-io-v1beta1-bfdprofile",
            AdmissionClient.review(
                "DELETE",
                "BFDProfile",
                "fast",
                "oldObject",
                "{\"apiVersion\":\"metallb.io/v1beta1\",\"kind\":\"BFDProfile\",\"metadata\":{\"name\":\"fast\",\"namespace\":\"metallb-system\"}}"));
    assertThat(denied.path("response").path("allowed").asBoolean()).isFalse();
    assertThat(denied.path("response").path("status").path("message").asText())
        .isEqualTo(
            "BGPPeer metallb-system/router: spec.bfdProfile: BFDProfile \"fast\" does not exist");

    JsonNode admitted = webhook.post(POOLS, createPool());
    assertThat(admitted.path("response").path("uid").asText()).isEqualTo("uid-CREATE");
  }

  /**
   * cert-manager renews the Secret and the kubelet flips the mount's {@code ..data} symlink: the
   * next connection gets the new certificate, and a pair that does not load leaves the last good
   * one in force.
   */
  @Test
  void aRenewedCertificateIsServedWithoutARestart(@TempDir Path mount) throws Exception {
    Path first = Files.createDirectory(mount.resolve("..2026_11_22_1"));
    Openssl.selfSigned(first, "ironlb-webhook-1", "IP:127.0.0.1");
    Files.createSymbolicLink(mount.resolve("..data"), first.getFileName());
    for (String file : List.of("tls.crt", "tls.key")) {
      Files.createSymbolicLink(mount.resolve(file), Path.of("..data", file));
    }
    int port = startWebhook(mount);
    String base = "https://127.0.0.1:" + port;
    assertThat(admits(new AdmissionClient(base, first.resolve("tls.crt")))).isTrue();

    Path second = Files.createDirectory(mount.resolve("..2026_11_22_2"));
    Openssl.selfSigned(second, "ironlb-webhook-2", "IP:127.0.0.1");
    flip(mount, second);
    assertThat(admits(new AdmissionClient(base, second.resolve("tls.crt")))).isTrue();
    assertThatThrownBy(() -> admits(new AdmissionClient(base, first.resolve("tls.crt"))))
        .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);

    Path broken = Files.createDirectory(mount.resolve("..2026_11_22_3"));
    Files.writeString(broken.resolve("tls.crt"), "-----BEGIN CERTIFICATE-----\nnot one\n");
    Files.copy(second.resolve("tls.key"), broken.resolve("tls.key"));
    flip(mount, broken);
    assertThat(admits(new AdmissionClient(base, second.resolve("tls.crt")))).isTrue();
  }

  /** The kubelet's atomic update of a Secret volume: a new {@code ..data} symlink renamed over. */
  private static void flip(Path mount, Path version) throws Exception {
    Path next = mount.resolve("..data_tmp");
    Files.createSymbolicLink(next, version.getFileName());
    Files.move(
        next,
        mount.resolve("..data"),
        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static final String POOLS = "/validate-metallb-io-v1beta1-ipaddresspool";

  /** A review creating a pool that fits beside everything the tests store. */
  private static String createPool() {
    return AdmissionClient.review(
        "CREATE",
        "IPAddressPool",
        "p",
        "object",
        "{\"apiVersion\":\"metallb.io/v1beta1\",\"kind\":\"IPAddressPool\",\"metadata\":{\"name\":\"p\",\"namespace\":\"metallb-system\"},\"spec\":{\"addresses\":[\"10.222.5.0/24\"]}}");
  }

  private static boolean admits(AdmissionClient webhook) throws Exception {
    return webhook.post(POOLS, createPool()).path("response").path("allowed").asBoolean();
  }
}
