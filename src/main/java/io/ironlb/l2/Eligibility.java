package io.ironlb.l2;

import io.fabric8.kubernetes.api.model.Service;
import io.ironlb.config.ClusterResources;
import io.ironlb.config.IPAddressPool;
import io.ironlb.config.L2Advertisement;
import io.ironlb.config.LabelSelector;
import io.ironlb.ipam.ServiceRequest;
import io.ironlb.serving.Serving;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether one node may announce one Service's addresses on layer 2, and from which interfaces —
 * MetalLB's rules (its layer2 controller's ShouldAnnounce and speakersForAds), evaluated for a
 * single node so each node can report its own eligibility to the VIP entity. The rules BGP shares
 * (node conditions, the exclude label, endpoints) are {@link Serving}'s.
 */
public final class Eligibility {
  private Eligibility() {}

  /**
   * @param eligible whether the node may announce
   * @param reason why not (null when eligible)
   * @param interfaces the interfaces to announce from; empty means every eligible interface
   * @param preference the summed preferred-node weight for the election
   */
  public record Verdict(boolean eligible, String reason, Set<String> interfaces, long preference) {
    static Verdict no(String reason) {
      return new Verdict(false, reason, Set.of(), 0);
    }
  }

  /**
   * Whether any L2Advertisement selects the pool, for any Service on any node: without one, its
   * addresses are no business of layer 2 at all (the same answer on every node).
   */
  public static boolean onLayer2(ClusterResources r, String poolName) {
    return r.pool(poolName).map(pool -> selecting(r, pool).findAny().isPresent()).orElse(false);
  }

  /** The L2Advertisements whose pool selection takes the pool in. */
  private static java.util.stream.Stream<L2Advertisement> selecting(
      ClusterResources r, IPAddressPool pool) {
    return r.l2Advertisements().stream()
        .filter(
            a -> pool.isSelectedBy(a.spec().ipAddressPools(), a.spec().ipAddressPoolSelectors()));
  }

  /**
   * @param missingSlicesMeanServed standalone mode: a Service without EndpointSlices counts as
   *     served on every node (there is no endpoint controller); in Kubernetes it has no endpoints
   */
  public static Verdict of(
      ClusterResources r,
      Service svc,
      String poolName,
      String node,
      boolean missingSlicesMeanServed) {
    Optional<IPAddressPool> pool = r.pool(poolName);
    if (pool.isEmpty()) {
      return Verdict.no("pool \"" + poolName + "\" does not exist");
    }
    Map<String, String> svcLabels = labels(svc.getMetadata().getLabels());
    List<L2Advertisement> ads =
        selecting(r, pool.get())
            .filter(a -> LabelSelector.anyMatches(a.spec().serviceSelectors(), svcLabels))
            .toList();
    if (ads.isEmpty()) {
      return Verdict.no("no L2Advertisement for pool \"" + poolName + "\"");
    }
    if (sharesIp(svc) && ads.stream().anyMatch(a -> !a.spec().serviceSelectors().isEmpty())) {
      return Verdict.no(
          "allow-shared-ip is incompatible with serviceSelectors on L2Advertisements");
    }
    Optional<String> blocked = Serving.nodeBlocked(r, node);
    if (blocked.isPresent()) {
      return Verdict.no(blocked.get());
    }
    Map<String, String> nodeLabels = Serving.nodeLabels(r, node);
    List<L2Advertisement> mine =
        ads.stream()
            .filter(a -> LabelSelector.anyMatches(a.spec().nodeSelectors(), nodeLabels))
            .toList();
    if (mine.isEmpty()) {
      return Verdict.no("no L2Advertisement selects this node");
    }
    Optional<String> unserved = Serving.unserved(r, svc, node, missingSlicesMeanServed);
    if (unserved.isPresent()) {
      return Verdict.no(unserved.get());
    }
    Set<String> interfaces = new TreeSet<>();
    boolean all = false;
    for (L2Advertisement a : mine) {
      all |= a.spec().interfaces().isEmpty();
      interfaces.addAll(a.spec().interfaces());
    }
    long preference = 0;
    for (L2Advertisement a : ads) {
      for (L2Advertisement.PreferredNodeSelector p : a.spec().preferredNodeSelectors()) {
        if (p.preference() == null || p.preference().matches(nodeLabels)) {
          preference += p.weight();
        }
      }
    }
    return new Verdict(true, null, all ? Set.of() : Set.copyOf(interfaces), preference);
  }

  private static boolean sharesIp(Service svc) {
    Map<String, String> a = labels(svc.getMetadata().getAnnotations());
    return a.containsKey(ServiceRequest.PREFIX + ServiceRequest.ALLOW_SHARED_IP)
        || a.containsKey(ServiceRequest.DEPRECATED_PREFIX + ServiceRequest.ALLOW_SHARED_IP);
  }

  private static Map<String, String> labels(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }
}
