package io.ironlb.multijvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code ironlb standalone} nodes, each in its own namespace on one bridge, and a client
 * namespace with real {@code arping} and {@code ndisc6}: exactly the owner answers for each IPv4
 * and IPv6 address, and after a SIGKILL of the owner the client's neighbour cache follows the new
 * owner.
 */
class Layer2NamespaceIT {

  private static final String V4 = "10.222.70";
  private static final String V6 = "fd00:222:70";
  private static final Pattern REPLY = Pattern.compile("reply from (\\S+) \\[([0-9A-F:]+)\\]");

  private Netns net;
  private final List<IronlbProcess> nodes = new ArrayList<>();
  private final List<String> nodeNs = new ArrayList<>();
  private String client;

  @AfterEach
  void tearDown() {
    nodes.forEach(IronlbProcess::close);
    if (net != null) {
      net.close();
    }
  }

  @Test
  void exactlyTheOwnerAnswersAndTheClientFollowsAKill(@TempDir Path config) throws Exception {
    assumeTrue(Netns.available("arping", "ndisc6", "curl"), "needs root, arping, ndisc6, curl");
    net = new Netns();
    String lan = net.lan();
    for (int i = 1; i <= 3; i++) {
      nodeNs.add(net.host(lan, "n" + i, i, V4, V6));
    }
    client = net.host(lan, "client", 100, V4, V6);
    Files.writeString(
        config.resolve("config.yaml"),
        """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: lab, namespace: metallb-system}
        spec: {addresses: [10.222.70.200-10.222.70.210, "fd00:222:70::200-fd00:222:70::210"]}
        ---
        apiVersion: metallb.io/v1beta1
        kind: L2Advertisement
        metadata: {name: lab, namespace: metallb-system}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: default}
        spec: {type: LoadBalancer, ports: [{port: 80}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web6, namespace: default}
        spec: {type: LoadBalancer, ipFamilies: [IPv6], ports: [{port: 80}]}
        """);
    for (int i = 1; i <= 3; i++) {
      nodes.add(
          IronlbProcess.startIn(
              nodeNs.get(i - 1),
              "n" + i,
              IronlbProcess.PATIENT_DETECTOR,
              List.of(
                  "standalone",
                  "--config",
                  config.toString(),
                  "--node",
                  "node-" + i,
                  "--cluster",
                  V4 + "." + i + ":7355",
                  "--seed",
                  V4 + ".1:7355",
                  "--http",
                  "127.0.0.1:7626",
                  "--interfaces",
                  "eth0")));
    }
    Map<String, String> owners =
        await()
            .atMost(Duration.ofSeconds(150))
            .pollInterval(Duration.ofSeconds(1))
            .until(this::agreedOwners, o -> o != null && o.size() == 2);
    int v4Owner = Integer.parseInt(owners.get("default/web").substring("node-".length()));
    int v6Owner = Integer.parseInt(owners.get("default/web6").substring("node-".length()));

    // Exactly one node answers, with its own MAC, for each family.
    assertThat(arpingMacs("10.222.70.200")).containsOnly(Netns.mac(v4Owner).toUpperCase());
    Netns.Result nd =
        net.in(client, "ndisc6", "-1", "-r", "3", "-w", "1000", "fd00:222:70::200", "eth0");
    assertThat(nd.output())
        .contains("Target link-layer address: " + Netns.mac(v6Owner).toUpperCase());

    // SIGKILL the IPv4 owner: a standby announces, and the client's cache follows.
    nodes.get(v4Owner - 1).kill();
    String dead = Netns.mac(v4Owner);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              Netns.Result neigh =
                  net.in(client, "ip", "neigh", "show", "10.222.70.200", "dev", "eth0");
              return neigh.output().contains("lladdr 02:22:00:00:00:0")
                  && !neigh.output().contains(dead);
            });
    List<String> after = arpingMacs("10.222.70.200");
    assertThat(after).hasSize(2).doesNotContain(dead.toUpperCase());
    assertThat(after.stream().distinct()).as("one node answers").hasSize(1);
  }

  /** The MACs of the replies arping gets for two requests. */
  private List<String> arpingMacs(String ip) {
    Netns.Result r = net.in(client, "arping", "-c", "2", "-w", "5", "-I", "eth0", ip);
    List<String> macs = new ArrayList<>();
    Matcher m = REPLY.matcher(r.output());
    while (m.find()) {
      macs.add(m.group(2));
    }
    return macs;
  }

  /** Service → owner, when every node reports the same, else null. */
  private Map<String, String> agreedOwners() {
    return OwnerViews.agreed(
        nodeNs.stream()
            .map(
                ns ->
                    (Supplier<String>)
                        () -> {
                          Netns.Result r =
                              net.in(
                                  ns,
                                  "curl",
                                  "-sf",
                                  "--max-time",
                                  "2",
                                  "http://127.0.0.1:7626/v1/services");
                          return r.exit() == 0 ? r.output() : null;
                        })
            .toList());
  }
}
