package io.ironlb.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import inet.ipaddr.IPAddress;
import io.ironlb.config.ServiceKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random pools, Services and events (create, update, delete, reconfigure, restart): after every
 * event, no address is held by two Services unless they share it legally, and every address lies in
 * a pool that admits its Service.
 */
class AllocatorProperties {

  /** One event in a run. */
  sealed interface Event permits Upsert, Delete, Reconfigure, Restart, RestartWithStale {}

  record Upsert(Svc svc) implements Event {}

  record Delete(String name) implements Event {}

  record Reconfigure(List<Pool> pools) implements Event {}

  record Restart() implements Event {}

  /**
   * A restart where some Services show an address no pool admits (a status left from an old
   * configuration): those are allocated anew, and must not take an address another Service holds.
   */
  record RestartWithStale(Map<String, String> staleStatus) implements Event {}

  /** Addresses outside every pool layout below. */
  private static final List<String> OUTSIDE = List.of("10.222.9.9", "10.222.1.200", "fd00:222::ff");

  /**
   * Issue 13, finding 2 (MetalLB's allocator tests): over restarts — some with stale statuses — and
   * reconfigurations, an address a Service holds and may keep never moves, and no address is ever
   * held by two Services that may not share it.
   */
  @Property(tries = 300)
  void anAdmissibleHeldAddressNeverMoves(@ForAll("hostileRuns") List<Event> events) {
    Map<ServiceKey, ServiceRequest> live = new HashMap<>();
    Allocator allocator = new Allocator(Pools.of(pools(0)), null);
    for (Event e : events) {
      Map<ServiceKey, List<IPAddress>> held = new HashMap<>();
      for (ServiceKey k : live.keySet()) {
        held.put(k, allocator.addressesOf(k));
      }
      Set<ServiceKey> mayMove = new HashSet<>();
      if (e instanceof Upsert u) {
        ServiceRequest r = withStatus(u.svc(), allocator);
        live.put(r.key(), r);
        mayMove.add(r.key()); // its own request changed
        allocator.reconcile(r);
      } else if (e instanceof Delete d) {
        ServiceKey key = new ServiceKey("default", d.name());
        live.remove(key);
        allocator.remove(key);
      } else if (e instanceof Reconfigure c) {
        Pools next = Pools.of(c.pools());
        for (var entry : held.entrySet()) {
          if (!entry.getValue().isEmpty()
              && !admitted(next, live.get(entry.getKey()), entry.getValue())) {
            mayMove.add(entry.getKey());
          }
        }
        allocator.reconfigure(next, live.values());
      } else if (e instanceof RestartWithStale r) {
        Map<ServiceKey, ServiceRequest> withStatus = new HashMap<>();
        for (var entry : live.entrySet()) {
          String stale = r.staleStatus().get(entry.getKey().name());
          List<IPAddress> status =
              stale != null
                  ? List.of(io.ironlb.config.IpAddresses.parseAddress(stale))
                  : allocator.addressesOf(entry.getKey());
          if (stale != null) {
            mayMove.add(entry.getKey());
          }
          withStatus.put(entry.getKey(), restatus(entry.getValue(), status));
        }
        Allocator fresh = new Allocator(allocator.pools(), null);
        fresh.reconcileAll(withStatus.values());
        allocator = fresh;
        live.putAll(withStatus);
      } else {
        continue;
      }
      for (var entry : held.entrySet()) {
        if (!mayMove.contains(entry.getKey()) && live.containsKey(entry.getKey())) {
          assertThat(allocator.addressesOf(entry.getKey()))
              .as("%s keeps %s after %s", entry.getKey(), entry.getValue(), e)
              .containsAll(entry.getValue());
        }
      }
      check(allocator, live);
    }
  }

  /** Whether these pools let the Service keep these addresses (the allocator's keep rules). */
  private static boolean admitted(Pools pools, ServiceRequest r, List<IPAddress> ips) {
    return pools.all().stream()
        .anyMatch(
            p ->
                ips.stream().allMatch(p::contains)
                    && p.admits(r.key().namespace(), r.labels())
                    && (r.desiredPool() == null || r.desiredPool().equals(p.name())));
  }

  @Provide
  Arbitrary<List<Event>> hostileRuns() {
    Arbitrary<RestartWithStale> stale =
        Arbitraries.maps(
                Arbitraries.of("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7"),
                Arbitraries.of(OUTSIDE))
            .ofMaxSize(3)
            .map(RestartWithStale::new);
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(10, service().map(e -> (Event) new Upsert(e))),
            net.jqwik.api.Tuple.of(
                3,
                Arbitraries.of("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7")
                    .map(n -> (Event) new Delete(n))),
            net.jqwik.api.Tuple.of(
                2,
                Arbitraries.integers().between(0, 2).map(i -> (Event) new Reconfigure(pools(i)))),
            net.jqwik.api.Tuple.of(2, stale.map(e -> (Event) e)))
        .list()
        .ofMinSize(5)
        .ofMaxSize(40);
  }

  @Property(tries = 300)
  void addressesAreNeverHeldTwiceIllegally(@ForAll("runs") List<Event> events) {
    Map<ServiceKey, ServiceRequest> live = new HashMap<>();
    Allocator allocator = new Allocator(Pools.of(pools(0)), null);
    for (Event e : events) {
      if (e instanceof Upsert u) {
        ServiceRequest r = withStatus(u.svc(), allocator);
        live.put(r.key(), r);
        allocator.reconcile(r);
      } else if (e instanceof Delete d) {
        ServiceKey key = new ServiceKey("default", d.name());
        live.remove(key);
        allocator.remove(key);
      } else if (e instanceof Reconfigure c) {
        allocator.reconfigure(Pools.of(c.pools()), live.values());
      } else {
        // A new allocator instance that only sees the Services' statuses.
        Allocator old = allocator;
        Map<ServiceKey, ServiceRequest> withStatus = new HashMap<>();
        live.forEach((k, r) -> withStatus.put(k, restatus(r, old.addressesOf(k))));
        Allocator fresh = new Allocator(old.pools(), null);
        fresh.reconcileAll(withStatus.values());
        for (ServiceKey k : live.keySet()) {
          if (!old.addressesOf(k).isEmpty()) {
            assertThat(fresh.addressesOf(k))
                .as("restart keeps %s's addresses", k)
                .isEqualTo(old.addressesOf(k));
          }
        }
        allocator = fresh;
        live.putAll(withStatus);
      }
      check(allocator, live);
    }
  }

  private static void check(Allocator allocator, Map<ServiceKey, ServiceRequest> live) {
    for (var entry : allocator.addressUsers().entrySet()) {
      IPAddress ip = entry.getKey();
      List<ServiceKey> holders = entry.getValue();
      assertThat(holders).allSatisfy(h -> assertThat(live).containsKey(h));
      if (holders.size() > 1) {
        Set<String> keys = new HashSet<>();
        Set<String> backends = new HashSet<>();
        Set<ServicePort> ports = new HashSet<>();
        for (ServiceKey h : holders) {
          ServiceRequest r = live.get(h);
          keys.add(r.sharingKey());
          backends.add(r.backendKey());
          for (ServicePort p : r.ports()) {
            assertThat(ports.add(p)).as("port %s of %s held twice by %s", p, ip, holders).isTrue();
          }
        }
        assertThat(keys).as("sharing keys on %s", ip).hasSize(1).doesNotContain("");
        assertThat(backends).as("backend keys on %s", ip).hasSize(1);
      }
    }
    for (ServiceKey k : live.keySet()) {
      List<IPAddress> ips = allocator.addressesOf(k);
      if (ips.isEmpty()) {
        continue;
      }
      ServiceRequest r = live.get(k);
      assertThat(allocator.pools().all())
          .as("%s's %s lie in a pool that admits it", k, ips)
          .anyMatch(p -> ips.stream().allMatch(p::contains) && p.admits(k.namespace(), r.labels()));
    }
  }

  private static ServiceRequest withStatus(Svc svc, Allocator allocator) {
    ServiceRequest r = svc.request();
    return restatus(r, allocator.addressesOf(r.key()));
  }

  private static ServiceRequest restatus(ServiceRequest r, List<IPAddress> ips) {
    return new ServiceRequest(
        r.key(),
        r.labels(),
        r.loadBalancer(),
        r.loadBalancerClass(),
        r.family(),
        r.primary(),
        r.policy(),
        r.ports(),
        r.desiredPool(),
        r.desiredIps(),
        r.sharingKey(),
        r.backendKey(),
        ips,
        r.deprecatedAnnotations(),
        r.error());
  }

  /** A few pool layouts over the same small address space, so reconfiguring moves things. */
  static List<Pool> pools(int layout) {
    return switch (layout) {
      case 0 ->
          List.of(
              AllocatorTest.pool("a", "10.222.1.0/29", "fd00:222::/125"),
              AllocatorTest.buggyPool("b", "10.222.1.255-10.222.2.4"));
      case 1 ->
          List.of(
              AllocatorTest.pool("a", "10.222.1.0/30"),
              AllocatorTest.pinned(
                  "b",
                  1,
                  Set.of("default"),
                  Map.of("tier", "x"),
                  "10.222.2.0/30",
                  "fd00:222::/126"));
      default ->
          List.of(
              AllocatorTest.manualPool("a", "10.222.1.4/30"),
              AllocatorTest.pool("c", "10.222.3.0/31"));
    };
  }

  @Provide
  Arbitrary<List<Event>> runs() {
    Arbitrary<Event> upsert = service().map(Upsert::new);
    Arbitrary<Event> delete =
        Arbitraries.of("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7").map(Delete::new);
    Arbitrary<Event> reconfigure =
        Arbitraries.integers().between(0, 2).map(i -> new Reconfigure(pools(i)));
    Arbitrary<Event> restart = Arbitraries.just(new Restart());
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(10, upsert),
            net.jqwik.api.Tuple.of(3, delete),
            net.jqwik.api.Tuple.of(1, reconfigure),
            net.jqwik.api.Tuple.of(1, restart))
        .list()
        .ofMinSize(5)
        .ofMaxSize(40);
  }

  private Arbitrary<Svc> service() {
    Arbitrary<String> names = Arbitraries.of("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7");
    Arbitrary<String> sharing = Arbitraries.of("", "", "k1", "k2");
    Arbitrary<String> port = Arbitraries.of("TCP/80", "TCP/443", "UDP/53");
    Arbitrary<Integer> family = Arbitraries.of(0, 0, 0, 1, 2, 3);
    Arbitrary<String> request =
        Arbitraries.of(
            "",
            "",
            "",
            "pool:a",
            "pool:b",
            "pool:c",
            "ip:10.222.1.1",
            "ip:10.222.2.1",
            "ip:fd00:222::1");
    Arbitrary<Boolean> local = Arbitraries.of(false, false, true);
    Arbitrary<Boolean> labelled = Arbitraries.of(false, true);
    return Combinators.combine(names, sharing, port, family, request, local, labelled)
        .as(
            (name, key, p, fam, req, isLocal, label) -> {
              Svc s = svc(name).ports(p);
              if (!key.isEmpty()) {
                s.share(key);
              }
              switch (fam) {
                case 1 -> s.v6();
                case 2 -> s.dual("RequireDualStack");
                case 3 -> s.dual("PreferDualStack");
                default -> {}
              }
              if (req.startsWith("pool:")) {
                s.pool(req.substring(5));
              } else if (req.startsWith("ip:")) {
                s.ips(req.substring(3));
              }
              if (isLocal) {
                s.local("web");
              }
              if (label) {
                s.label("tier", "x");
              }
              return s;
            });
  }

  private static Svc svc(String name) {
    return Svc.svc(name);
  }
}
