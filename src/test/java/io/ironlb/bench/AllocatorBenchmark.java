package io.ironlb.bench;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.ironlb.config.ClusterResources;
import io.ironlb.config.ManifestReader;
import io.ironlb.ipam.Allocator;
import io.ironlb.ipam.Pools;
import io.ironlb.ipam.ServiceRequest;
import java.util.ArrayList;
import java.util.List;
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
 * Allocation time for many Services: every Service new (a first start), and every Service
 * reprocessed after a pool change (a shrunk pool forces some to move). Run with {@code
 * scripts/bench-allocator.sh}; figures in docs/benchmarks.md.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx1g", "-XX:+UseSerialGC"})
@State(Scope.Benchmark)
public class AllocatorBenchmark {

  @Param({"10000"})
  int services;

  private Pools pools;
  private Pools changedPools;
  private List<ServiceRequest> fresh;
  private List<ServiceRequest> allocated;
  private Allocator running;

  /** Four pools: a (given), b /20, web /20 pinned to namespace "web", v6 /112. */
  private static Pools pools(String firstPool) {
    String yaml =
        """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: a, namespace: metallb-system}
        spec: {addresses: [%s]}
        ---
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: b, namespace: metallb-system}
        spec: {addresses: [10.222.32.0/20], avoidBuggyIPs: true}
        ---
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: web, namespace: metallb-system}
        spec:
          addresses: [10.222.48.0/20]
          serviceAllocation: {priority: 10, namespaces: [web]}
        ---
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: v6, namespace: metallb-system}
        spec: {addresses: ["fd00:222:1::/112"]}
        """
            .formatted(firstPool);
    ClusterResources r = ManifestReader.readString(yaml, "bench.yaml").resources();
    return Pools.from(r);
  }

  /** A mix: plain IPv4, namespace-pinned, pool-requested, IPv6, and shared pairs. */
  static List<Service> services(int n) {
    List<Service> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String ns = i % 5 == 0 ? "web" : "ns" + (i % 50);
      ServiceBuilder b =
          new ServiceBuilder()
              .withNewMetadata()
              .withNamespace(ns)
              .withName("svc-" + i)
              .withAnnotations(annotations(i))
              .endMetadata()
              .withNewSpec()
              .withType("LoadBalancer")
              .addNewPort()
              .withProtocol("TCP")
              .withPort(i % 20 == 3 ? 443 : 80)
              .endPort()
              .withIpFamilies(i % 10 == 7 ? List.of("IPv6") : List.of("IPv4"))
              .endSpec();
      out.add(b.build());
    }
    return out;
  }

  private static Map<String, String> annotations(int i) {
    if (i % 10 == 1) {
      return Map.of("metallb.io/address-pool", "b");
    }
    if (i % 20 == 3 || i % 20 == 2) {
      return Map.of("metallb.io/allow-shared-ip", "pair-" + (i / 20));
    }
    return Map.of();
  }

  @Setup(Level.Trial)
  public void setUp() {
    pools = pools("10.222.0.0/19");
    // a shrinks from a /19 to a /20: the ~1,900 Services in its upper half move to b.
    changedPools = pools("10.222.0.0/20");
    List<Service> svcs = services(services);
    fresh = svcs.stream().map(ServiceRequest::of).toList();
    Allocator a = new Allocator(pools, null);
    List<Allocator.Decision> decisions = a.reconcileAll(fresh);
    List<ServiceRequest> withStatus = new ArrayList<>();
    for (int i = 0; i < svcs.size(); i++) {
      Service s = svcs.get(i);
      List<LoadBalancerIngress> ingress =
          decisions.stream()
              .filter(d -> d.key().name().equals(s.getMetadata().getName()))
              .findFirst()
              .orElseThrow()
              .ips()
              .stream()
              .map(ip -> new LoadBalancerIngress(null, ip, null, null))
              .toList();
      Service copy =
          new ServiceBuilder(s)
              .withNewStatus()
              .withNewLoadBalancer()
              .withIngress(ingress)
              .endLoadBalancer()
              .endStatus()
              .build();
      withStatus.add(ServiceRequest.of(copy));
    }
    allocated = withStatus;
    requireAllAllocated(decisions, "first allocation");
    Allocator moved = new Allocator(pools, null);
    moved.reconcileAll(allocated);
    requireAllAllocated(moved.reconfigure(changedPools, allocated), "pool change");
  }

  /** The workload must fit, or the figures would time failures instead of allocations. */
  private static void requireAllAllocated(List<Allocator.Decision> decisions, String what) {
    long failed = decisions.stream().filter(d -> d.error() != null).count();
    if (failed > 0) {
      throw new IllegalStateException(what + ": " + failed + " Services got no address");
    }
  }

  @Setup(Level.Invocation)
  public void running() {
    running = new Allocator(pools, null);
    running.reconcileAll(allocated);
  }

  /** A first start: every Service is new. */
  @Benchmark
  public List<Allocator.Decision> allocateAll() {
    return new Allocator(pools, null).reconcileAll(fresh);
  }

  /** A restart or failover: every Service already has its address in its status. */
  @Benchmark
  public List<Allocator.Decision> restoreFromStatus() {
    return new Allocator(pools, null).reconcileAll(allocated);
  }

  /** A pool change: every Service reprocessed, those outside the shrunk pool moved. */
  @Benchmark
  public List<Allocator.Decision> reprocessAfterPoolChange() {
    return running.reconfigure(changedPools, allocated);
  }
}
