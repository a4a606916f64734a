package io.ironlb.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.ironlb.ipam.ServiceRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ServiceSliceTest {

  /** A Service as an API server returns it: managed fields, kubectl's annotation, finalizers. */
  private static final String AS_READ =
      """
      apiVersion: v1
      kind: Service
      metadata:
        name: web
        namespace: shop
        uid: 0b7d2a8e-1111-2222-3333-444455556666
        resourceVersion: "48213"
        generation: 3
        creationTimestamp: "2026-11-01T10:00:00Z"
        labels: {app: web, tier: front}
        annotations:
          kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"v1","kind":"Service"}'
          metallb.io/address-pool: blue
          metallb.universe.tf/allow-shared-ip: key-1
          prometheus.io/scrape: "true"
        finalizers: [service.kubernetes.io/load-balancer-cleanup]
        ownerReferences:
        - {apiVersion: apps/v1, kind: Deployment, name: web, uid: 9a9a9a9a-0000-0000-0000-000000000000}
        managedFields:
        - manager: kubectl-client-side-apply
          operation: Update
          apiVersion: v1
          time: "2026-11-01T10:00:00Z"
          fieldsType: FieldsV1
          fieldsV1: {"f:spec": {"f:ports": {}}}
      spec:
        type: LoadBalancer
        loadBalancerClass: metallb
        loadBalancerIP: 10.222.5.7
        externalTrafficPolicy: Local
        internalTrafficPolicy: Cluster
        healthCheckNodePort: 31000
        sessionAffinity: None
        ipFamilyPolicy: SingleStack
        ipFamilies: [IPv4]
        clusterIP: 10.96.0.20
        clusterIPs: [10.96.0.20]
        selector: {app: web}
        ports:
        - {name: http, port: 80, protocol: TCP, targetPort: 8080, nodePort: 30080}
        - {name: dns, port: 53, protocol: UDP, targetPort: 53, nodePort: 30053}
      status:
        loadBalancer:
          ingress:
          - {ip: 10.222.5.7, ipMode: VIP}
      """;

  private static Service read(String yaml) {
    ManifestReader.Result r = ManifestReader.readString(yaml, "test.yaml");
    assertThat(r.problems()).isEmpty();
    return r.resources().services().get(0);
  }

  @Test
  void keepsWhatIronLbReadsAndDropsTheRest() {
    Service slice = ServiceSlice.of(read(AS_READ));

    assertThat(slice.getMetadata().getName()).isEqualTo("web");
    assertThat(slice.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(slice.getMetadata().getResourceVersion()).isEqualTo("48213");
    assertThat(slice.getMetadata().getUid()).isEqualTo("0b7d2a8e-1111-2222-3333-444455556666");
    assertThat(slice.getMetadata().getLabels())
        .containsExactlyEntriesOf(
            new java.util.LinkedHashMap<>(java.util.Map.of("app", "web", "tier", "front")));
    assertThat(slice.getMetadata().getAnnotations())
        .containsOnlyKeys("metallb.io/address-pool", "metallb.universe.tf/allow-shared-ip");
    assertThat(slice.getMetadata().getManagedFields()).isEmpty();
    assertThat(slice.getMetadata().getFinalizers()).isEmpty();
    assertThat(slice.getMetadata().getOwnerReferences()).isEmpty();

    assertThat(slice.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(slice.getSpec().getLoadBalancerClass()).isEqualTo("metallb");
    assertThat(slice.getSpec().getLoadBalancerIP()).isEqualTo("10.222.5.7");
    assertThat(slice.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
    assertThat(slice.getSpec().getIpFamilies()).containsExactly("IPv4");
    assertThat(slice.getSpec().getClusterIPs()).containsExactly("10.96.0.20");
    assertThat(slice.getSpec().getSelector()).containsEntry("app", "web");
    assertThat(slice.getSpec().getPorts())
        .extracting(p -> p.getName() + " " + p.getPort() + "/" + p.getProtocol())
        .containsExactly("http 80/TCP", "dns 53/UDP");
    assertThat(slice.getSpec().getPorts()).allSatisfy(p -> assertThat(p.getNodePort()).isNull());
    assertThat(slice.getSpec().getHealthCheckNodePort()).isNull();
    assertThat(slice.getStatus().getLoadBalancer().getIngress())
        .extracting(i -> i.getIp() + " " + i.getIpMode())
        .containsExactly("10.222.5.7 VIP");
  }

  @Test
  void theOriginalIsLeftAsItWas() {
    Service full = read(AS_READ);
    Service copy = read(AS_READ);
    ServiceSlice.of(full);
    assertThat(full).isEqualTo(copy);
  }

  /** Services that exercise every field the allocator and the speakers read. */
  static List<String> services() {
    String head = "apiVersion: v1\nkind: Service\n";
    return List.of(
        AS_READ,
        head + "metadata: {name: bare, namespace: default}\nspec: {type: LoadBalancer}\n",
        head + "metadata: {name: np, namespace: default}\nspec: {type: NodePort}\n",
        head + "metadata: {name: nospec}\n",
        head
            + "metadata: {name: dual, namespace: default, annotations:"
            + " {metallb.io/loadBalancerIPs: '10.222.1.1,fd00:222::1'}}\n"
            + "spec: {type: LoadBalancer, ipFamilyPolicy: RequireDualStack,"
            + " ipFamilies: [IPv6, IPv4], clusterIPs: ['fd00:96::1', 10.96.0.1]}\n",
        head
            + "metadata: {name: old, namespace: default, annotations:"
            + " {metallb.universe.tf/address-pool: red, metallb.universe.tf/loadBalancerIPs:"
            + " 10.222.1.9}}\n"
            + "spec: {type: LoadBalancer, ports: [{port: 443}]}\n",
        head
            + "metadata: {name: bad, namespace: default, annotations:"
            + " {metallb.io/loadBalancerIPs: 'not-an-ip'}}\n"
            + "spec: {type: LoadBalancer, loadBalancerIP: 10.222.1.2}\n",
        head
            + "metadata: {name: shared, namespace: default, labels: {team: a}, annotations:"
            + " {metallb.io/allow-shared-ip: k, metallb.io/ip-allocated-from-pool: blue}}\n"
            + "spec: {type: LoadBalancer, externalTrafficPolicy: Local, selector: {app: x},"
            + " ports: [{port: 80, protocol: UDP}]}\n"
            + "status: {loadBalancer: {ingress: [{ip: 10.222.1.3}, {hostname: lb.example}]}}\n");
  }

  @ParameterizedTest
  @MethodSource("services")
  void theAllocatorReadsTheSameRequestFromASlice(String yaml) {
    Service full = read(yaml);
    assertThat(ServiceRequest.of(ServiceSlice.of(full))).isEqualTo(ServiceRequest.of(full));
    assertThat(ServiceKey.of(ServiceSlice.of(full))).isEqualTo(ServiceKey.of(full));
  }
}
