package io.ironlb.ipam;

import inet.ipaddr.IPAddress;
import io.ironlb.config.ServiceKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides each LoadBalancer Service's addresses, with MetalLB's rules (its controller's
 * convergeBalancer and its allocator): a Service keeps the addresses it has while the configuration
 * admits them; otherwise it gets the lowest free address of the first pool that fits. Pure and
 * single-threaded: the allocator actor owns one instance.
 *
 * <p>Two guarantees the rest of IronLB builds on: an address is never held by two Services unless
 * they may share it, and a Service's existing addresses are honoured before any new allocation is
 * made ({@link #reconcileAll}), so a restart or a failover of the allocator changes no address.
 */
public final class Allocator {

  /** An event to record on the Service, as MetalLB's controller does. */
  public record ServiceEvent(boolean warning, String reason, String message) {}

  /**
   * The outcome for one Service.
   *
   * @param handled false when the Service is not this allocator's (another loadBalancerClass):
   *     leave it alone
   * @param ips the addresses its status should carry (empty: none)
   * @param pool the pool they come from, or null
   * @param error why it has no (new) address, or null
   */
  public record Decision(
      ServiceKey key,
      boolean handled,
      List<String> ips,
      String pool,
      String error,
      List<ServiceEvent> events) {

    static Decision ignored(ServiceKey key) {
      return new Decision(key, false, List.of(), null, null, List.of());
    }
  }

  private final String loadBalancerClass;
  private AddressBook book;

  /** Holdings of the previous configuration while {@link #reconfigure} runs. */
  private Map<ServiceKey, AddressBook.Holding> remembered = Map.of();

  /**
   * @param loadBalancerClass the class this allocator handles; null or empty for Services without
   *     one (MetalLB's {@code --lb-class})
   */
  public Allocator(Pools pools, String loadBalancerClass) {
    this.book = new AddressBook(pools);
    this.loadBalancerClass = loadBalancerClass;
  }

  public Pools pools() {
    return book.pools();
  }

  /** The addresses a Service holds now. */
  public List<IPAddress> addressesOf(ServiceKey key) {
    return book.holding(key).map(AddressBook.Holding::ips).orElse(List.of());
  }

  /** Every Service holding each address in use. */
  public Map<IPAddress, List<ServiceKey>> addressUsers() {
    return book.users();
  }

  public List<PoolCounts> counts() {
    return book.pools().all().stream().map(book::counts).toList();
  }

  /** Frees a deleted Service's addresses. */
  public void remove(ServiceKey key) {
    book.unassign(key);
  }

  /**
   * Reconciles every Service. First every address a Service holds and may keep is recorded, for all
   * Services, before anything is allocated (MetalLB's controller does the same on start-up): a
   * Service whose address is no longer admitted must not be handed an address that a later Service
   * in the list still holds. Then each Service is reconciled in key order, those that already have
   * addresses first.
   */
  public List<Decision> reconcileAll(Collection<ServiceRequest> requests) {
    List<ServiceRequest> sorted =
        requests.stream().sorted(Comparator.comparing(ServiceRequest::key)).toList();
    for (ServiceRequest r : sorted) {
      reserveHeld(r);
    }
    Map<ServiceKey, Decision> out = new HashMap<>();
    for (ServiceRequest r : sorted) {
      if (!current(r).isEmpty()) {
        out.put(r.key(), reconcile(r));
      }
    }
    for (ServiceRequest r : sorted) {
      if (!out.containsKey(r.key())) {
        out.put(r.key(), reconcile(r));
      }
    }
    return sorted.stream().map(r -> out.get(r.key())).toList();
  }

  /**
   * Records the addresses a Service holds when {@link #reconcile} would let it keep them, and
   * nothing else: no allocation, no event.
   */
  private void reserveHeld(ServiceRequest r) {
    List<IPAddress> current = current(r);
    if (current.isEmpty()
        || !r.isHandledBy(loadBalancerClass)
        || !r.loadBalancer()
        || book.pools().isEmpty()) {
      return;
    }
    if (r.error() != null) {
      book.poolFor(current)
          .ifPresent(
              p -> book.assign(r.key(), p, current, r.ports(), r.sharingKey(), r.backendKey()));
      return;
    }
    if (!familyChanged(current, r)) {
      keep(r, current); // records them when admissible; a refusal is reported by reconcile
    }
  }

  /**
   * Applies a new configuration: Services keep their addresses where the new pools admit them, the
   * others are cleared and allocated again, and Services no longer present are forgotten.
   */
  public List<Decision> reconfigure(Pools pools, Collection<ServiceRequest> requests) {
    Map<ServiceKey, AddressBook.Holding> before = new HashMap<>(book.holdings());
    book = new AddressBook(pools);
    remembered = before;
    try {
      return reconcileAll(requests);
    } finally {
      remembered = Map.of();
    }
  }

  /** The addresses the Service has: ours when we decided them, else its status. */
  private List<IPAddress> current(ServiceRequest r) {
    Optional<AddressBook.Holding> h = book.holding(r.key());
    if (h.isPresent()) {
      return h.get().ips();
    }
    AddressBook.Holding old = remembered.get(r.key());
    return old != null ? old.ips() : r.currentIps();
  }

  /** MetalLB's convergeBalancer for one Service. */
  public Decision reconcile(ServiceRequest r) {
    ServiceKey key = r.key();
    if (!r.isHandledBy(loadBalancerClass)) {
      book.unassign(key);
      return Decision.ignored(key);
    }
    List<ServiceEvent> events = new ArrayList<>();
    for (String deprecated : r.deprecatedAnnotations()) {
      events.add(
          new ServiceEvent(
              true,
              "DeprecatedAnnotation",
              "annotation "
                  + deprecated
                  + " is deprecated, use "
                  + ServiceRequest.PREFIX
                  + deprecated.substring(ServiceRequest.DEPRECATED_PREFIX.length())));
    }
    if (!r.loadBalancer()) {
      book.unassign(key);
      return new Decision(key, true, List.of(), null, null, events);
    }
    List<IPAddress> current = new ArrayList<>(current(r));
    if (book.pools().isEmpty()) {
      // Keep what the Service has: an empty configuration is more often a mistake being fixed
      // than a wish to take every address away (MetalLB clears here).
      return decision(key, current, null, "no IPAddressPool is configured", events);
    }
    if (r.error() != null) {
      // The Service's request is unreadable; it keeps (and we reserve) what it has.
      book.poolFor(current)
          .ifPresent(p -> book.assign(key, p, current, r.ports(), r.sharingKey(), r.backendKey()));
      events.add(new ServiceEvent(true, "LoadBalancerFailed", r.error()));
      return decision(key, current, poolName(key), r.error(), events);
    }

    if (!current.isEmpty() && familyChanged(current, r)) {
      clear(key, current);
    }
    if (!current.isEmpty()) {
      String why = keep(r, current);
      if (why != null) {
        events.add(
            new ServiceEvent(
                false,
                "ClearAssignment",
                "current IP for \""
                    + key
                    + "\" not allowed by config, will attempt for new IP"
                    + " assignment: "
                    + why));
        clear(key, current);
      }
    }
    // A Service that names its addresses gets exactly those: adding the other family (as MetalLB
    // does) would leave a state its own request no longer admits after a restart.
    if (current.size() == 1
        && r.family() == Family.DUAL
        && r.prefersDualStack()
        && r.desiredIps().isEmpty()) {
      addMissingFamily(r, current, events);
    }
    if (current.isEmpty()) {
      String error = allocate(r);
      if (error != null) {
        events.add(
            new ServiceEvent(
                true, "AllocationFailed", "Failed to allocate IP for \"" + key + "\": " + error));
        return new Decision(key, true, List.of(), null, error, events);
      }
      current.addAll(addressesOf(key));
      events.add(new ServiceEvent(false, "IPAllocated", "Assigned IP " + quoted(current)));
    }
    return decision(key, current, poolName(key), null, events);
  }

  private Decision decision(
      ServiceKey key, List<IPAddress> ips, String pool, String error, List<ServiceEvent> events) {
    return new Decision(
        key, true, ips.stream().map(IPAddress::toCanonicalString).toList(), pool, error, events);
  }

  private String poolName(ServiceKey key) {
    return book.holding(key).map(AddressBook.Holding::pool).orElse(null);
  }

  private void clear(ServiceKey key, List<IPAddress> current) {
    book.unassign(key);
    current.clear();
  }

  /** MetalLB's serviceFamilyChanged. */
  private static boolean familyChanged(List<IPAddress> current, ServiceRequest r) {
    Family have;
    try {
      have = Family.of(current);
    } catch (IllegalArgumentException e) {
      return true;
    }
    if (have == r.family()) {
      return false;
    }
    return !(r.family() == Family.DUAL && r.prefersDualStack());
  }

  /** Why the Service may not keep these addresses, or null once they are (re)recorded. */
  private String keep(ServiceRequest r, List<IPAddress> current) {
    Optional<Pool> pool = book.poolFor(current);
    if (pool.isEmpty()) {
      return quoted(current) + " is not in any IPAddressPool";
    }
    if (!pool.get().admits(r.key().namespace(), r.labels())) {
      return "pool \"" + pool.get().name() + "\" does not admit this Service";
    }
    if (r.desiredPool() != null && !r.desiredPool().equals(pool.get().name())) {
      return "the Service asks for pool \"" + r.desiredPool() + "\"";
    }
    if (!r.desiredIps().isEmpty()
        && !new HashSet<>(r.desiredIps()).equals(new HashSet<>(current))) {
      return "the Service asks for " + quoted(r.desiredIps());
    }
    return book.assign(r.key(), pool.get(), current, r.ports(), r.sharingKey(), r.backendKey());
  }

  /** PreferDualStack with one family: take the other from the same pool when it can. */
  private void addMissingFamily(
      ServiceRequest r, List<IPAddress> current, List<ServiceEvent> events) {
    Optional<Pool> pool = book.holding(r.key()).flatMap(h -> book.pools().get(h.pool()));
    if (pool.isEmpty()) {
      return;
    }
    Family missing = current.get(0).isIPv4() ? Family.IPV6 : Family.IPV4;
    IPAddress extra =
        book.free(pool.get(), r.key(), r.ports(), r.sharingKey(), r.backendKey()).get(missing);
    if (extra == null) {
      return;
    }
    List<IPAddress> both = List.of(current.get(0), extra);
    if (book.assign(r.key(), pool.get(), both, r.ports(), r.sharingKey(), r.backendKey()) == null) {
      current.add(extra);
      events.add(
          new ServiceEvent(
              false, "IPAllocated", "Assigned additional IP " + quoted(List.of(extra))));
    }
  }

  /** MetalLB's allocateIPs: requested addresses, else the requested pool, else the candidates. */
  private String allocate(ServiceRequest r) {
    ServiceKey key = r.key();
    if (!r.desiredIps().isEmpty()) {
      Family asked = Family.of(r.desiredIps());
      if (asked != r.family()) {
        return "requested loadBalancer IP(s) "
            + quoted(r.desiredIps())
            + " do not match the Service's family ("
            + r.family().label()
            + ")";
      }
      Optional<Pool> pool = book.poolFor(r.desiredIps());
      if (pool.isEmpty()) {
        return quoted(r.desiredIps()) + " is not in any IPAddressPool";
      }
      if (r.desiredPool() != null && !r.desiredPool().equals(pool.get().name())) {
        return "requested loadBalancer IP(s) "
            + quoted(r.desiredIps())
            + " are not in the requested pool \""
            + r.desiredPool()
            + "\"";
      }
      if (!pool.get().admits(key.namespace(), r.labels())) {
        return "pool \"" + pool.get().name() + "\" does not admit this Service";
      }
      return book.assign(
          key, pool.get(), r.desiredIps(), r.ports(), r.sharingKey(), r.backendKey());
    }
    if (r.desiredPool() != null) {
      Optional<Pool> pool = book.pools().get(r.desiredPool());
      if (pool.isEmpty()) {
        return "unknown pool \"" + r.desiredPool() + "\"";
      }
      if (!pool.get().admits(key.namespace(), r.labels())) {
        return "pool \"" + pool.get().name() + "\" does not admit this Service";
      }
      return allocateFrom(r, List.of(pool.get()));
    }
    List<List<Pool>> tiers = book.pools().candidatesFor(key.namespace(), r.labels());
    List<Pool> all = tiers.stream().flatMap(List::stream).toList();
    if (all.isEmpty()) {
      return "no IPAddressPool with autoAssign admits this Service";
    }
    for (List<Pool> tier : tiers) {
      if (!tier.isEmpty() && allocateFrom(r, tier) == null) {
        return null;
      }
    }
    return allocateFrom(r, all);
  }

  /**
   * MetalLB's findBestPoolForService over the pools in order; returns why nothing fits (naming the
   * exhausted pools or the missing family), or null once assigned.
   */
  private String allocateFrom(ServiceRequest r, List<Pool> pools) {
    List<IPAddress> preferPrimary = null;
    List<IPAddress> preferSecondary = null;
    Pool primaryPool = null;
    Pool secondaryPool = null;
    List<String> exhausted = new ArrayList<>();
    boolean familyOffered = false;
    for (Pool pool : pools) {
      boolean offers =
          r.family() == Family.DUAL
              ? pool.hasFamily(Family.IPV4) && pool.hasFamily(Family.IPV6)
                  || r.prefersDualStack()
                      && (pool.hasFamily(Family.IPV4) || pool.hasFamily(Family.IPV6))
              : pool.hasFamily(r.family());
      familyOffered |= offers;
      Map<Family, IPAddress> free =
          book.free(pool, r.key(), r.ports(), r.sharingKey(), r.backendKey());
      List<IPAddress> chosen = null;
      if (r.family() != Family.DUAL) {
        IPAddress ip = free.get(r.family());
        chosen = ip == null ? null : List.of(ip);
      } else if (free.containsKey(Family.IPV4) && free.containsKey(Family.IPV6)) {
        chosen = List.of(free.get(Family.IPV4), free.get(Family.IPV6));
      } else if (r.prefersDualStack()) {
        if (free.containsKey(Family.IPV4) && preferPrimary == null) {
          preferPrimary = List.of(free.get(Family.IPV4));
          primaryPool = pool;
        }
        if (free.containsKey(Family.IPV6) && preferSecondary == null) {
          preferSecondary = List.of(free.get(Family.IPV6));
          secondaryPool = pool;
        }
      }
      if (chosen != null) {
        return book.assign(r.key(), pool, chosen, r.ports(), r.sharingKey(), r.backendKey());
      }
      if (offers) {
        exhausted.add(pool.name());
      }
    }
    // PreferDualStack with no pool offering both: the family the Service lists first, as MetalLB
    // (its allocator takes spec.ipFamilies[0]); the other one when that family has nothing free.
    if (r.primary() == Family.IPV6) {
      List<IPAddress> swap = preferPrimary;
      preferPrimary = preferSecondary;
      preferSecondary = swap;
      Pool swapPool = primaryPool;
      primaryPool = secondaryPool;
      secondaryPool = swapPool;
    }
    if (preferPrimary != null) {
      return book.assign(
          r.key(), primaryPool, preferPrimary, r.ports(), r.sharingKey(), r.backendKey());
    }
    if (preferSecondary != null) {
      return book.assign(
          r.key(), secondaryPool, preferSecondary, r.ports(), r.sharingKey(), r.backendKey());
    }
    String names =
        pools.stream().map(p -> "\"" + p.name() + "\"").collect(Collectors.joining(", "));
    if (!familyOffered) {
      return "no "
          + r.family().label()
          + " addresses in pool"
          + (pools.size() == 1 ? " " : "s ")
          + names;
    }
    return "no available IPs in pool"
        + (exhausted.size() == 1 ? " " : "s ")
        + exhausted.stream().map(p -> "\"" + p + "\"").collect(Collectors.joining(", "))
        + (r.sharingKey().isEmpty()
            ? ""
            : " (none free or shareable with key \"" + r.sharingKey() + "\")");
  }

  private static String quoted(List<IPAddress> ips) {
    return ips.stream()
        .map(ip -> "\"" + ip.toCanonicalString() + "\"")
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
