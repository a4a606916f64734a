package io.ironlb.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.ironlb.ipam.ServiceRequest;
import io.ironlb.serving.Serving;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ObjectSlicesTest {

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
    Service slice = ObjectSlices.service(read(AS_READ));

    assertThat(slice.getMetadata().getName()).isEqualTo("web");
    assertThat(slice.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(slice.getMetadata().getResourceVersion()).isEqualTo("48213");
    assertThat(slice.getMetadata().getUid()).isEqualTo("0b7d2a8e-1111-2222-3333-444455556666");
    assertThat(slice.getMetadata().getLabels())
        .isEqualTo(java.util.Map.of("app", "web", "tier", "front"));
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
    ObjectSlices.service(full);
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
    assertThat(ServiceRequest.of(ObjectSlices.service(full))).isEqualTo(ServiceRequest.of(full));
    assertThat(ServiceKey.of(ObjectSlices.service(full))).isEqualTo(ServiceKey.of(full));
  }

  /** A Node and EndpointSlices as an API server returns them. */
  private static final String CLUSTER =
      """
      apiVersion: v1
      kind: Node
      metadata:
        name: node-a
        labels: {kubernetes.io/hostname: node-a, zone: z1}
        annotations: {node.alpha.kubernetes.io/ttl: "0"}
        managedFields:
        - {manager: kubelet, operation: Update, apiVersion: v1}
      status:
        conditions:
        - {type: Ready, status: "True", reason: KubeletReady, message: kubelet is posting ready status}
        - {type: NetworkUnavailable, status: "%s", reason: RouteCreated}
        addresses: [{type: InternalIP, address: 10.222.0.11}]
        images:
        - {names: [registry.example/app@sha256:0123, registry.example/app:v1], sizeBytes: 123456}
        capacity: {cpu: "2", memory: 4Gi}
      ---
      apiVersion: v1
      kind: Node
      metadata: {name: node-b, labels: {node.kubernetes.io/exclude-from-external-load-balancers: ""}}
      ---
      apiVersion: discovery.k8s.io/v1
      kind: EndpointSlice
      metadata:
        name: web-abcde
        namespace: shop
        labels: {kubernetes.io/service-name: web, endpointslice.kubernetes.io/managed-by: x}
        managedFields:
        - {manager: kube-controller-manager, operation: Update, apiVersion: discovery.k8s.io/v1}
      addressType: IPv4
      ports: [{name: http, port: 8080, protocol: TCP}]
      endpoints:
      - addresses: [10.244.1.5]
        nodeName: node-a
        zone: z1
        conditions: {ready: %s, serving: %s, terminating: false}
        targetRef: {kind: Pod, name: web-1, namespace: shop, uid: 1234}
      - addresses: [10.244.2.5]
        nodeName: node-c
        conditions: {ready: false, serving: false}
      """;

  /** NetworkUnavailable, and the first endpoint's ready and serving. */
  static List<Arguments> clusters() {
    return List.of(
        Arguments.of("False", "true", "true"),
        Arguments.of("True", "true", "true"),
        Arguments.of("False", "false", "true"),
        Arguments.of("False", "false", "false"));
  }

  @ParameterizedTest
  @MethodSource("clusters")
  void theSpeakersDecideTheSameFromSlicedNodesAndEndpoints(
      String networkUnavailable, String ready, String serving) {
    List<String> states = List.of(networkUnavailable, ready, serving);
    ManifestReader.Result read =
        ManifestReader.readString(
            CLUSTER.formatted(networkUnavailable, ready, serving) + "---\n" + AS_READ,
            "cluster.yaml");
    assertThat(read.problems()).isEmpty();
    ClusterResources full = read.resources();
    ClusterResources sliced = full.sliced();
    Service web = full.services().get(0);
    Service webSlice = sliced.services().get(0);
    for (String node : List.of("node-a", "node-b", "node-c")) {
      assertThat(Serving.nodeBlocked(sliced, node)).isEqualTo(Serving.nodeBlocked(full, node));
      assertThat(Serving.nodeLabels(sliced, node)).isEqualTo(Serving.nodeLabels(full, node));
      for (boolean standalone : List.of(true, false)) {
        assertThat(Serving.unserved(sliced, webSlice, node, standalone))
            .as("%s, %s", node, states)
            .isEqualTo(Serving.unserved(full, web, node, standalone));
      }
    }
    assertThat(sliced.node("node-a").orElseThrow().getStatus().getImages()).isEmpty();
    assertThat(sliced.node("node-a").orElseThrow().getMetadata().getManagedFields()).isEmpty();
    assertThat(sliced.endpointSlices().get(0).getMetadata().getAnnotations()).isEmpty();
    assertThat(sliced.endpointSlices().get(0).getMetadata().getLabels())
        .containsEntry(ClusterResources.SERVICE_NAME_LABEL, "web");
    assertThat(sliced.endpointSlices().get(0).getEndpoints())
        .allSatisfy(e -> assertThat(e.getAddresses()).isEmpty());
  }
}
