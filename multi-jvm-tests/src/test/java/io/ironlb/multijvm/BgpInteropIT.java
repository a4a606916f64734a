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

  @TempDir Path config;
  private Layer2Lab lab;
  private BgpRouters routers;
  private String frr;
  private String bird;
  private String gobgp;

  @RegisterExtension
  final AfterTestExecutionCallback logsOnFailure =
      ctx -> {
        if (ctx.getExecutionException().isPresent() && lab != null) {
          System.out.println(lab.logTails(40));
        }
      };

  @BeforeEach
  void lab() throws Exception {
    assumeTrue(
        Netns.available("vtysh", "bird", "gobgpd", "curl"), "needs root, FRR, BIRD, GoBGP, curl");
    Layer2Lab.writeConfig(
        config,
        List.of("10.222.70.240/32"),
        """
        ---
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: routed, namespace: metallb-system}
        spec: {addresses: [10.222.75.10-10.222.75.20]}
        ---
        apiVersion: metallb.io/v1beta1
        kind: BGPAdvertisement
        metadata: {name: routed, namespace: metallb-system}
        spec: {ipAddressPools: [routed], communities: ["64512:100", "large:64512:1:2"]}
        """
            + peer("frr", FRR)
            + peer("bird", BIRD)
            + peer("gobgp", GOBGP)
            + """
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: default, annotations: {metallb.io/address-pool: routed}}
            spec: {type: LoadBalancer, ports: [{port: 80}]}
            """);
    lab = new Layer2Lab(config, 3, IronlbProcess.PATIENT_DETECTOR);
    routers = new BgpRouters();
    frr = lab.extraHost("rfrr", 101);
    bird = lab.extraHost("rbird", 102);
    gobgp = lab.extraHost("rgobgp", 103);
    routers.startFrr(lab.net(), frr, 64500, FRR, 64512, "10.222.70.0/24", "fd00:222:70::/64");
    routers.startBird(lab.net(), bird, 64500, BIRD, 64512, "10.222.70.0/24", "fd00:222:70::/64");
    routers.startGobgp(lab.net(), gobgp, 64500, GOBGP, 64512, "10.222.70.0/24", "fd00:222:70::/64");
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
    String out = routers.vtysh(lab.net(), frr, "show bgp ipv4 unicast " + prefix + " json");
    JsonNode paths = out.isBlank() ? null : JSON.readTree(out).path("paths");
    return paths == null || !paths.isArray() ? 0 : paths.size();
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
    String ip =
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> {
                  String body = lab.http(1, "/v1/services");
                  if (body == null) {
                    return null;
                  }
                  for (JsonNode row : JSON.readTree(body)) {
                    if (row.path("name").asText().equals("web") && row.path("ips").size() > 0) {
                      return row.path("ips").get(0).asText();
                    }
                  }
                  return null;
                },
                v -> v != null);
    awaitPaths(ip, 3);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              JsonNode peers = JSON.readTree(lab.http(2, "/v1/bgp/peers"));
              assertThat(peers).hasSize(3);
              peers.forEach(p -> assertThat(p.path("state").asText()).isEqualTo("ESTABLISHED"));
            });
    assertThat(routers.vtysh(lab.net(), frr, "show bgp ipv4 unicast " + ip + "/32 json"))
        .contains("64512:100")
        .contains("64512:1:2");

    lab.kill(2);
    awaitPaths(ip, 2);
  }
}
