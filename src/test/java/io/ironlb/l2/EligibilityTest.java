package io.ironlb.l2;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlb.config.ClusterResources;
import io.ironlb.config.ManifestReader;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Layer-2 eligibility of one node for one Service, rule by rule, each eligible and not. */
class EligibilityTest {

  private static final String POOL =
      "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: p, namespace: metallb-system, labels: {tier: a}}\nspec: {addresses: [10.222.1.0/24]}";

  private static String l2(String name, String spec) {
    return "apiVersion: metallb.io/v1beta1\nkind: L2Advertisement\nmetadata: {name: "
        + name
        + ", namespace: metallb-system}\nspec: "
        + spec;
  }

  private static String node(String name, String labels, boolean networkUnavailable) {
    return "apiVersion: v1\nkind: Node\nmetadata: {name: "
        + name
        + ", labels: {"
        + labels
        + "}}\n"
        + (networkUnavailable
            ? "status: {conditions: [{type: NetworkUnavailable, status: 'True'}]}"
            : "");
  }

  private static String service(String extraMeta, String policy) {
    return "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: default"
        + extraMeta
        + "}\n"
        + "spec: {type: LoadBalancer, externalTrafficPolicy: "
        + policy
        + ", ports: [{port: 80}]}";
  }

  private static String slice(String... endpoints) {
    StringBuilder sb =
        new StringBuilder(
            "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: web-1, namespace: default, labels: {kubernetes.io/service-name: web}}\naddressType: IPv4\nendpoints:\n");
    for (String e : endpoints) {
      String[] p = e.split(":");
      sb.append("  - {addresses: [10.1.1.1], nodeName: ")
          .append(p[0])
          .append(", conditions: {ready: ")
          .append(p[1])
          .append(", serving: ")
          .append(p[2])
          .append("}}\n");
    }
    if (endpoints.length == 0) {
      sb.append("  []\n");
    }
    return sb.toString();
  }

  static Arguments row(
      String desc,
      List<String> docs,
      String node,
      boolean standalone,
      String reason,
      Set<String> ifaces,
      long pref) {
    return Arguments.of(desc, docs, node, standalone, reason, ifaces, pref);
  }

  static Stream<Arguments> rules() {
    String all = l2("all", "{}");
    String cluster = service("", "Cluster");
    return Stream.of(
        row(
            "advertised to every node",
            List.of(POOL, all, cluster, slice("n1:true:true")),
            "n1",
            false,
            null,
            Set.of(),
            0),
        row(
            "no advertisement for the pool",
            List.of(POOL, l2("other", "{ipAddressPools: [q]}"), cluster, slice("n1:true:true")),
            "n1",
            false,
            "no L2Advertisement for pool \"p\"",
            Set.of(),
            0),
        row(
            "advertisement by pool selector",
            List.of(
                POOL,
                l2("sel", "{ipAddressPoolSelectors: [{matchLabels: {tier: a}}]}"),
                cluster,
                slice("n1:true:true")),
            "n1",
            false,
            null,
            Set.of(),
            0),
        row(
            "service selector that does not match",
            List.of(
                POOL,
                l2("s", "{serviceSelectors: [{matchLabels: {app: other}}]}"),
                cluster,
                slice("n1:true:true")),
            "n1",
            false,
            "no L2Advertisement for pool \"p\"",
            Set.of(),
            0),
        row(
            "shared IP with service selectors",
            List.of(
                POOL,
                l2("s", "{serviceSelectors: [{matchLabels: {app: web}}]}"),
                service(
                    ", labels: {app: web}, annotations: {metallb.io/allow-shared-ip: k}",
                    "Cluster"),
                slice("n1:true:true")),
            "n1",
            false,
            "allow-shared-ip is incompatible with serviceSelectors on L2Advertisements",
            Set.of(),
            0),
        row(
            "node selector matches",
            List.of(
                POOL,
                l2("a", "{nodeSelectors: [{matchLabels: {rack: r1}}]}"),
                node("n1", "rack: r1", false),
                cluster,
                slice("n1:true:true")),
            "n1",
            false,
            null,
            Set.of(),
            0),
        row(
            "node selector does not match",
            List.of(
                POOL,
                l2("a", "{nodeSelectors: [{matchLabels: {rack: r1}}]}"),
                node("n1", "rack: r2", false),
                cluster,
                slice("n1:true:true")),
            "n1",
            false,
            "no L2Advertisement selects this node",
            Set.of(),
            0),
        row(
            "NetworkUnavailable",
            List.of(POOL, all, node("n1", "", true), cluster, slice("n1:true:true")),
            "n1",
            false,
            "node has condition NetworkUnavailable",
            Set.of(),
            0),
        row(
            "exclude-from-external-load-balancers",
            List.of(
                POOL,
                all,
                node("n1", "node.kubernetes.io/exclude-from-external-load-balancers: ''", false),
                cluster,
                slice("n1:true:true")),
            "n1",
            false,
            "node is labelled node.kubernetes.io/exclude-from-external-load-balancers",
            Set.of(),
            0),
        row(
            "Cluster policy: an endpoint elsewhere serves",
            List.of(POOL, all, cluster, slice("n2:true:true")),
            "n1",
            false,
            null,
            Set.of(),
            0),
        row(
            "no endpoint can serve",
            List.of(POOL, all, cluster, slice("n1:false:false", "n2:false:false")),
            "n1",
            false,
            "no endpoint can serve",
            Set.of(),
            0),
        row(
            "serving while not ready still serves",
            List.of(POOL, all, cluster, slice("n1:false:true")),
            "n1",
            false,
            null,
            Set.of(),
            0),
        row(
            "Local policy: local endpoint",
            List.of(POOL, all, service("", "Local"), slice("n1:true:true")),
            "n1",
            false,
            null,
            Set.of(),
            0),
        row(
            "Local policy: endpoint only elsewhere",
            List.of(POOL, all, service("", "Local"), slice("n2:true:true")),
            "n1",
            false,
            "no serving endpoint on this node (externalTrafficPolicy: Local)",
            Set.of(),
            0),
        row(
            "Kubernetes: no EndpointSlice means no endpoint",
            List.of(POOL, all, cluster),
            "n1",
            false,
            "no endpoint can serve",
            Set.of(),
            0),
        row(
            "standalone: no EndpointSlice means served everywhere",
            List.of(POOL, all, service("", "Local")),
            "n1",
            true,
            null,
            Set.of(),
            0),
        row(
            "interfaces are the union of the node's advertisements",
            List.of(
                POOL,
                l2("a", "{interfaces: [eth0]}"),
                l2("b", "{interfaces: [eth1, eth0]}"),
                cluster,
                slice("n1:true:true")),
            "n1",
            false,
            null,
            Set.of("eth0", "eth1"),
            0),
        row(
            "an advertisement without interfaces means all",
            List.of(POOL, l2("a", "{interfaces: [eth0]}"), all, cluster, slice("n1:true:true")),
            "n1",
            false,
            null,
            Set.of(),
            0),
        row(
            "preferred weights add up",
            List.of(
                POOL,
                l2(
                    "a",
                    "{preferredNodeSelectors: [{weight: 10, preference: {matchLabels: {rack: r1}}}, {weight: 5, preference: {}}]}"),
                l2(
                    "b",
                    "{preferredNodeSelectors: [{weight: 7, preference: {matchLabels: {rack: r1}}}]}"),
                node("n1", "rack: r1", false),
                cluster,
                slice("n1:true:true")),
            "n1",
            false,
            null,
            Set.of(),
            22));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void eligibility(
      String desc,
      List<String> docs,
      String node,
      boolean standalone,
      String reason,
      Set<String> interfaces,
      long preference) {
    ManifestReader.Result read = ManifestReader.readString(String.join("\n---\n", docs), "t.yaml");
    assertThat(read.problems()).isEmpty();
    ClusterResources r = read.resources();
    Eligibility.Verdict v = Eligibility.of(r, r.services().get(0), "p", node, standalone);
    assertThat(v.reason()).isEqualTo(reason);
    assertThat(v.eligible()).isEqualTo(reason == null);
    assertThat(v.interfaces()).isEqualTo(interfaces);
    assertThat(v.preference()).isEqualTo(preference);
  }
}
