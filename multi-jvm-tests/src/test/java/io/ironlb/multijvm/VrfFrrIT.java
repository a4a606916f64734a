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
 * Issue 16: a BGPPeer's {@code vrf} binds its session's socket to that device ({@code
 * SO_BINDTODEVICE}), so it routes and picks its source address in the device's table only. The node
 * has {@code eth1} on a second segment with two FRR routers. Bound to {@code eth1}, a session comes
 * up and FRR receives the route with the node's {@code eth1} address as next hop; bound to {@code
 * eth0}, where no route to the router leads, a session never comes up. With a kernel that has VRF
 * support, the same holds for a real VRF device ({@code ip link add red type vrf}) with {@code
 * eth1} in it and no route to the router in the main table. Either way the peer's BFD session,
 * whose sockets are bound to the same device, comes up with the router.
 */
class VrfFrrIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROUTER = "10.222.72.101";
  private static final String OTHER_ROUTER = "10.222.72.102";
  private static final String NODE_ON_ETH1 = "10.222.72.1";

  @TempDir Path config;
  private Layer2Lab lab;
  private BgpRouters routers;
  private String router;
  private String segment;

  @RegisterExtension
  final AfterTestExecutionCallback logsOnFailure = Layer2Lab.logsOnFailure(() -> lab);

  private static String peer(String name, String address, String vrf) {
    return """
        ---
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: {name: %s, namespace: metallb-system}
        spec: {myASN: 64512, peerASN: 64500, peerAddress: %s, vrf: %s, holdTime: 3s,
               keepaliveTime: 1s, bfdProfile: fast}
        """
        .formatted(name, address, vrf);
  }

  private void lab(String peers) throws Exception {
    Layer2Lab.writeConfig(
        config,
        List.of("10.222.70.240/32"),
        Layer2Lab.routedWeb("{ipAddressPools: [routed]}")
            + """
            ---
            apiVersion: metallb.io/v1beta1
            kind: BFDProfile
            metadata: {name: fast, namespace: metallb-system}
            spec: {receiveInterval: 100, transmitInterval: 100, detectMultiplier: 3}
            """
            + peers);
    lab = new Layer2Lab(config, 1, IronlbProcess.PATIENT_DETECTOR);
    segment = lab.net().lan("vrf");
    lab.net().attach(segment, lab.namespace(1), "n1", 1, "10.222.72");
    routers = new BgpRouters();
    router = lab.extraHostOn(segment, "rvrf", 101, "10.222.72", "fd00:222:72");
    routers.startFrr(
        lab.net(),
        router,
        64500,
        ROUTER,
        64512,
        "10.222.72.0/24",
        "fd00:222:72::/64",
        List.of("bfd profile fast"));
  }

  @BeforeEach
  void tools() {
    assumeTrue(Netns.available("vtysh", "curl"), "needs root, FRR, curl");
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
  void aSessionBoundToADeviceUsesOnlyItsRoutes() throws Exception {
    lab(peer("right", ROUTER, "eth1") + peer("wrong", OTHER_ROUTER, "eth0"));
    String other = lab.extraHostOn(segment, "rother", 102, "10.222.72", "fd00:222:72");
    routers.startFrr(
        lab.net(), other, 64500, OTHER_ROUTER, 64512, "10.222.72.0/24", "fd00:222:72::/64");
    lab.start(1);
    String ip = lab.ipOf("web");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              Map<String, JsonNode> peers = lab.bgpPeers(1);
              assertThat(peers.get(ROUTER + ":179").path("state").asText())
                  .isEqualTo("ESTABLISHED");
              JsonNode wrong = peers.get(OTHER_ROUTER + ":179");
              assertThat(wrong.path("state").asText()).isNotEqualTo("ESTABLISHED");
              // Bound to eth0 the router is never reached (unbound, the main table's route via
              // eth1 would have brought this session up).
              assertThat(wrong.path("lastError").asText()).isNotBlank();
              assertThat(nextHops(router, ip)).containsExactly(NODE_ON_ETH1);
              assertThat(bfdUp(router)).containsExactly(NODE_ON_ETH1);
            });
    assertThat(nextHops(other, ip)).isEmpty();
  }

  @Test
  void aPeerOnlyReachableInAVrfComesUpInIt() throws Exception {
    lab(peer("in-red", ROUTER, "red"));
    String node = lab.namespace(1);
    Netns.Result vrf = lab.net().in(node, "ip", "link", "add", "red", "type", "vrf", "table", "10");
    assumeTrue(vrf.exit() == 0, "this kernel cannot make a VRF device: " + vrf.output().strip());
    lab.net().mustIn(node, "ip", "link", "set", "red", "up");
    lab.net().mustIn(node, "ip", "link", "set", "eth1", "master", "red");
    assertThat(lab.net().in(node, "ip", "route", "get", ROUTER).exit())
        .as("the main table has no route to the router")
        .isNotZero();
    lab.start(1);
    String ip = lab.ipOf("web");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(lab.bgpPeers(1).get(ROUTER + ":179").path("state").asText())
                  .isEqualTo("ESTABLISHED");
              assertThat(nextHops(router, ip)).containsExactly(NODE_ON_ETH1);
              // BFD's sockets are in the VRF too: the session is protected.
              assertThat(bfdUp(router)).containsExactly(NODE_ON_ETH1);
            });
  }

  /** The peers of FRR's BFD sessions that are up in {@code ns}. */
  private List<String> bfdUp(String ns) throws Exception {
    List<String> up = new java.util.ArrayList<>();
    String out = routers.vtysh(lab.net(), ns, "show bfd peers json");
    for (JsonNode p : JSON.readTree(out.isBlank() ? "[]" : out)) {
      if ("up".equals(p.path("status").asText())) {
        up.add(p.path("peer").asText());
      }
    }
    return up;
  }

  /** The next hops of FRR's paths for {@code ip}/32 in namespace {@code ns}. */
  private List<String> nextHops(String ns, String ip) throws Exception {
    List<String> hops = new java.util.ArrayList<>();
    routers
        .frrPaths(lab.net(), ns, "ipv4", ip + "/32")
        .forEach(p -> hops.add(p.path("nexthops").path(0).path("ip").asText()));
    return hops;
  }
}
