package io.ironlb.ipam;

import io.fabric8.kubernetes.api.model.Namespace;
import io.ironlb.config.AddressRange;
import io.ironlb.config.ClusterResources;
import io.ironlb.config.IPAddressPool;
import io.ironlb.config.LabelSelector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The pools of one validated configuration, in a stable order (by name). */
public final class Pools {

  private final Map<String, Pool> byName;

  private Pools(Map<String, Pool> byName) {
    this.byName = byName;
  }

  public static final Pools EMPTY = new Pools(Map.of());

  /** Builds the pools; the configuration must have passed {@code ConfigValidator}. */
  public static Pools from(ClusterResources resources) {
    Map<String, Pool> pools = new LinkedHashMap<>();
    resources.pools().stream()
        .sorted(Comparator.comparing(IPAddressPool::name))
        .forEach(p -> pools.put(p.name(), pool(p, resources.namespaces())));
    return new Pools(pools);
  }

  private static Pool pool(IPAddressPool p, List<Namespace> namespaces) {
    List<AddressRange> ranges = p.spec().addresses().stream().map(AddressRange::parse).toList();
    IPAddressPool.ServiceAllocation alloc = p.spec().serviceAllocation();
    if (alloc == null) {
      return new Pool(
          p.name(),
          ranges,
          p.spec().autoAssign(),
          p.spec().avoidBuggyIPs(),
          false,
          0,
          Set.of(),
          List.of());
    }
    Set<String> ns = new HashSet<>(alloc.namespaces());
    for (LabelSelector sel : alloc.namespaceSelectors()) {
      for (Namespace n : namespaces) {
        Map<String, String> labels = n.getMetadata().getLabels();
        if (sel.matches(labels == null ? Map.of() : labels)) {
          ns.add(n.getMetadata().getName());
        }
      }
    }
    List<LabelSelector> serviceSelectors = alloc.serviceSelectors();
    if (alloc.namespaces().isEmpty()
        && alloc.namespaceSelectors().isEmpty()
        && alloc.serviceSelectors().isEmpty()) {
      // Only a priority: the pool is for every Service (MetalLB selects everything).
      serviceSelectors = List.of(LabelSelector.EVERYTHING);
    }
    int priority = alloc.priority() == null ? 0 : alloc.priority();
    return new Pool(
        p.name(),
        ranges,
        p.spec().autoAssign(),
        p.spec().avoidBuggyIPs(),
        true,
        priority,
        ns,
        serviceSelectors);
  }

  public static Pools of(List<Pool> pools) {
    Map<String, Pool> m = new LinkedHashMap<>();
    pools.stream().sorted(Comparator.comparing(Pool::name)).forEach(p -> m.put(p.name(), p));
    return new Pools(m);
  }

  public Optional<Pool> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public List<Pool> all() {
    return List.copyOf(byName.values());
  }

  public boolean isEmpty() {
    return byName.isEmpty();
  }

  /**
   * The pools tried for a Service that names none, as two tiers tried in turn: the pools pinned to
   * its namespace or selecting it, by priority (lower first, none last; then by name), then every
   * other auto-assign pool by name (MetalLB's pinnedPoolsForService, then its general pools, with a
   * stable order where MetalLB's is random).
   */
  public List<List<Pool>> candidatesFor(String namespace, Map<String, String> labels) {
    List<Pool> pinned = new ArrayList<>();
    List<Pool> general = new ArrayList<>();
    for (Pool p : byName.values()) {
      if (!p.autoAssign()) {
        continue;
      }
      if (p.restricted()) {
        if (p.pins(namespace) && p.admits(namespace, labels)) {
          pinned.add(p);
        }
      } else {
        general.add(p);
      }
    }
    pinned.sort(
        Comparator.comparingInt((Pool p) -> p.priority() > 0 ? p.priority() : Integer.MAX_VALUE)
            .thenComparing(Pool::name));
    return List.of(pinned, general);
  }
}
