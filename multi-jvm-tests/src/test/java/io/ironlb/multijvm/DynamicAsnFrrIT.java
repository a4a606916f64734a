package io.ironlb.multijvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: BGPPeers with {@code dynamicASN} instead of {@code peerASN}, against FRR. An {@code
 * external} peer (FRR in AS 64500) and an {@code internal} one (FRR in the speaker's AS 64512) come
 * up and receive the Service's route, the internal one with LOCAL_PREF; an {@code internal} peer
 * whose router is in another AS is refused (Bad Peer AS, with the reason in {@code /v1/bgp/peers})
 * and never receives a route.
 */
class DynamicAsnFrrIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EXTERNAL = "10.222.70.101";
  private static final String INTERNAL = "10.222.70.102";
  private static final String WRONG_SIDE = "10.222.70.103";

  @TempDir Path config;
  private Layer2Lab lab;
  private BgpRouters routers;
  private String rext;
  private String rint;
  private String rwrong;

  @RegisterExtension
  final AfterTestExecutionCallback logsOnFailure = Layer2Lab.logsOnFailure(() -> lab);

  private static String peer(String name, String address, String dynamic) {
    return """
        ---
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: {name: %s, namespace: metallb-system}
        spec: {myASN: 64512, dynamicASN: %s, peerAddress: %s, holdTime: 3s, keepaliveTime: 1s}
        """
        .formatted(name, dynamic, address);
  }

  @BeforeEach
  void lab() throws Exception {
    assumeTrue(Netns.available("vtysh", "curl"), "needs root, FRR, curl");
    Layer2Lab.writeConfig(
        config,
        List.of("10.222.70.240/32"),
        Layer2Lab.routedWeb("{ipAddressPools: [routed]}")
            + peer("external", EXTERNAL, "external")
            + peer("internal", INTERNAL, "internal")
            + peer("wrong-side", WRONG_SIDE, "internal"));
    lab = new Layer2Lab(config, 1, IronlbProcess.PATIENT_DETECTOR);
    routers = new BgpRouters();
    String range = "10.222.70.0/24";
    String range6 = "fd00:222:70::/64";
    rext = lab.extraHost("rext", 101);
    rint = lab.extraHost("rint", 102);
    rwrong = lab.extraHost("rwrong", 103);
    routers.startFrr(lab.net(), rext, 64500, EXTERNAL, 64512, range, range6);
    routers.startFrr(lab.net(), rint, 64512, INTERNAL, 64512, range, range6);
    routers.startFrr(lab.net(), rwrong, 64501, WRONG_SIDE, 64512, range, range6);
  }

  @AfterEach
  void tearDown() {
    if (routers != null) {
      routers.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void externalAndInternalPeersComeUpAndAWrongSideAsIsRefused() throws Exception {
    lab.start(1);
    String ip = lab.ipOf("web");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              Map<String, JsonNode> peers = lab.bgpPeers(1);
              assertThat(peers.get(EXTERNAL + ":179").path("state").asText())
                  .isEqualTo("ESTABLISHED");
              assertThat(peers.get(INTERNAL + ":179").path("state").asText())
                  .isEqualTo("ESTABLISHED");
              JsonNode wrong = peers.get(WRONG_SIDE + ":179");
              assertThat(wrong.path("state").asText()).isNotEqualTo("ESTABLISHED");
              assertThat(wrong.path("lastError").asText())
                  .contains("peer AS 64501")
                  .contains("dynamicASN internal");
              assertThat(paths(rext, ip)).as("external peer's paths").hasSize(1);
              JsonNode internal = paths(rint, ip);
              assertThat(internal).as("internal peer's paths").hasSize(1);
              // The session is iBGP, learned from dynamicASN: LOCAL_PREF is sent (RFC 4271 §5.1.5).
              assertThat(internal.get(0).path("locPrf").asInt()).isEqualTo(100);
            });
    // The refused router never holds the route.
    assertThat(paths(rwrong, ip)).isEmpty();
  }

  private JsonNode paths(String ns, String ip) throws Exception {
    return routers.frrPaths(lab.net(), ns, "ipv4", ip + "/32");
  }
}
