package io.ironlb.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.ironlb.source.MockApi;
import io.ironlb.source.kubernetes.KubernetesSource;
import io.ironlb.testkit.AdmissionClient;
import io.ironlb.testkit.Openssl;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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

    JsonNode admitted =
        webhook.post(
            "/validate-metallb-io-v1beta1-ipaddresspool",
            AdmissionClient.review(
                "CREATE",
                "IPAddressPool",
                "p",
                "object",
                "{\"apiVersion\":\"metallb.io/v1beta1\",\"kind\":\"IPAddressPool\",\"metadata\":{\"name\":\"p\",\"namespace\":\"metallb-system\"},\"spec\":{\"addresses\":[\"10.222.5.0/24\"]}}"));
    assertThat(admitted.path("response").path("allowed").asBoolean()).isTrue();
    assertThat(admitted.path("response").path("uid").asText()).isEqualTo("uid-CREATE");
  }
}
