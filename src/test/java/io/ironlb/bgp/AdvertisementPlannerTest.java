package io.ironlb.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlb.bgp.AdvertisementPlanner.Announcement;
import io.ironlb.bgp.wire.IpPrefix;
import io.ironlb.bgp.wire.PathAttribute.LargeCommunity;
import io.ironlb.config.ClusterResources;
import io.ironlb.config.ManifestReader;
import io.ironlb.config.ServiceKey;
import io.ironlb.serving.Allocated;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a node announces to each peer, as a table: node, the objects beyond a common base, and the
 * expected peer → prefixes (with attributes where they matter).
 */
class AdvertisementPlannerTest {

  private static final String BASE =
      """
      apiVersion: metallb.io/v1beta2
      kind: BGPPeer
      metadata: {name: tor, namespace: metallb-system}
      spec: {myASN: 64512, peerASN: 64500, peerAddress: 10.222.0.1}
      ---
      apiVersion: metallb.io/v1beta2
      kind: BGPPeer
      metadata: {name: rack-b-only, namespace: metallb-system}
      spec: {myASN: 64512, peerASN: 64512, peerAddress: 10.222.0.2, nodeSelectors: [{matchLabels: {rack: b}}]}
      ---
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata: {name: web, namespace: metallb-system, labels: {tier: web}}
      spec: {addresses: [10.222.10.0/24]}
      ---
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata: {name: v6, namespace: metallb-system}
      spec: {addresses: ["fd00:222:10::/120"]}
      ---
      apiVersion: v1
      kind: Node
      metadata: {name: node-a, labels: {rack: a}}
      ---
      apiVersion: v1
      kind: Node
      metadata: {name: node-b, labels: {rack: b}}
      ---
      apiVersion: v1
      kind: Node
      metadata: {name: node-x, labels: {rack: a, node.kubernetes.io/exclude-from-external-load-balancers: ""}}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: shop, namespace: default, labels: {app: shop}}
      spec: {type: LoadBalancer, ports: [{port: 80}]}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: api, namespace: default}
      spec: {type: LoadBalancer, externalTrafficPolicy: Local, ports: [{port: 443}]}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: six, namespace: default}
      spec: {type: LoadBalancer, ipFamilies: [IPv6], ports: [{port: 80}]}
      ---
      apiVersion: discovery.k8s.io/v1
      kind: EndpointSlice
      metadata: {name: api-1, namespace: default, labels: {kubernetes.io/service-name: api}}
      addressType: IPv4
      endpoints: [{addresses: [10.1.1.1], nodeName: node-b, conditions: {ready: true}}]
      ---
      apiVersion: discovery.k8s.io/v1
      kind: EndpointSlice
      metadata: {name: shop-1, namespace: default, labels: {kubernetes.io/service-name: shop}}
      addressType: IPv4
      endpoints: [{addresses: [10.1.1.2], nodeName: node-b, conditions: {ready: true}}]
      ---
      apiVersion: discovery.k8s.io/v1
      kind: EndpointSlice
      metadata: {name: six-1, namespace: default, labels: {kubernetes.io/service-name: six}}
      addressType: IPv6
      endpoints: [{addresses: ["fd00::1"], nodeName: node-b, conditions: {ready: true}}]
      """;

  private static final Map<ServiceKey, Allocated> ALLOCATED =
      Map.of(
          new ServiceKey("default", "shop"), new Allocated(List.of("10.222.10.1"), "web"),
          new ServiceKey("default", "api"), new Allocated(List.of("10.222.10.2"), "web"),
          new ServiceKey("default", "six"), new Allocated(List.of("fd00:222:10::7"), "v6"));

  private static final Announcement PLAIN = new Announcement(0, Set.of(), Set.of());

  private static IpPrefix p(String s) {
    return IpPrefix.parse(s);
  }

  static Stream<Arguments> table() {
    String all =
        "---\napiVersion: metallb.io/v1beta1\nkind: BGPAdvertisement\nmetadata: {name: all, namespace: metallb-system}\n";
    return Stream.of(
        Arguments.of(
            "an empty advertisement: every pool, every Service served here, every peer of the node",
            "node-b",
            all,
            Map.of(
                "tor",
                    Map.of(
                        p("10.222.10.1/32"),
                        PLAIN,
                        p("10.222.10.2/32"),
                        PLAIN,
                        p("fd00:222:10::7/128"),
                        PLAIN),
                "rack-b-only",
                    Map.of(
                        p("10.222.10.1/32"),
                        PLAIN,
                        p("10.222.10.2/32"),
                        PLAIN,
                        p("fd00:222:10::7/128"),
                        PLAIN))),
        Arguments.of(
            "Local needs a serving endpoint on this node; rack-b-only does not peer with node-a",
            "node-a",
            all,
            Map.of("tor", Map.of(p("10.222.10.1/32"), PLAIN, p("fd00:222:10::7/128"), PLAIN))),
        Arguments.of("an excluded node announces nothing", "node-x", all, Map.of("tor", Map.of())),
        Arguments.of(
            "aggregationLength 24, pool by selector, peers named",
            "node-b",
            "---\napiVersion: metallb.io/v1beta1\nkind: BGPAdvertisement\nmetadata: {name: agg, namespace: metallb-system}\n"
                + "spec: {aggregationLength: 24, ipAddressPoolSelectors: [{matchLabels: {tier: web}}], peers: [tor]}\n",
            Map.of("tor", Map.of(p("10.222.10.0/24"), PLAIN), "rack-b-only", Map.of())),
        Arguments.of(
            "communities (with an alias), a large community and LOCAL_PREF; two advertisements of one prefix merge",
            "node-b",
            "---\napiVersion: metallb.io/v1beta1\nkind: Community\nmetadata: {name: c, namespace: metallb-system}\n"
                + "spec: {communities: [{name: no-export, value: \"65535:65281\"}]}\n"
                + "---\napiVersion: metallb.io/v1beta1\nkind: BGPAdvertisement\nmetadata: {name: one, namespace: metallb-system}\n"
                + "spec: {ipAddressPools: [web], serviceSelectors: [{matchLabels: {app: shop}}], communities: [no-export, \"64512:100\"], localPref: 50, peers: [rack-b-only]}\n"
                + "---\napiVersion: metallb.io/v1beta1\nkind: BGPAdvertisement\nmetadata: {name: two, namespace: metallb-system}\n"
                + "spec: {ipAddressPools: [web], serviceSelectors: [{matchLabels: {app: shop}}], communities: [\"large:64512:1:2\"], localPref: 200, peers: [rack-b-only]}\n",
            Map.of(
                "tor",
                Map.of(),
                "rack-b-only",
                Map.of(
                    p("10.222.10.1/32"),
                    new Announcement(
                        200,
                        Set.of(0xFFFFFF01L, (64512L << 16) | 100),
                        Set.of(new LargeCommunity(64512, 1, 2)))))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void plans(
      String name, String node, String objects, Map<String, Map<IpPrefix, Announcement>> expected) {
    ClusterResources r = ManifestReader.readString(BASE + objects, "t.yaml").resources();
    assertThat(AdvertisementPlanner.plan(r, ALLOCATED, node, false)).isEqualTo(expected);
  }
}
