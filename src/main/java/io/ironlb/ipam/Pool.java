package io.ironlb.ipam;

import inet.ipaddr.IPAddress;
import io.ironlb.config.AddressRange;
import io.ironlb.config.LabelSelector;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An IPAddressPool as the allocator uses it: parsed ranges, and its service allocation resolved
 * against the Namespaces (MetalLB's config.Pool).
 *
 * @param restricted true when the pool has a {@code serviceAllocation}: it is then only used
 *     automatically for the Services it pins, never as a general pool
 * @param priority lower first; 0 means none (after every pool that has one)
 * @param namespaces namespaces listed or matched by a namespace selector; empty means any
 * @param serviceSelectors Services the pool is for; empty means any
 */
public record Pool(
    String name,
    List<AddressRange> ranges,
    boolean autoAssign,
    boolean avoidBuggyIPs,
    boolean restricted,
    int priority,
    Set<String> namespaces,
    List<LabelSelector> serviceSelectors) {

  public Pool {
    ranges = List.copyOf(ranges);
    namespaces = Set.copyOf(namespaces);
    serviceSelectors = List.copyOf(serviceSelectors);
  }

  /** MetalLB's isPoolCompatibleWithService. */
  public boolean admits(String namespace, Map<String, String> serviceLabels) {
    if (!namespaces.isEmpty() && !namespaces.contains(namespace)) {
      return false;
    }
    return serviceSelectors.isEmpty()
        || serviceSelectors.stream().anyMatch(s -> s.matches(serviceLabels));
  }

  /** Whether this pool pins Services of the namespace, or pins by service selector. */
  boolean pins(String namespace) {
    return restricted && (namespaces.contains(namespace) || !serviceSelectors.isEmpty());
  }

  public boolean contains(IPAddress a) {
    if (avoidBuggyIPs && isBuggy(a)) {
      return false;
    }
    return ranges.stream().anyMatch(r -> r.contains(a));
  }

  public boolean hasFamily(Family f) {
    return ranges.stream().anyMatch(r -> f.includes(r.range().getLower()));
  }

  /** IPv4 addresses ending in .0 or .255, which some old client firmware mistakes for broadcast. */
  public static boolean isBuggy(IPAddress a) {
    if (!a.isIPv4()) {
      return false;
    }
    int last = a.getSegment(3).getSegmentValue();
    return last == 0 || last == 255;
  }
}
