package io.ironlb.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.ironlb.source.MockApi;
import io.ironlb.source.kubernetes.KubernetesSource;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.ServerBinding;
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
  private static final ObjectMapper JSON = new ObjectMapper();
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

  private static void openssl(Path dir) throws Exception {
    Process p =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                dir.resolve("tls.key").toString(),
                "-out",
                dir.resolve("tls.crt").toString(),
                "-days",
                "1",
                "-subj",
                "/CN=ironlb-webhook",
                "-addext",
                "subjectAltName=IP:127.0.0.1")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  /** A client that trusts exactly the webhook's certificate, as the API server's caBundle does. */
  private static HttpClient trusting(Path certificate) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(certificate)) {
      trust.setCertificateEntry(
          "webhook", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(tls).build();
  }

  @Test
  void refusesWithMetallbsReasonAndAdmitsWhatFits(@TempDir Path certs) throws Exception {
    openssl(certs);
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
    kit =
        ActorTestKit.create(
            ConfigFactory.parseString("pekko.actor.provider = local")
                .withFallback(ConfigFactory.load()));
    ServerBinding binding =
        WebhookServer.start(
                kit.system(),
                "127.0.0.1",
                0,
                certs,
                () -> KubernetesSource.current(client, "metallb-system"),
                blocking)
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    int port = binding.localAddress().getPort();
    HttpClient https = trusting(certs.resolve("tls.crt"));

    JsonNode denied =
        post(
            https,
            port,
            "/validate-metallb-io-v1beta1-bfdprofile",
            review(
                "DELETE",
                "BFDProfile",
                "fast",
                "oldObject",
                "{\"apiVersion\":\"metallb.io/v1beta1\",\"kind\":\"BFDProfile\",\"metadata\":{\"name\":\"fast\",\"namespace\":\"metallb-system\"}}"));
    assertThat(denied.path("response").path("allowed").asBoolean()).isFalse();
    assertThat(denied.path("response").path("status").path("message").asText())
        .isEqualTo(
            "BGPPeer metallb-system/router: spec.bfdProfile: BFDProfile \"fast\" does not exist");

    JsonNode admitted =
        post(
            https,
            port,
            "/validate-metallb-io-v1beta1-ipaddresspool",
            review(
                "CREATE",
                "IPAddressPool",
                "p",
                "object",
                "{\"apiVersion\":\"metallb.io/v1beta1\",\"kind\":\"IPAddressPool\",\"metadata\":{\"name\":\"p\",\"namespace\":\"metallb-system\"},\"spec\":{\"addresses\":[\"10.222.5.0/24\"]}}"));
    assertThat(admitted.path("response").path("allowed").asBoolean()).isTrue();
    assertThat(admitted.path("response").path("uid").asText()).isEqualTo("uid-CREATE");
  }

  private static String review(
      String operation, String kind, String name, String field, String object) {
    return """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview",
         "request":{"uid":"uid-%s","operation":"%s","kind":{"group":"metallb.io","kind":"%s"},
                    "name":"%s","namespace":"metallb-system","%s":%s}}"""
        .formatted(operation, operation, kind, name, field, object);
  }

  private static JsonNode post(HttpClient https, int port, String path, String body)
      throws Exception {
    HttpResponse<String> r =
        https.send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
