package io.ironlb.l2;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlb.config.ManifestReader;
import io.ironlb.config.ServiceKey;
import io.ironlb.serving.Allocated;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class L2ReportsTest {

  private static final String CONFIG =
      """
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata: {name: p, namespace: metallb-system}
      spec: {addresses: [10.222.1.0/24]}
      ---
      apiVersion: metallb.io/v1beta1
      kind: L2Advertisement
      metadata: {name: l2, namespace: metallb-system}
      spec: {interfaces: [eth0]}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: default}
      spec: {type: LoadBalancer, externalTrafficPolicy: Local, ports: [{port: 80}]}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: dns, namespace: default}
      spec: {type: LoadBalancer, externalTrafficPolicy: Local, ports: [{port: 53, protocol: UDP}]}
      ---
      apiVersion: discovery.k8s.io/v1
      kind: EndpointSlice
      metadata: {name: web-1, namespace: default, labels: {kubernetes.io/service-name: web}}
      addressType: IPv4
      endpoints: [{addresses: [10.1.1.1], nodeName: node-b, conditions: {ready: true}}]
      ---
      apiVersion: discovery.k8s.io/v1
      kind: EndpointSlice
      metadata: {name: dns-1, namespace: default, labels: {kubernetes.io/service-name: dns}}
      addressType: IPv4
      endpoints: [{addresses: [10.1.1.2], nodeName: node-a, conditions: {ready: true}}]
      """;

  @Test
  void aSharedAddressIsEligibleWhereAnyOfItsServicesIs() {
    var r = ManifestReader.readString(CONFIG, "t.yaml").resources();
    Map<ServiceKey, Allocated> allocations =
        Map.of(
            new ServiceKey("default", "web"), new Allocated(List.of("10.222.1.5"), "p"),
            new ServiceKey("default", "dns"), new Allocated(List.of("10.222.1.5"), "p"));
    assertThat(L2Reports.compute(r, allocations, "node-a", false))
        .containsExactly(
            Map.entry("10.222.1.5", new VipState.Report("node-a", true, Set.of("eth0"), 0)));
    assertThat(L2Reports.compute(r, allocations, "node-c", false))
        .containsExactly(
            Map.entry("10.222.1.5", new VipState.Report("node-c", false, Set.of(), 0)));
  }

  @Test
  void servicesWithoutAddressesReportNothing() {
    var r = ManifestReader.readString(CONFIG, "t.yaml").resources();
    assertThat(
            L2Reports.compute(
                r,
                Map.of(new ServiceKey("default", "web"), new Allocated(List.of(), null)),
                "node-a",
                false))
        .isEmpty();
  }

  /**
   * A pool only BGP announces needs no layer-2 election: none of its addresses gets a report, so no
   * VIP entity is started for it (10,000 BGP Services would otherwise start 10,000 idle entities).
   */
  @Test
  void addressesOfAPoolNoL2AdvertisementSelectsReportNothing() {
    var r =
        ManifestReader.readString(
                CONFIG.replace(
                        "spec: {interfaces: [eth0]}",
                        "spec: {ipAddressPools: [p], interfaces: [eth0]}")
                    + """
                    ---
                    apiVersion: metallb.io/v1beta1
                    kind: IPAddressPool
                    metadata: {name: routed, namespace: metallb-system}
                    spec: {addresses: [10.222.2.0/24]}
                    """,
                "t.yaml")
            .resources();
    Map<ServiceKey, Allocated> allocations =
        Map.of(
            new ServiceKey("default", "web"),
            new Allocated(List.of("10.222.2.5"), "routed"),
            new ServiceKey("default", "dns"),
            new Allocated(List.of("10.222.1.6"), "p"));
    assertThat(L2Reports.compute(r, allocations, "node-a", false)).containsOnlyKeys("10.222.1.6");
  }
}
