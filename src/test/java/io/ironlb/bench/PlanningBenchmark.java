package io.ironlb.bench;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.ironlb.bgp.AdvertisementPlanner;
import io.ironlb.config.ClusterResources;
import io.ironlb.config.ManifestReader;
import io.ironlb.config.ServiceKey;
import io.ironlb.l2.L2Reports;
import io.ironlb.serving.Allocated;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One speaker's planning pass in Kubernetes mode, which it redoes on every change the API server
 * reports (an endpoint of any Service included): the allocations read from the Services' statuses,
 * the layer-2 reports of one node, and its BGP advertisements. The cluster: {@code services}
 * allocated LoadBalancer Services in 50 namespaces, each with one EndpointSlice of three endpoints,
 * on {@code nodes} Nodes; one pool on layer 2 and BGP. Run with {@code scripts/bench-planning.sh}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx1g", "-XX:+UseSerialGC"})
@State(Scope.Benchmark)
public class PlanningBenchmark {

  @Param({"10000"})
  int services;

  @Param({"100"})
  int nodes;

  private ClusterResources resources;
  private Map<ServiceKey, Allocated> allocated;

  @Setup(Level.Trial)
  public void setUp() {
    String config =
        """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: bench, namespace: metallb-system}
        spec: {addresses: [10.222.128.0/17]}
        ---
        apiVersion: metallb.io/v1beta1
        kind: L2Advertisement
        metadata: {name: bench, namespace: metallb-system}
        ---
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: {name: tor, namespace: metallb-system}
        spec: {myASN: 64500, peerASN: 64501, peerAddress: 10.222.0.1}
        ---
        apiVersion: metallb.io/v1beta1
        kind: BGPAdvertisement
        metadata: {name: bench, namespace: metallb-system}
        """;
    ClusterResources.Builder b = ClusterResources.builder();
    ManifestReader.readString(config, "bench.yaml").resources().configObjects().forEach(b::add);
    for (int n = 0; n < nodes; n++) {
      b.add(new NodeBuilder().withNewMetadata().withName("node-" + n).endMetadata().build());
    }
    for (int i = 0; i < services; i++) {
      String ns = "ns" + (i % 50);
      String name = "svc-" + i;
      b.add(
          new ServiceBuilder()
              .withNewMetadata()
              .withNamespace(ns)
              .withName(name)
              .withAnnotations(Map.of("metallb.io/ip-allocated-from-pool", "bench"))
              .endMetadata()
              .withNewSpec()
              .withType("LoadBalancer")
              .withExternalTrafficPolicy(i % 2 == 0 ? "Cluster" : "Local")
              .addNewPort()
              .withPort(80)
              .endPort()
              .endSpec()
              .withNewStatus()
              .withNewLoadBalancer()
              .addNewIngress()
              .withIp("10.222." + (128 + i / 256) + "." + (i % 256))
              .endIngress()
              .endLoadBalancer()
              .endStatus()
              .build());
      var slice =
          new EndpointSliceBuilder()
              .withNewMetadata()
              .withNamespace(ns)
              .withName(name + "-abcde")
              .withLabels(Map.of(ClusterResources.SERVICE_NAME_LABEL, name))
              .endMetadata()
              .withAddressType("IPv4");
      for (int e = 0; e < 3; e++) {
        slice =
            slice
                .addNewEndpoint()
                .withAddresses("10.244." + e + "." + (i % 250))
                .withNodeName("node-" + ((i + e * 7) % nodes))
                .withNewConditions()
                .withReady(true)
                .endConditions()
                .endEndpoint();
      }
      b.add(slice.build());
    }
    resources = b.build();
    allocated = L2Reports.fromStatus(resources);
    if (allocated.size() != services) {
      throw new IllegalStateException("allocated " + allocated.size() + " of " + services);
    }
  }

  @Benchmark
  public Map<ServiceKey, Allocated> allocationsFromStatus() {
    return L2Reports.fromStatus(resources);
  }

  @Benchmark
  public Object layer2Reports() {
    return L2Reports.compute(resources, allocated, "node-7", false);
  }

  @Benchmark
  public Object bgpAdvertisements() {
    return AdvertisementPlanner.plan(resources, allocated, "node-7", false);
  }
}
