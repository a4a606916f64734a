package io.ironlb.ipam;

import static io.ironlb.ipam.Svc.svc;
import static org.assertj.core.api.Assertions.assertThat;

import io.ironlb.config.AddressRange;
import io.ironlb.config.LabelSelector;
import io.ironlb.config.ServiceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Step tables after MetalLB's allocator tests (TestAssignment, TestPoolAllocation, TestBuggyIPs,
 * TestPoolCount and the sharing, dual-stack and serviceAllocation cases): each step reconciles (or
 * deletes) one Service against the allocator's running state and states exactly which addresses it
 * ends with, or the reason it gets none.
 */
class AllocatorTest {

  /**
   * One step: reconcile {@code svc} (or delete {@code key}); expect {@code ips} or {@code error}.
   */
  record Step(String desc, Svc svc, String deleteKey, String ips, String error) {}

  static Step ok(String desc, Svc svc, String ips) {
    return new Step(desc, svc, null, ips, null);
  }

  static Step fails(String desc, Svc svc, String error) {
    return new Step(desc, svc, null, "", error);
  }

  static Step delete(String desc, String key) {
    return new Step(desc, null, key, null, null);
  }

  static Pool pool(String name, String... ranges) {
    return new Pool(name, ranges(ranges), true, false, false, 0, Set.of(), List.of());
  }

  static Pool buggyPool(String name, String... ranges) {
    return new Pool(name, ranges(ranges), true, true, false, 0, Set.of(), List.of());
  }

  static Pool manualPool(String name, String... ranges) {
    return new Pool(name, ranges(ranges), false, false, false, 0, Set.of(), List.of());
  }

  static Pool pinned(
      String name, int priority, Set<String> ns, Map<String, String> labels, String... ranges) {
    return new Pool(
        name,
        ranges(ranges),
        true,
        false,
        true,
        priority,
        ns,
        labels.isEmpty() ? List.of() : List.of(LabelSelector.matching(labels)));
  }

  private static List<AddressRange> ranges(String... ranges) {
    return Stream.of(ranges).map(AddressRange::parse).toList();
  }

  static Stream<Arguments> scenarios() {
    return Stream.of(
        Arguments.of(
            "TestAssignment (IPv4, requested addresses, sharing)",
            List.of(pool("test", "10.222.1.4/31"), buggyPool("buggy", "10.222.2.0/23")),
            List.of(
                ok("assign s1", svc("s1").ips("10.222.1.4"), "10.222.1.4"),
                ok("s1 idempotent reassign", svc("s1").ips("10.222.1.4"), "10.222.1.4"),
                fails(
                    "s2 can't grab s1's IP",
                    svc("s2").ips("10.222.1.4"),
                    "10.222.1.4 is in use by default/s1, which does not allow sharing"),
                ok("s2 can get the other IP", svc("s2").ips("10.222.1.5"), "10.222.1.5"),
                delete("s1 frees its IP", "default/s1"),
                ok("s3 can grab s1's former IP", svc("s3").ips("10.222.1.4"), "10.222.1.4"),
                fails(
                    "s4 cannot grab a 0 buggy IP",
                    svc("s4").ips("10.222.2.0"),
                    "[\"10.222.2.0\"] is not in any IPAddressPool"),
                fails(
                    "s4 cannot grab a 255 buggy IP",
                    svc("s4").ips("10.222.2.255"),
                    "[\"10.222.2.255\"] is not in any IPAddressPool"),
                ok(
                    "s4 can grab another IP in that pool",
                    svc("s4").ips("10.222.3.1"),
                    "10.222.3.1"),
                ok(
                    "s5 takes an IP, with sharing",
                    svc("s5").ips("10.222.2.7").share("sharing").ports("TCP/80"),
                    "10.222.2.7"),
                fails(
                    "s6 can't share with s5 (port conflict)",
                    svc("s6").ips("10.222.2.7").share("sharing").ports("TCP/80"),
                    "port TCP/80 of 10.222.2.7 is in use by default/s5"),
                fails(
                    "s6 can't share with s5 (wrong sharing key)",
                    svc("s6").ips("10.222.2.7").share("othersharing").ports("TCP/443"),
                    "10.222.2.7 is in use by default/s5 with sharing key \"sharing\", not \"othersharing\""),
                fails(
                    "s6 can't share with s5 (wrong backend key)",
                    svc("s6").ips("10.222.2.7").share("sharing").ports("TCP/443").local("other"),
                    "10.222.2.7 is in use by default/s5 with other backends (externalTrafficPolicy Local needs the same selector)"),
                ok(
                    "s6 takes the same IP as s5",
                    svc("s6").ips("10.222.2.7").share("sharing").ports("TCP/443"),
                    "10.222.2.7"),
                ok(
                    "s6 can change its ports while keeping the same IP",
                    svc("s6").ips("10.222.2.7").share("sharing").ports("TCP/443", "UDP/53"),
                    "10.222.2.7"),
                ok(
                    "UDP and TCP on one port are different",
                    svc("s7").ips("10.222.2.7").share("sharing").ports("UDP/80"),
                    "10.222.2.7"),
                delete("s5 leaves", "default/s5"),
                delete("s6 leaves", "default/s6"),
                delete("s7 leaves", "default/s7"),
                ok(
                    "once all sharers left, anyone may take it",
                    svc("s8").ips("10.222.2.7"),
                    "10.222.2.7"))),
        Arguments.of(
            "TestAssignment (IPv6)",
            List.of(pool("test", "fd00:222::4/127")),
            List.of(
                ok("ipv6 assign s1", svc("s1").v6().ips("fd00:222::4"), "fd00:222::4"),
                fails(
                    "s2 can't grab s1's IP",
                    svc("s2").v6().ips("fd00:222::4"),
                    "fd00:222::4 is in use by default/s1, which does not allow sharing"),
                ok("s2 gets the next one", svc("s2").v6(), "fd00:222::5"),
                fails("the pool is full", svc("s3").v6(), "no available IPs in pool \"test\""),
                fails(
                    "IPv4 Service and an IPv6-only pool",
                    svc("s4"),
                    "no IPv4 addresses in pool \"test\""))),
        Arguments.of(
            "TestPoolAllocation (exhaust, release, share)",
            List.of(pool("test", "10.222.1.0/31", "10.222.1.2/31")),
            List.of(
                ok("s1 gets an IPv4", svc("s1"), "10.222.1.0"),
                ok("s2 gets an IPv4", svc("s2"), "10.222.1.1"),
                ok("s3 gets an IPv4 from the second range", svc("s3"), "10.222.1.2"),
                ok("s4 gets an IPv4", svc("s4"), "10.222.1.3"),
                fails("s5 can't get an IPv4", svc("s5"), "no available IPs in pool \"test\""),
                delete("s1 releases its IPv4", "default/s1"),
                ok("s5 can now grab s1's former IPv4", svc("s5").share("key"), "10.222.1.0"),
                fails(
                    "s6 can't share without the key",
                    svc("s6").ports("TCP/443"),
                    "no available IPs in pool \"test\""),
                ok(
                    "s6 can get an IPv4 now, with sharing",
                    svc("s6").share("key").ports("TCP/443"),
                    "10.222.1.0"),
                fails(
                    "s7 shares the key but clashes on the port",
                    svc("s7").share("key").ports("TCP/443"),
                    "no available IPs in pool \"test\" (none free or shareable with key \"key\")"))),
        Arguments.of(
            "TestBuggyIPs (avoidBuggyIPs skips .0 and .255)",
            List.of(buggyPool("test", "10.222.1.254/31", "10.222.2.0/31")),
            List.of(
                ok("skips nothing below .255", svc("s1"), "10.222.1.254"),
                ok("skips .255 and .0", svc("s2"), "10.222.2.1"),
                fails("the rest are buggy", svc("s3"), "no available IPs in pool \"test\""))),
        Arguments.of(
            "requested pool and autoAssign",
            List.of(pool("auto", "10.222.1.0/30"), manualPool("manual", "10.222.9.0/30")),
            List.of(
                ok("auto pool by default", svc("s1"), "10.222.1.0"),
                ok("manual pool by annotation", svc("s2").pool("manual"), "10.222.9.0"),
                ok(
                    "deprecated annotation works too",
                    svc("s3").annotation("metallb.universe.tf/address-pool", "manual"),
                    "10.222.9.1"),
                fails("unknown pool", svc("s4").pool("nope"), "unknown pool \"nope\""),
                ok("requested IP in a manual pool", svc("s5").specIp("10.222.9.3"), "10.222.9.3"),
                fails(
                    "requested IP not in the requested pool",
                    svc("s6").ips("10.222.1.3").pool("manual"),
                    "requested loadBalancer IP(s) [\"10.222.1.3\"] are not in the requested pool \"manual\""),
                fails(
                    "both loadBalancerIPs and spec.loadBalancerIP",
                    svc("s7").ips("10.222.1.3").specIp("10.222.1.3"),
                    "service can not have both metallb.io/loadBalancerIPs and spec.loadBalancerIP"),
                fails(
                    "requested family differs",
                    svc("s8").ips("fd00:222::1"),
                    "requested loadBalancer IP(s) [\"fd00:222::1\"] do not match the Service's family (IPv4)"),
                ok("moving to another pool re-allocates", svc("s1").pool("manual"), "10.222.9.2"))),
        Arguments.of(
            "dual-stack",
            List.of(
                pool("v4only", "10.222.1.0/31"),
                pool("z-dual", "10.222.2.0/31", "fd00:222:2::/126")),
            List.of(
                ok(
                    "RequireDualStack skips the v4-only pool",
                    svc("s1").dual("RequireDualStack"),
                    "10.222.2.0,fd00:222:2::"),
                ok(
                    "requested dual-stack addresses",
                    svc("s2").dual("RequireDualStack").ips("10.222.2.1,fd00:222:2::1"),
                    "10.222.2.1,fd00:222:2::1"),
                fails(
                    "RequireDualStack with one family left nowhere",
                    svc("s3").dual("RequireDualStack"),
                    "no available IPs in pool \"z-dual\""),
                ok(
                    "PreferDualStack settles for one family",
                    svc("s3").dual("PreferDualStack"),
                    "10.222.1.0"),
                ok("IPv6 single stack", svc("s4").v6(), "fd00:222:2::2"))),
        Arguments.of(
            "serviceAllocation: namespaces, labels, priority",
            List.of(
                pool("general", "10.222.1.0/30"),
                pinned("ns-web", 20, Set.of("web"), Map.of(), "10.222.2.0/30"),
                pinned("ns-web-first", 10, Set.of("web"), Map.of(), "10.222.3.0/31"),
                pinned("team-a", 0, Set.of(), Map.of("team", "a"), "10.222.4.0/30")),
            List.of(
                ok("other namespaces use the general pool", svc("default", "s1"), "10.222.1.0"),
                ok("pinned namespace, lowest priority first", svc("web", "s2"), "10.222.3.0"),
                ok("still the first", svc("web", "s3"), "10.222.3.1"),
                ok("then the next priority", svc("web", "s4"), "10.222.2.0"),
                ok(
                    "service label selects its pool",
                    svc("default", "s5").label("team", "a"),
                    "10.222.4.0"),
                ok(
                    "priority before no priority",
                    svc("web", "s6").label("team", "a"),
                    "10.222.2.1"),
                fails(
                    "a pinned pool refuses other namespaces",
                    svc("default", "s7").pool("ns-web"),
                    "pool \"ns-web\" does not admit this Service"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void scenario(String name, List<Pool> pools, List<Step> steps) {
    Allocator allocator = new Allocator(Pools.of(pools), null);
    List<String> failures = new ArrayList<>();
    for (Step step : steps) {
      if (step.deleteKey() != null) {
        allocator.remove(ServiceKey.parse(step.deleteKey()));
        continue;
      }
      Allocator.Decision d = allocator.reconcile(step.svc().request());
      String ips = String.join(",", d.ips());
      if (!ips.equals(step.ips()) || !java.util.Objects.equals(d.error(), step.error())) {
        failures.add(
            step.desc()
                + ": got ips=["
                + ips
                + "] error="
                + d.error()
                + "; want ips=["
                + step.ips()
                + "] error="
                + step.error());
      }
    }
    assertThat(failures).isEmpty();
  }

  /**
   * MetalLB allocator_test.go TestConfigReload, row by row: s1 holds 10.222.3.0 (MetalLB: 1.2.3.0)
   * and s2 fd00:222:: (1000::) in pool "test"; then the pools change. Where MetalLB's allocator
   * leaves a Service without a pool (its controller allocates again later), IronLB's reconfigure
   * allocates at once, so the row expects the Service's new pool and address.
   */
  static Stream<Arguments> configReload() {
    return Stream.of(
        Arguments.of(
            "set same config is no-op",
            List.of(pool("test", "10.222.3.0/30", "fd00:222::/126")),
            "test 10.222.3.0",
            "test fd00:222::"),
        Arguments.of(
            "expand pool",
            List.of(pool("test", "10.222.3.0/24", "fd00:222::/120")),
            "test 10.222.3.0",
            "test fd00:222::"),
        Arguments.of(
            "shrink pool",
            List.of(pool("test", "10.222.3.0/30", "fd00:222::/126")),
            "test 10.222.3.0",
            "test fd00:222::"),
        Arguments.of(
            "can't shrink further, removing the service allocation (IronLB: allocated again)",
            List.of(pool("test", "10.222.3.2/31", "fd00:222::/126")),
            "test 10.222.3.2",
            "test fd00:222::"),
        Arguments.of(
            "can't shrink further ipv6, removing the service allocation (IronLB: allocated again)",
            List.of(pool("test", "10.222.3.0/30", "fd00:222::2/127")),
            "test 10.222.3.0",
            "test fd00:222::2"),
        Arguments.of(
            "rename the pool",
            List.of(pool("test2", "10.222.3.0/30", "fd00:222::/126")),
            "test2 10.222.3.0",
            "test2 fd00:222::"),
        Arguments.of(
            "split pool",
            List.of(
                pool("test", "10.222.3.0/31", "fd00:222::2/127"),
                pool("test2", "10.222.3.2/31", "fd00:222::/127")),
            "test 10.222.3.0",
            "test2 fd00:222::"),
        Arguments.of(
            "enable buggy IPs not allowed (IronLB: allocated again, avoiding .0)",
            List.of(buggyPool("test2", "10.222.3.0/31", "fd00:222::/127")),
            "test2 10.222.3.1",
            "test2 fd00:222::"));
  }

  @ParameterizedTest(name = "TestConfigReload: {0}")
  @MethodSource("configReload")
  void configReload(String desc, List<Pool> after, String s1, String s2) {
    Allocator a =
        new Allocator(
            Pools.of(
                List.of(
                    pool("test", "10.222.3.0/30", "fd00:222::/126"),
                    pool("unused", "10.222.4.0/30", "fd00:222:1::/126"))),
            null);
    List<ServiceRequest> services =
        List.of(
            svc("s1").status("10.222.3.0").request(),
            svc("s2").v6().status("fd00:222::").request());
    a.reconcileAll(services);
    List<Allocator.Decision> d = a.reconfigure(Pools.of(after), services);
    assertThat(d.get(0).pool() + " " + String.join(",", d.get(0).ips())).as("s1").isEqualTo(s1);
    assertThat(d.get(1).pool() + " " + String.join(",", d.get(1).ips())).as("s2").isEqualTo(s2);
  }

  /**
   * MetalLB allocator_test.go TestAllocation, for each family: pools test1 (10.222.3.4/31,
   * fd00:222::4/127) and test2 (10.222.3.10/31, fd00:222::10/127); s1..s4 take the four addresses
   * (IronLB's order: lowest first, pools by name), s5 and s6 get none, s1 gives its address up, s5
   * takes it with a sharing key, s6 still cannot without one and can with it on another port.
   * MetalLB checks only that an address is from the pools; IronLB's choice is exact.
   */
  @ParameterizedTest(name = "TestAllocation: {0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"IPv4", "IPv6", "dual-stack"})
  void allocation(String family) {
    Allocator a =
        new Allocator(
            Pools.of(
                List.of(
                    pool("test1", "10.222.3.4/31", "fd00:222::4/127"),
                    pool("test2", "10.222.3.10/31", "fd00:222::10/127"))),
            null);
    java.util.function.Function<String, Svc> service = name -> ofFamily(family, name);
    List<String> expected =
        switch (family) {
          case "IPv6" -> List.of("fd00:222::4", "fd00:222::5", "fd00:222::10", "fd00:222::11");
          case "dual-stack" ->
              List.of(
                  "10.222.3.4,fd00:222::4",
                  "10.222.3.5,fd00:222::5",
                  "10.222.3.10,fd00:222::10",
                  "10.222.3.11,fd00:222::11");
          default -> List.of("10.222.3.4", "10.222.3.5", "10.222.3.10", "10.222.3.11");
        };
    for (int i = 1; i <= 4; i++) {
      assertThat(String.join(",", a.reconcile(service.apply("s" + i).request()).ips()))
          .as("s%d gets an address", i)
          .isEqualTo(expected.get(i - 1));
    }
    assertThat(a.reconcile(service.apply("s5").request()).error())
        .as("s5 can't get one")
        .isNotNull();
    assertThat(a.reconcile(service.apply("s6").request()).error())
        .as("s6 can't get one")
        .isNotNull();
    a.remove(new ServiceKey("default", "s1"));
    assertThat(
            String.join(
                ",",
                a.reconcile(service.apply("s5").ports("TCP/80").share("share").request()).ips()))
        .as("s5 can now get one")
        .isEqualTo(expected.get(0));
    assertThat(a.reconcile(service.apply("s6").request()).error())
        .as("s6 still can't get one")
        .isNotNull();
    assertThat(
            String.join(
                ",",
                a.reconcile(service.apply("s6").ports("TCP/443").share("share").request()).ips()))
        .as("s6 can get one with sharing")
        .isEqualTo(expected.get(0));
  }

  /** A Service of MetalLB's test families: IPv4, IPv6 or RequireDualStack. */
  private static Svc ofFamily(String family, String name) {
    return switch (family) {
      case "IPv6" -> svc(name).v6();
      case "dual-stack" -> svc(name).dual("RequireDualStack");
      default -> svc(name);
    };
  }

  /**
   * MetalLB allocator_test.go TestAutoAssign, for each family: test1 (10.222.3.4/31,
   * fd00:222::4/127) has autoAssign false, test2 (10.222.3.10/31, fd00:222::10/127) true; s1 and s2
   * get test2's two addresses, s3..s5 none (test1 is never used unless asked for).
   */
  @ParameterizedTest(name = "TestAutoAssign: {0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"IPv4", "IPv6", "dual-stack"})
  void autoAssign(String family) {
    Allocator a =
        new Allocator(
            Pools.of(
                List.of(
                    manualPool("test1", "10.222.3.4/31", "fd00:222::4/127"),
                    pool("test2", "10.222.3.10/31", "fd00:222::10/127"))),
            null);
    List<String> expected =
        switch (family) {
          case "IPv6" -> List.of("fd00:222::10", "fd00:222::11");
          case "dual-stack" -> List.of("10.222.3.10,fd00:222::10", "10.222.3.11,fd00:222::11");
          default -> List.of("10.222.3.10", "10.222.3.11");
        };
    for (int i = 1; i <= 5; i++) {
      Allocator.Decision d = a.reconcile(ofFamily(family, "s" + i).request());
      if (i <= 2) {
        assertThat(String.join(",", d.ips())).as("s%d", i).isEqualTo(expected.get(i - 1));
      } else {
        assertThat(d.error()).as("s%d gets nothing", i).isNotNull();
      }
    }
  }

  /**
   * MetalLB allocator_test.go TestPoolMetrics: addresses in use in pool "test" (10.222.3.4/30,
   * fd00:222::4/126) as Services take, share and give up addresses; a shared address counts once.
   */
  @Test
  void poolMetrics() {
    Allocator a =
        new Allocator(Pools.of(List.of(pool("test", "10.222.3.4/30", "fd00:222::4/126"))), null);
    java.util.function.IntSupplier inUse =
        () -> (int) a.counts().get(0).assignedIPv4() + (int) a.counts().get(0).assignedIPv6();
    a.reconcile(svc("s1").ips("10.222.3.4").request());
    assertThat(inUse.getAsInt()).as("assign s1").isEqualTo(1);
    a.reconcile(svc("s2").ips("10.222.3.5").request());
    assertThat(inUse.getAsInt()).as("assign s2").isEqualTo(2);
    a.remove(new ServiceKey("default", "s1"));
    assertThat(inUse.getAsInt()).as("unassign s1").isEqualTo(1);
    a.remove(new ServiceKey("default", "s2"));
    assertThat(inUse.getAsInt()).as("unassign s2").isZero();
    String[][] shared = {{"s1", "TCP/80"}, {"s2", "TCP/443"}, {"s3", "TCP/23"}};
    for (String[] s : shared) {
      a.reconcile(svc(s[0]).ips("10.222.3.4").share("key").ports(s[1]).request());
      assertThat(inUse.getAsInt()).as("assign %s shared", s[0]).isEqualTo(1);
    }
    for (int i = 0; i < shared.length; i++) {
      a.remove(new ServiceKey("default", shared[i][0]));
      assertThat(inUse.getAsInt())
          .as("unassign %s shared", shared[i][0])
          .isEqualTo(i < shared.length - 1 ? 1 : 0);
    }
  }

  /**
   * MetalLB allocator_test.go TestPoolCount: capacity per family, with and without avoidBuggyIPs.
   */
  @Test
  void poolCountsFollowAssignments() {
    Allocator a =
        new Allocator(
            Pools.of(
                List.of(
                    pool("mixed", "10.222.1.0/24", "fd00:222::/120"),
                    buggyPool("buggy", "10.222.2.0/23", "10.222.4.10-10.222.4.20"),
                    pool("huge", "fd00:222:1::/64"))),
            null);
    a.reconcile(svc("s1").pool("mixed").dual("RequireDualStack").request());
    a.reconcile(svc("s2").pool("buggy").request());
    assertThat(a.counts())
        .containsExactly(
            new PoolCounts("buggy", 1, 0, 512 - 4 + 11 - 1, 0),
            new PoolCounts("huge", 0, 0, 0, Long.MAX_VALUE),
            new PoolCounts("mixed", 1, 1, 255, 255));
  }

  @Test
  void existingAddressesAreHonouredBeforeNewOnesAreAllocated() {
    // A restart: s-old holds .0 in its status; s-new (sorting first) must not take it.
    Allocator a = new Allocator(Pools.of(List.of(pool("p", "10.222.1.0/30"))), null);
    List<Allocator.Decision> d =
        a.reconcileAll(
            List.of(svc("a-new").request(), svc("z-old").status("10.222.1.0").request()));
    assertThat(d)
        .extracting(Allocator.Decision::ips)
        .containsExactly(List.of("10.222.1.1"), List.of("10.222.1.0"));
    assertThat(d.get(1).events()).as("keeping an address is not an event").isEmpty();
  }

  /**
   * Issue 13, finding 2: a Service whose address left the pools must not be handed an address that
   * another Service, later in name order, still holds and may keep.
   */
  @Test
  void aDisplacedServiceNeverTakesAnAddressAnotherServiceHolds() {
    Allocator a = new Allocator(Pools.of(List.of(pool("p", "10.0.0.0/30"))), null);
    List<Allocator.Decision> d =
        a.reconcileAll(
            List.of(
                svc("a-displaced").status("10.0.0.9").request(),
                svc("b-settled").status("10.0.0.0").request()));
    assertThat(d)
        .extracting(Allocator.Decision::ips)
        .containsExactly(List.of("10.0.0.1"), List.of("10.0.0.0"));
    // The same on a reconfiguration: b keeps .0, a (whose .9 is gone) gets another.
    Allocator r = new Allocator(Pools.of(List.of(pool("p", "10.0.0.0/30"))), null);
    r.reconcileAll(List.of(svc("b-settled").request()));
    assertThat(
            r.reconfigure(
                    Pools.of(List.of(pool("p", "10.0.0.0/30"))),
                    List.of(
                        svc("a-displaced").status("10.0.0.9").request(),
                        svc("b-settled").status("10.0.0.0").request()))
                .get(0)
                .ips())
        .containsExactly("10.0.0.1");
  }

  /** Issue 13, finding 3: PreferDualStack with single-stack pools takes ipFamilies[0]. */
  @Test
  void preferDualStackWithSingleStackPoolsTakesTheFamilyListedFirst() {
    List<Pool> pools = List.of(pool("v4", "10.222.1.0/30"), pool("v6", "fd00:222::/126"));
    ServiceRequest v6First = svc("s6").families("IPv6", "IPv4").policy("PreferDualStack").request();
    ServiceRequest v4First = svc("s4").families("IPv4", "IPv6").policy("PreferDualStack").request();
    assertThat(new Allocator(Pools.of(pools), null).reconcile(v6First).ips())
        .containsExactly("fd00:222::");
    assertThat(new Allocator(Pools.of(pools), null).reconcile(v4First).ips())
        .containsExactly("10.222.1.0");
    // Only the other family has room: that one rather than nothing.
    assertThat(
            new Allocator(Pools.of(List.of(pool("v4", "10.222.1.0/30"))), null)
                .reconcile(v6First)
                .ips())
        .containsExactly("10.222.1.0");
  }

  @Test
  void reconfigureKeepsAdmittedAddressesAndMovesTheRest() {
    Allocator a = new Allocator(Pools.of(List.of(pool("p", "10.222.1.0/29"))), null);
    List<ServiceRequest> services =
        List.of(svc("s1").request(), svc("s2").request(), svc("s3").request());
    assertThat(a.reconcileAll(services))
        .extracting(d -> d.ips().get(0))
        .containsExactly("10.222.1.0", "10.222.1.1", "10.222.1.2");
    // The pool shrinks: .0 and .1 stay, s3 moves to the only other address left.
    List<Allocator.Decision> after =
        a.reconfigure(
            Pools.of(List.of(pool("p", "10.222.1.0/31"), pool("q", "10.222.5.9/32"))), services);
    assertThat(after)
        .extracting(d -> d.ips().get(0))
        .containsExactly("10.222.1.0", "10.222.1.1", "10.222.5.9");
    assertThat(after.get(2).events())
        .extracting(Allocator.ServiceEvent::reason)
        .containsExactly("ClearAssignment", "IPAllocated");
  }

  @Test
  void preferDualStackGainsTheMissingFamilyWhenThePoolGrowsOne() {
    Allocator a = new Allocator(Pools.of(List.of(pool("p", "10.222.1.0/30"))), null);
    ServiceRequest s = svc("s1").dual("PreferDualStack").request();
    assertThat(a.reconcile(s).ips()).containsExactly("10.222.1.0");
    a.reconfigure(Pools.of(List.of(pool("p", "10.222.1.0/30", "fd00:222::/126"))), List.of(s));
    assertThat(a.reconcile(s).ips()).containsExactly("10.222.1.0", "fd00:222::");
  }

  @Test
  void requestedAddressesAreNotExtendedWithTheOtherFamily() {
    // Found by AllocatorProperties: extending would not survive a restart.
    Allocator a =
        new Allocator(Pools.of(List.of(pool("p", "10.222.1.0/30", "fd00:222::/126"))), null);
    ServiceRequest s = svc("s1").dual("PreferDualStack").ips("fd00:222::1").request();
    assertThat(a.reconcile(s).error())
        .isEqualTo(
            "requested loadBalancer IP(s) [\"fd00:222::1\"] do not match the Service's family (dual-stack)");
    ServiceRequest single = svc("s2").v6().ips("fd00:222::1").request();
    assertThat(a.reconcile(single).ips()).containsExactly("fd00:222::1");
    ServiceRequest nowDual = svc("s2").dual("PreferDualStack").ips("fd00:222::1").request();
    assertThat(a.reconcile(nowDual).ips()).containsExactly("fd00:222::1");
    Allocator restarted = new Allocator(a.pools(), null);
    assertThat(
            restarted.reconcileAll(
                List.of(
                    svc("s2")
                        .dual("PreferDualStack")
                        .ips("fd00:222::1")
                        .status("fd00:222::1")
                        .request())))
        .extracting(Allocator.Decision::ips)
        .containsExactly(List.of("fd00:222::1"));
  }

  @Test
  void loadBalancerClassAndTypeDecideWhoIsHandled() {
    Allocator a = new Allocator(Pools.of(List.of(pool("p", "10.222.1.0/30"))), null);
    assertThat(a.reconcile(svc("s1").lbClass("other").request()).handled()).isFalse();
    assertThat(a.reconcile(svc("s2").type("ClusterIP").request()).ips()).isEmpty();
    Allocator ours = new Allocator(Pools.of(List.of(pool("p", "10.222.1.0/30"))), "ironlb");
    assertThat(ours.reconcile(svc("s1").request()).handled()).isFalse();
    assertThat(ours.reconcile(svc("s1").lbClass("ironlb").request()).ips())
        .containsExactly("10.222.1.0");
  }

  @Test
  void turningIntoClusterIpFreesTheAddress() {
    Allocator a = new Allocator(Pools.of(List.of(pool("p", "10.222.1.0/32"))), null);
    a.reconcile(svc("s1").request());
    assertThat(a.reconcile(svc("s1").type("ClusterIP").request()).ips()).isEmpty();
    assertThat(a.reconcile(svc("s2").request()).ips()).containsExactly("10.222.1.0");
  }

  @Test
  void deprecatedAnnotationsWarn() {
    Allocator a = new Allocator(Pools.of(List.of(pool("p", "10.222.1.0/30"))), null);
    Allocator.Decision d =
        a.reconcile(svc("s1").annotation("metallb.universe.tf/allow-shared-ip", "k").request());
    assertThat(d.events())
        .contains(
            new Allocator.ServiceEvent(
                true,
                "DeprecatedAnnotation",
                "annotation metallb.universe.tf/allow-shared-ip is deprecated, use metallb.io/allow-shared-ip"));
  }
}
