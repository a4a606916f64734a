package io.ironlb.multijvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code ironlb standalone} speakers peering with FRR, BIRD and GoBGP, each a router in its
 * own namespace on the lab's segment: every session Established; a Service's address appears at
 * each router with three equal-cost next hops (and in FRR's and BIRD's kernel FIB), with its
 * communities; a SIGKILLed speaker's path disappears (the kernel closes its TCP sessions).
 */
class BgpInteropIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FRR = "10.222.70.101";
  private static final String BIRD = "10.222.70.102";
  private static final String GOBGP = "10.222.70.103";

  /** FRR's IPv6 address: Netns numbers hosts in hex (101 = 0x65). */
  private static final String FRR6 = "fd00:222:70::65";

  @TempDir Path config;
  private Layer2Lab lab;
  private BgpRouters routers;
  private String frr;
  private String bird;
  private String gobgp;
  private String ibgp;

  @RegisterExtension
  final AfterTestExecutionCallback logsOnFailure = Layer2Lab.logsOnFailure(() -> lab);

  @BeforeEach
  void lab() throws Exception {
    assumeTrue(
        Netns.available("vtysh", "bird", "gobgpd", "curl"), "needs root, FRR, BIRD, GoBGP, curl");
    Layer2Lab.writeConfig(
        config,
        List.of("10.222.70.240/32"),
        Layer2Lab.routedWeb(
                "{ipAddressPools: [routed], communities: [\"64512:100\", \"large:64512:1:2\"],"
                    + " localPref: 250}")
            + peer("frr", FRR)
            + peer("bird", BIRD)
            + peer("gobgp", GOBGP)
            + peer("frr6", FRR6)
            + """
            ---
            apiVersion: metallb.io/v1beta2
            kind: BGPPeer
            metadata: {name: ibgp, namespace: metallb-system}
            spec: {myASN: 64512, peerASN: 64512, peerAddress: 10.222.70.104, holdTime: 3s}
            """
            + """
            ---
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: routed6, namespace: metallb-system}
            spec: {addresses: ["fd00:222:75::10-fd00:222:75::20"]}
            ---
            apiVersion: metallb.io/v1beta1
            kind: BGPAdvertisement
            metadata: {name: routed6, namespace: metallb-system}
            spec: {ipAddressPools: [routed6], peers: [frr6]}
            ---
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: summarised, namespace: metallb-system}
            spec: {addresses: [10.222.76.0/24]}
            ---
            apiVersion: metallb.io/v1beta1
            kind: BGPAdvertisement
            metadata: {name: summarised, namespace: metallb-system}
            spec: {ipAddressPools: [summarised], aggregationLength: 24, peers: [frr]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web6, namespace: default, annotations: {metallb.io/address-pool: routed6}}
            spec: {type: LoadBalancer, ipFamilies: [IPv6], ports: [{port: 80}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: summed, namespace: default, annotations: {metallb.io/address-pool: summarised}}
            spec: {type: LoadBalancer, ports: [{port: 80}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: local, namespace: default, annotations: {metallb.io/address-pool: routed}}
            spec: {type: LoadBalancer, externalTrafficPolicy: Local, ports: [{port: 80}]}
            """);
    writeSlice("node-1", "node-3");
    lab = new Layer2Lab(config, 3, IronlbProcess.PATIENT_DETECTOR);
    routers = new BgpRouters();
    frr = lab.extraHost("rfrr", 101);
    bird = lab.extraHost("rbird", 102);
    gobgp = lab.extraHost("rgobgp", 103);
    routers.startFrr(lab.net(), frr, 64500, FRR, 64512, "10.222.70.0/24", "fd00:222:70::/64");
    routers.startBird(lab.net(), bird, 64500, BIRD, 64512, "10.222.70.0/24", "fd00:222:70::/64");
    routers.startGobgp(lab.net(), gobgp, 64500, GOBGP, 64512, "10.222.70.0/24", "fd00:222:70::/64");
    // An iBGP neighbour (same AS as the speakers): the only kind that sees LOCAL_PREF.
    ibgp = lab.extraHost("ribgp", 104);
    routers.startFrr(
        lab.net(), ibgp, 64512, "10.222.70.104", 64512, "10.222.70.0/24", "fd00:222:70::/64");
  }

  /** The {@code local} Service's endpoints (externalTrafficPolicy: Local) on these nodes. */
  private void writeSlice(String... nodes) throws java.io.IOException {
    StringBuilder eps = new StringBuilder();
    int i = 1;
    for (String n : nodes) {
      eps.append(eps.length() == 0 ? "" : ", ")
          .append("{addresses: [10.1.1.")
          .append(i++)
          .append("], nodeName: ")
          .append(n)
          .append(", conditions: {ready: true}}");
    }
    // Written aside and renamed, so the directory source never reads half a file.
    Path tmp = config.resolve(".slice.tmp");
    java.nio.file.Files.writeString(
        tmp,
        """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: local-1, namespace: default, labels: {kubernetes.io/service-name: local}}
        addressType: IPv4
        endpoints: [%s]
        """
            .formatted(eps));
    java.nio.file.Files.move(
        tmp,
        config.resolve("slice.yaml"),
        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static String peer(String name, String address) {
    return """
        ---
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: {name: %s, namespace: metallb-system}
        spec: {myASN: 64512, peerASN: 64500, peerAddress: %s, holdTime: 3s, keepaliveTime: 1s}
        """
        .formatted(name, address);
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

  private int frrPaths(String prefix) throws Exception {
    return routers.frrPaths(lab.net(), frr, "ipv4", prefix).size();
  }

  private int birdPaths(String ip) {
    String out = routers.birdc(lab.net(), bird, "show", "route", "for", ip, "all");
    return (int) out.lines().filter(l -> l.contains("BGP.as_path")).count();
  }

  private int gobgpPaths(String prefix) throws Exception {
    String out = routers.gobgp(lab.net(), gobgp, "global", "rib", "-a", "ipv4", prefix, "-j");
    if (out.isBlank() || !out.strip().startsWith("{")) {
      return 0;
    }
    JsonNode paths = JSON.readTree(out).path(prefix);
    return paths.isArray() ? paths.size() : 0;
  }

  private int fibNextHops(String ns, String ip) throws Exception {
    String out = lab.net().in(ns, "ip", "-j", "route", "show", ip).output();
    JsonNode routes = JSON.readTree(out.isBlank() ? "[]" : out);
    if (routes.size() == 0) {
      return 0;
    }
    JsonNode hops = routes.get(0).path("nexthops");
    return hops.isArray() ? hops.size() : 1;
  }

  private String ipOf(String service) throws InterruptedException {
    return lab.ipOf(service);
  }

  private void awaitFrrPaths(String family, String prefix, int n) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(routers.frrPaths(lab.net(), frr, family, prefix).size())
                    .as("FRR paths for %s", prefix)
                    .isEqualTo(n));
  }

  private void awaitPaths(String ip, int n) {
    String prefix = ip + "/32";
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(frrPaths(prefix)).as("FRR paths").isEqualTo(n);
              assertThat(birdPaths(ip)).as("BIRD paths").isEqualTo(n);
              assertThat(gobgpPaths(prefix)).as("GoBGP paths").isEqualTo(n);
              assertThat(fibNextHops(frr, ip)).as("FRR kernel next hops").isEqualTo(n);
              assertThat(fibNextHops(bird, ip)).as("BIRD kernel next hops").isEqualTo(n);
            });
  }

  @Test
  void threeSpeakersGiveEveryRouterThreeEqualPathsAndAKilledOneDisappears() throws Exception {
    for (int id = 1; id <= 3; id++) {
      lab.start(id);
    }
    String ip = ipOf("web");
    awaitPaths(ip, 3);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              JsonNode peers = JSON.readTree(lab.http(2, "/v1/bgp/peers"));
              assertThat(peers).hasSize(5); // FRR, BIRD, GoBGP, FRR over IPv6, iBGP FRR
              peers.forEach(p -> assertThat(p.path("state").asText()).isEqualTo("ESTABLISHED"));
              // MetalLB's session metrics, under its names, one series per peer "addr:port".
              String metrics = lab.http(2, "/metrics");
              for (JsonNode p : peers) {
                String label = "{peer=\"" + p.path("peer").asText() + "\"}";
                assertThat(metrics)
                    .contains("metallb_bgp_session_up" + label + " 1.0\n")
                    .contains("metallb_bgp_pending_prefixes_total" + label + " 0.0\n")
                    .contains("metallb_bgp_updates_total" + label + " ")
                    .containsPattern(
                        "metallb_bgp_announced_prefixes_total"
                            + java.util.regex.Pattern.quote(label)
                            + " [1-9]");
              }
            });
    assertThat(routers.vtysh(lab.net(), frr, "show bgp ipv4 unicast " + ip + "/32 json"))
        .contains("64512:100")
        .contains("64512:1:2");
    // LOCAL_PREF reaches the iBGP neighbour (the speakers send it on iBGP sessions only).
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode paths =
                  JSON.readTree(
                          routers.vtysh(
                              lab.net(), ibgp, "show bgp ipv4 unicast " + ip + "/32 json"))
                      .path("paths");
              assertThat(paths.size()).isEqualTo(3);
              paths.forEach(p -> assertThat(p.path("locPrf").asInt()).isEqualTo(250));
            });

    // IPv6 over its own session (MP-BGP), and a pool summarised as a /24.
    awaitFrrPaths("ipv6", ipOf("web6") + "/128", 3);
    awaitFrrPaths("ipv4", "10.222.76.0/24", 3);
    // externalTrafficPolicy: Local — only nodes with an endpoint announce; one leaving withdraws.
    String local = ipOf("local");
    awaitFrrPaths("ipv4", local + "/32", 2);
    // The status API says the same: who announces each Service over BGP.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              JsonNode rows = JSON.readTree(lab.http(2, "/v1/services"));
              for (JsonNode row : rows) {
                String nodes = row.path("bgp").path("nodes").toString();
                switch (row.path("name").asText()) {
                  case "web" -> assertThat(nodes).isEqualTo("[\"node-1\",\"node-2\",\"node-3\"]");
                  case "local" -> assertThat(nodes).isEqualTo("[\"node-1\",\"node-3\"]");
                  default -> {}
                }
              }
            });
    writeSlice("node-1");
    awaitFrrPaths("ipv4", local + "/32", 1);

    // A frozen speaker sends no KEEPALIVE: the routers' 3 s hold timer removes its path; it comes
    // back when the process resumes.
    long frozen = lab.process(3).pid();
    Netns.must("kill", "-STOP", String.valueOf(frozen));
    try {
      awaitPaths(ip, 2);
    } finally {
      Netns.must("kill", "-CONT", String.valueOf(frozen));
    }
    awaitPaths(ip, 3);

    // A killed speaker: the kernel closes its TCP sessions and the routers drop the path at once.
    lab.kill(2);
    awaitPaths(ip, 2);
  }
}
