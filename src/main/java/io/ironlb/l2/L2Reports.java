package io.ironlb.l2;

import io.fabric8.kubernetes.api.model.Service;
import io.ironlb.config.ClusterResources;
import io.ironlb.config.ServiceKey;
import io.ironlb.serving.Allocated;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one node reports to the VIP entities: for every allocated address, its {@link Eligibility}.
 * An address shared by several Services elects once: the node is eligible when it is for any of
 * them (a Service without a serving endpoint must not silence the others), with the union of their
 * interfaces and the highest preference.
 */
public final class L2Reports {
  private L2Reports() {}

  public static Map<String, VipState.Report> compute(
      ClusterResources resources,
      Map<ServiceKey, Allocated> allocations,
      String node,
      boolean standalone) {
    Map<String, VipState.Report> out = new TreeMap<>();
    for (Service svc : resources.services()) {
      Allocated a = allocations.get(ServiceKey.of(svc));
      if (a == null || a.ips().isEmpty() || a.pool() == null) {
        continue;
      }
      if (!Eligibility.onLayer2(resources, a.pool())) {
        // BGP only (or not announced at all): no report, so no VIP entity is started for it on
        // any node. A report sent before the pool lost its last L2Advertisement is answered by the
        // Speaker with an ineligible one, as for an address that is gone.
        continue;
      }
      Eligibility.Verdict v = Eligibility.of(resources, svc, a.pool(), node, standalone);
      for (String ip : a.ips()) {
        VipState.Report mine =
            new VipState.Report(node, v.eligible(), v.interfaces(), v.preference());
        out.merge(ip, mine, L2Reports::merge);
      }
    }
    return out;
  }

  /**
   * Kubernetes mode: the allocations as the controller wrote them, read back from the Services —
   * {@code status.loadBalancer.ingress} and the pool annotation, or else the pool whose ranges hold
   * the first address (Services allocated before the annotation existed), as MetalLB's speaker
   * does. A speaker thus needs nothing from the controller but the API server.
   */
  public static Map<ServiceKey, Allocated> fromStatus(ClusterResources resources) {
    io.ironlb.ipam.Pools pools = io.ironlb.ipam.Pools.from(resources);
    Map<ServiceKey, Allocated> out = new TreeMap<>();
    for (Service svc : resources.services()) {
      if (svc.getStatus() == null
          || svc.getStatus().getLoadBalancer() == null
          || svc.getStatus().getLoadBalancer().getIngress() == null) {
        continue;
      }
      List<String> ips =
          svc.getStatus().getLoadBalancer().getIngress().stream()
              .map(i -> i.getIp())
              .filter(ip -> ip != null && !ip.isBlank())
              .toList();
      if (ips.isEmpty()) {
        continue;
      }
      Map<String, String> annotations = svc.getMetadata().getAnnotations();
      String pool =
          annotations == null
              ? null
              : annotations.get(io.ironlb.ipam.ServiceRequest.ALLOCATED_FROM_POOL);
      if (pool == null) {
        var first = io.ironlb.config.IpAddresses.parseAddress(ips.get(0));
        pool =
            pools.all().stream()
                .filter(p -> p.contains(first))
                .map(io.ironlb.ipam.Pool::name)
                .findFirst()
                .orElse(null);
      }
      out.put(ServiceKey.of(svc), new Allocated(ips, pool));
    }
    return out;
  }

  private static VipState.Report merge(VipState.Report a, VipState.Report b) {
    if (!a.eligible()) {
      return b;
    }
    if (!b.eligible()) {
      return a;
    }
    Set<String> ifs = new HashSet<>();
    boolean all = a.interfaces().isEmpty() || b.interfaces().isEmpty();
    ifs.addAll(a.interfaces());
    ifs.addAll(b.interfaces());
    return new VipState.Report(
        a.node(), true, all ? Set.of() : Set.copyOf(ifs), Math.max(a.preference(), b.preference()));
  }
}
