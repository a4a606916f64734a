package io.ironlb.ipam;

import inet.ipaddr.IPAddress;
import io.ironlb.config.ServiceKey;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who holds which address (MetalLB's allocator state): each Service's holding, and for each address
 * its users, their sharing key, backend key and ports. The invariant it keeps: an address is held
 * by several Services only when they all have the same non-empty sharing key, the same backend key,
 * and no (protocol, port) in common.
 */
final class AddressBook {

  /** One Service's addresses and the terms it holds them on. */
  record Holding(
      String pool,
      List<IPAddress> ips,
      List<ServicePort> ports,
      String sharingKey,
      String backendKey) {}

  /** The users of one address. */
  private static final class Use {
    final String sharingKey;
    final String backendKey;
    final Map<ServicePort, ServiceKey> ports = new HashMap<>();
    final Set<ServiceKey> services = new TreeSet<>();

    Use(String sharingKey, String backendKey) {
      this.sharingKey = sharingKey;
      this.backendKey = backendKey;
    }
  }

  private final Pools pools;
  private final Map<String, List<RangeState>> ranges = new LinkedHashMap<>();
  private final Map<ServiceKey, Holding> holdings = new HashMap<>();
  private final Map<IPAddress, Use> uses = new HashMap<>();
  private final Map<String, NavigableSet<IPAddress>> sharedByKey = new HashMap<>();

  AddressBook(Pools pools) {
    this.pools = pools;
    for (Pool p : pools.all()) {
      ranges.put(p.name(), p.ranges().stream().map(RangeState::new).toList());
    }
  }

  Pools pools() {
    return pools;
  }

  Optional<Holding> holding(ServiceKey key) {
    return Optional.ofNullable(holdings.get(key));
  }

  Map<ServiceKey, Holding> holdings() {
    return holdings;
  }

  /** The pool that holds every one of these addresses (MetalLB's poolFor). */
  Optional<Pool> poolFor(List<IPAddress> ips) {
    return pools.all().stream().filter(p -> ips.stream().allMatch(p::contains)).findFirst();
  }

  /**
   * Why the Service may not use this address, naming the Service in the way, or null when it may
   * (MetalLB's checkSharing).
   */
  String conflict(
      ServiceKey svc, IPAddress ip, List<ServicePort> ports, String sharingKey, String backendKey) {
    Use use = uses.get(ip);
    if (use == null) {
      return null;
    }
    List<ServiceKey> others = use.services.stream().filter(s -> !s.equals(svc)).toList();
    if (others.isEmpty()) {
      return null;
    }
    String who = others.size() == 1 ? others.get(0).toString() : others.toString();
    if (use.sharingKey.isEmpty()) {
      return ip + " is in use by " + who + ", which does not allow sharing";
    }
    if (sharingKey.isEmpty()) {
      return ip
          + " is in use by "
          + who
          + "; both Services need the same allow-shared-ip annotation to share it";
    }
    if (!use.sharingKey.equals(sharingKey)) {
      return ip
          + " is in use by "
          + who
          + " with sharing key \""
          + use.sharingKey
          + "\", not \""
          + sharingKey
          + "\"";
    }
    if (!use.backendKey.equals(backendKey)) {
      return ip
          + " is in use by "
          + who
          + " with other backends (externalTrafficPolicy Local needs the same selector)";
    }
    for (ServicePort p : ports) {
      ServiceKey holder = use.ports.get(p);
      if (holder != null && !holder.equals(svc)) {
        return "port " + p + " of " + ip + " is in use by " + holder;
      }
    }
    return null;
  }

  /** Records the holding, replacing the Service's previous one; returns why not, or null. */
  String assign(
      ServiceKey svc,
      Pool pool,
      List<IPAddress> ips,
      List<ServicePort> ports,
      String sharingKey,
      String backendKey) {
    if (ips.isEmpty() || ips.size() > 2) {
      return "expected one or two addresses, got " + ips.size();
    }
    if (ips.size() == 2 && ips.get(0).isIPv4() == ips.get(1).isIPv4()) {
      return ips.get(0) + " and " + ips.get(1) + " are of the same family";
    }
    for (IPAddress ip : ips) {
      if (!pool.contains(ip)) {
        return ip + " is not in pool \"" + pool.name() + "\"";
      }
      String conflict = conflict(svc, ip, ports, sharingKey, backendKey);
      if (conflict != null) {
        return conflict;
      }
    }
    unassign(svc);
    holdings.put(
        svc,
        new Holding(pool.name(), List.copyOf(ips), List.copyOf(ports), sharingKey, backendKey));
    for (IPAddress ip : ips) {
      Use use = uses.computeIfAbsent(ip, a -> new Use(sharingKey, backendKey));
      use.services.add(svc);
      for (ServicePort p : ports) {
        use.ports.put(p, svc);
      }
      if (!sharingKey.isEmpty()) {
        sharedByKey.computeIfAbsent(sharingKey, k -> new TreeSet<>()).add(ip);
      }
      rangeOf(pool.name(), ip).ifPresent(r -> r.mark(ip, true));
    }
    return null;
  }

  void unassign(ServiceKey svc) {
    Holding h = holdings.remove(svc);
    if (h == null) {
      return;
    }
    for (IPAddress ip : h.ips()) {
      Use use = uses.get(ip);
      if (use == null) {
        continue;
      }
      use.services.remove(svc);
      use.ports.values().removeIf(svc::equals);
      if (use.services.isEmpty()) {
        uses.remove(ip);
        if (!use.sharingKey.isEmpty()) {
          NavigableSet<IPAddress> shared = sharedByKey.get(use.sharingKey);
          shared.remove(ip);
          if (shared.isEmpty()) {
            sharedByKey.remove(use.sharingKey);
          }
        }
        rangeOf(h.pool(), ip).ifPresent(r -> r.mark(ip, false));
      }
    }
  }

  /**
   * The lowest usable address of each family in the pool: for each range in order, the lowest
   * address that is free or that this Service may share (MetalLB's getFreeIPsFromPool, with the
   * first range of a family that has one winning).
   */
  Map<Family, IPAddress> free(
      Pool pool, ServiceKey svc, List<ServicePort> ports, String sharingKey, String backendKey) {
    Map<Family, IPAddress> found = new EnumMap<>(Family.class);
    for (RangeState r : ranges.getOrDefault(pool.name(), List.of())) {
      Family f = r.isIpv4() ? Family.IPV4 : Family.IPV6;
      if (found.containsKey(f)) {
        continue;
      }
      IPAddress best = null;
      OptionalLong off = r.lowestFree(pool.avoidBuggyIPs());
      if (off.isPresent()) {
        best = r.at(off.getAsLong());
      }
      if (!sharingKey.isEmpty()) {
        for (IPAddress shared : sharedByKey.getOrDefault(sharingKey, new TreeSet<>())) {
          if (best != null && shared.compareTo(best) >= 0) {
            break;
          }
          if (r.contains(shared) && conflict(svc, shared, ports, sharingKey, backendKey) == null) {
            best = shared;
            break;
          }
        }
      }
      if (best != null) {
        found.put(f, best);
      }
    }
    return found;
  }

  /** Assigned and available addresses of a pool, per family (the IPAddressPool status). */
  PoolCounts counts(Pool pool) {
    long assigned4 = 0;
    long assigned6 = 0;
    long capacity4 = 0;
    long capacity6 = 0;
    for (RangeState r : ranges.getOrDefault(pool.name(), List.of())) {
      if (r.isIpv4()) {
        assigned4 += r.used();
        capacity4 = saturatedAdd(capacity4, r.capacity(pool.avoidBuggyIPs()));
      } else {
        assigned6 += r.used();
        capacity6 = saturatedAdd(capacity6, r.capacity(pool.avoidBuggyIPs()));
      }
    }
    return new PoolCounts(
        pool.name(), assigned4, assigned6, capacity4 - assigned4, capacity6 - assigned6);
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  private Optional<RangeState> rangeOf(String pool, IPAddress ip) {
    return ranges.getOrDefault(pool, List.of()).stream().filter(r -> r.contains(ip)).findFirst();
  }

  /** Every address in use and its holders, for checks. */
  Map<IPAddress, List<ServiceKey>> users() {
    Map<IPAddress, List<ServiceKey>> m = new HashMap<>();
    uses.forEach((ip, u) -> m.put(ip, new ArrayList<>(u.services)));
    return m;
  }
}
