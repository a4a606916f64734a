package io.ironlb.multijvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traffic over BGP, end to end: two standalone speakers with {@code --local-vips} advertise a
 * Service's address to FRR, FRR spreads connections over both next hops (ECMP), and each node's
 * kernel accepts them because the address is on its {@code lo}. When the Service stops being a
 * LoadBalancer, the route and the local addresses go.
 */
class RoutedTrafficFrrIT {
  private static final String ROUTER = "10.222.70.101";

  @TempDir Path config;
  private Layer2Lab lab;
  private BgpRouters routers;

  @RegisterExtension
  final AfterTestExecutionCallback logsOnFailure = Layer2Lab.logsOnFailure(() -> lab);

  @AfterEach
  void tearDown() {
    if (routers != null) {
      routers.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  private static String objects(boolean loadBalancer) {
    String web = Layer2Lab.routedWeb("{ipAddressPools: [routed]}");
    return (loadBalancer ? web : web.replace("type: LoadBalancer", "type: ClusterIP"))
        + """
        ---
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: {name: frr, namespace: metallb-system}
        spec: {myASN: 64512, peerASN: 64500, peerAddress: %s, holdTime: 9s}
        """
            .formatted(ROUTER);
  }

  @Test
  void theRoutersEcmpReachesBothNodesAndTheAddressLeavesWithTheService() throws Exception {
    assumeTrue(Netns.available("vtysh", "curl"), "needs root, FRR, curl");
    Layer2Lab.writeConfig(config, java.util.List.of("10.222.70.240/32"), objects(true));
    lab = new Layer2Lab(config, 2, IronlbProcess.PATIENT_DETECTOR).withLocalVips();
    routers = new BgpRouters();
    String frr = lab.extraHost("rfrr", 101);
    routers.startFrr(lab.net(), frr, 64500, ROUTER, 64512, "10.222.70.0/24", "fd00:222:70::/64");
    // Hash on ports too, so that connections from one client spread over the next hops.
    lab.net().mustIn(frr, "sysctl", "-qw", "net.ipv4.fib_multipath_hash_policy=1");
    for (int id = 1; id <= 2; id++) {
      lab.startEcho(id, 8080);
      lab.start(id);
    }
    String vip = lab.ipOf("web");
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              String route = lab.net().in(frr, "ip", "route", "show", vip).output();
              return route.contains("via 10.222.70.1 ") && route.contains("via 10.222.70.2 ");
            });
    for (int id = 1; id <= 2; id++) {
      assertThat(lab.loopbackAddresses(id)).as("node-%d's lo", id).contains(" " + vip + "/32");
    }

    // Connections from 40 source ports: every one answered, by both nodes between them.
    Set<String> answeredBy = new TreeSet<>();
    for (int port = 41000; port < 41040; port++) {
      Netns.Result r =
          lab.net()
              .in(
                  frr,
                  "curl",
                  "-sf",
                  "--max-time",
                  "2",
                  "--local-port",
                  String.valueOf(port),
                  "http://" + vip + ":8080/");
      assertThat(r.exit()).as("connection from port %d: %s", port, r.output()).isZero();
      answeredBy.add(r.output().strip());
    }
    assertThat(answeredBy).containsExactly(Layer2Lab.node(1), Layer2Lab.node(2));

    // No longer a LoadBalancer: withdrawn at the router, and off both nodes' lo.
    Layer2Lab.writeConfig(config, java.util.List.of("10.222.70.240/32"), objects(false));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                !lab.net().in(frr, "ip", "route", "show", vip).output().contains("via")
                    && !lab.loopbackAddresses(1).contains(" " + vip + "/32")
                    && !lab.loopbackAddresses(2).contains(" " + vip + "/32"));
  }
}
