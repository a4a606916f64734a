package io.ironlb.multijvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.ironlb.bgp.AdvertisementPlanner;
import io.ironlb.bgp.BgpMetrics;
import io.ironlb.bgp.PeerConfig;
import io.ironlb.bgp.PeerSession;
import io.ironlb.bgp.bfd.BfdSession;
import io.ironlb.bgp.bfd.BfdStateMachine;
import io.ironlb.bgp.session.PeerAs;
import io.ironlb.bgp.wire.IpPrefix;
import io.ironlb.bgp.wire.PathAttribute;
import io.ironlb.metrics.MetricFamilies;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One {@link PeerSession} (in the test's JVM, on a veth the test made) against a real FRR in its
 * own namespace: the session comes up, FRR installs the announced routes with their communities in
 * its kernel, a withdrawal removes one, the hold timer catches a frozen FRR, and a planned stop
 * withdraws and ends with Cease / Administrative Shutdown.
 */
class PeerSessionFrrIT {
  private static final String ROUTER = "10.222.90.1";
  private static final String SPEAKER = "10.222.90.2";

  private Netns net;
  private BgpRouters routers;
  private ActorTestKit kit;

  @AfterEach
  void tearDown() {
    if (kit != null) {
      kit.shutdownTestKit();
    }
    if (routers != null) {
      routers.close();
    }
    if (net != null) {
      net.close();
    }
  }

  /**
   * FRR (AS 64500) in a namespace of its own at {@value #ROUTER}, reached over a veth from the
   * test's namespace ({@value #SPEAKER}); with TCP MD5 when {@code password} is set. Also the actor
   * test kit the sessions run in.
   */
  private String frr(String password) throws Exception {
    assumeTrue(Netns.available("vtysh", "/usr/lib/frr/bgpd"), "needs root and FRR");
    net = new Netns();
    String ns = net.namespace("frr");
    String rootEnd = net.prefix() + "v";
    net.veth(rootEnd, ns, "eth0");
    Netns.must("ip", "addr", "add", SPEAKER + "/24", "dev", rootEnd);
    Netns.must("ip", "-n", ns, "addr", "add", ROUTER + "/24", "dev", "eth0");
    routers = new BgpRouters();
    routers.startFrr(
        net,
        ns,
        64500,
        ROUTER,
        64512,
        "10.222.90.0/24",
        "fd00:222:90::/64",
        password == null ? List.of() : List.of("password " + password));
    kit =
        ActorTestKit.create(
            ConfigFactory.parseString("pekko.actor.provider = local")
                .withFallback(ConfigFactory.load()));
    return ns;
  }

  private PeerSession.Status status(ActorRef<PeerSession.Command> session) {
    TestProbe<PeerSession.Status> probe = kit.createTestProbe();
    session.tell(new PeerSession.GetStatus(probe.ref()));
    return probe.receiveMessage();
  }

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void announcesWithdrawsHoldsAndShutsDownAgainstFrr() throws Exception {
    String ns = frr(null);

    ActorRef<PeerSession.Command> session =
        kit.spawn(
            PeerSession.create(
                new PeerConfig(
                    new InetSocketAddress(ROUTER, 179),
                    ip(SPEAKER),
                    64512,
                    64500,
                    (Inet4Address) ip(SPEAKER),
                    3,
                    null,
                    Duration.ofMillis(500))));
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> status(session).state(), s -> s == PeerSession.State.ESTABLISHED);

    AdvertisementPlanner.Announcement route =
        new AdvertisementPlanner.Announcement(
            0,
            java.util.Set.of((64512L << 16) | 100),
            java.util.Set.of(new PathAttribute.LargeCommunity(64512, 1, 2)));
    session.tell(
        new PeerSession.Advertise(
            Map.of(
                IpPrefix.parse("10.222.91.1/32"), route,
                IpPrefix.parse("10.222.91.2/32"), route)));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              String path = routers.vtysh(net, ns, "show bgp ipv4 unicast 10.222.91.1/32 json");
              assertThat(path).contains("64512:100").contains("64512:1:2").contains(SPEAKER);
              assertThat(net.in(ns, "ip", "route", "show", "10.222.91.2").output())
                  .contains("via " + SPEAKER);
            });

    session.tell(new PeerSession.Advertise(Map.of(IpPrefix.parse("10.222.91.2/32"), route)));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> net.in(ns, "ip", "route", "show", "10.222.91.1").output().isBlank());
    assertThat(net.in(ns, "ip", "route", "show", "10.222.91.2").output()).contains(SPEAKER);

    // A frozen router stops sending KEEPALIVEs: our hold timer (3 s) ends the session.
    long bgpd =
        Long.parseLong(Files.readString(routers.work().resolve("frr-" + ns + "/bgpd.pid")).strip());
    Netns.must("kill", "-STOP", String.valueOf(bgpd));
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> status(session),
              s ->
                  s.state() != PeerSession.State.ESTABLISHED
                      && "hold timer expired".equals(s.lastError()));
    } finally {
      Netns.must("kill", "-CONT", String.valueOf(bgpd));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status(session).state(), s -> s == PeerSession.State.ESTABLISHED);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> net.in(ns, "ip", "route", "show", "10.222.91.2").output().contains(SPEAKER));

    // Planned stop: everything withdrawn, then Cease / Administrative Shutdown.
    TestProbe<Done> done = kit.createTestProbe();
    session.tell(new PeerSession.Stop(done.ref()));
    done.expectMessage(Duration.ofSeconds(10), Done.getInstance());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(net.in(ns, "ip", "route", "show", "10.222.91.2").output()).isBlank();
              // FRR logs the NOTIFICATION it received (the dynamic neighbour itself is gone).
              assertThat(Files.readString(routers.work().resolve("frr-" + ns + "/bgpd.log")))
                  .contains("Cease/Administrative Shutdown");
            });
  }

  @Test
  void anMd5SessionEstablishesOnlyWithTheRightKey() throws Exception {
    String ns = frr("s3cret-md5");

    // The wrong key: FRR's kernel drops every segment, the session never comes up.
    ActorRef<PeerSession.Command> wrong = kit.spawn(PeerSession.create(md5Config("not-the-key")));
    await()
        .during(Duration.ofSeconds(6))
        .atMost(Duration.ofSeconds(8))
        .until(() -> status(wrong).state(), s -> s != PeerSession.State.ESTABLISHED);
    TestProbe<Done> done = kit.createTestProbe();
    wrong.tell(new PeerSession.Stop(done.ref()));
    done.expectMessage(Duration.ofSeconds(10), Done.getInstance());

    // The right key: Established, and FRR agrees.
    ActorRef<PeerSession.Command> right = kit.spawn(PeerSession.create(md5Config("s3cret-md5")));
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> status(right).state(), s -> s == PeerSession.State.ESTABLISHED);
    assertThat(routers.vtysh(net, ns, "show bgp summary")).contains(SPEAKER);
  }

  /**
   * FRR one router away: the test's namespace (10.222.93.2) – a forwarding namespace – FRR
   * (10.222.94.2, accepting multi-hop speakers). A single-hop eBGP session leaves with TTL 1 and
   * dies at the router in between, so it never forms; the same session with {@code ebgpMultiHop}
   * leaves with TTL 255 and comes up.
   */
  @Test
  void ebgpMultiHopReachesAPeerBehindARouterAndSingleHopNeverDoes() throws Exception {
    String ns = frrBehindARouter(List.of("ebgp-multihop 255"));
    ActorRef<PeerSession.Command> singleHop = kit.spawn(PeerSession.create(multiHop(false)));
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(8))
        .until(() -> status(singleHop).state(), s -> s != PeerSession.State.ESTABLISHED);
    assertThat(status(singleHop).lastError()).isNotNull();
    assertThat(routers.vtysh(net, ns, "show bgp summary")).doesNotContain("10.222.93.2");
    TestProbe<Done> done = kit.createTestProbe();
    singleHop.tell(new PeerSession.Stop(done.ref()));
    done.expectMessage(Duration.ofSeconds(10), Done.getInstance());

    ActorRef<PeerSession.Command> multiHop = kit.spawn(PeerSession.create(multiHop(true)));
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> status(multiHop).state(), s -> s == PeerSession.State.ESTABLISHED);
    assertThat(routers.vtysh(net, ns, "show bgp summary")).contains("10.222.93.2");
  }

  /**
   * The test's namespace (10.222.93.2) – a forwarding namespace – FRR (10.222.94.2, AS 64500,
   * accepting speakers of AS 64512 from 10.222.93.0/24 with these neighbor settings).
   */
  private String frrBehindARouter(List<String> neighborSettings) throws Exception {
    assumeTrue(Netns.available("vtysh", "/usr/lib/frr/bgpd"), "needs root and FRR");
    net = new Netns();
    String mid = net.namespace("mid");
    String ns = net.namespace("frr");
    String rootEnd = net.prefix() + "v";
    net.veth(rootEnd, mid, "eth0");
    Netns.must("ip", "addr", "add", "10.222.93.2/24", "dev", rootEnd);
    // Only this test's subnet, through its own veth; removed with the veth.
    Netns.must("ip", "route", "add", "10.222.94.0/24", "via", "10.222.93.1", "dev", rootEnd);
    net.mustIn(mid, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    Netns.must("ip", "-n", mid, "addr", "add", "10.222.93.1/24", "dev", "eth0");
    Netns.must(
        "ip", "-n", mid, "link", "add", "eth1", "type", "veth", "peer", "name", "eth0", "netns",
        ns);
    Netns.must("ip", "-n", mid, "addr", "add", "10.222.94.1/24", "dev", "eth1");
    Netns.must("ip", "-n", mid, "link", "set", "eth1", "up");
    Netns.must("ip", "-n", ns, "addr", "add", "10.222.94.2/24", "dev", "eth0");
    Netns.must("ip", "-n", ns, "link", "set", "eth0", "up");
    Netns.must("ip", "-n", ns, "route", "add", "default", "via", "10.222.94.1");
    routers = new BgpRouters();
    routers.startFrr(
        net,
        ns,
        64500,
        "10.222.94.2",
        64512,
        "10.222.93.0/24",
        "fd00:222:93::/64",
        neighborSettings);
    kit =
        ActorTestKit.create(
            ConfigFactory.parseString("pekko.actor.provider = local")
                .withFallback(ConfigFactory.load()));

    return ns;
  }

  /**
   * Multi-hop BFD (RFC 5883) with FRR one router away: FRR's packets arrive with TTL 254, so a
   * profile whose minimum TTL is 255 never sees them (dropped in the kernel) and its session never
   * comes up; with the default minimum, 254, the session is Up at both ends.
   */
  @Test
  void multiHopBfdComesUpThroughARouterAndHonoursTheMinimumTtl() throws Exception {
    String ns = frrBehindARouter(List.of("ebgp-multihop 255", "bfd profile fast"));
    MetricFamilies families = new MetricFamilies();
    String up = "metallb_bfd_session_up{peer=\"10.222.94.2\"} ";

    ActorRef<PeerSession.Command> strict =
        kit.spawn(PeerSession.create(multiHopBfd(255), new BgpMetrics(families)));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status(strict).state(), s -> s == PeerSession.State.ESTABLISHED);
    await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(6))
        .until(() -> families.render().contains(up + "0.0\n"));
    TestProbe<Done> done = kit.createTestProbe();
    strict.tell(new PeerSession.Stop(done.ref()));
    done.expectMessage(Duration.ofSeconds(10), Done.getInstance());

    ActorRef<PeerSession.Command> session =
        kit.spawn(PeerSession.create(multiHopBfd(254), new BgpMetrics(families)));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(families.render()).contains(up + "1.0\n"));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              JsonNode peers =
                  new ObjectMapper().readTree(routers.vtysh(net, ns, "show bfd peers json"));
              assertThat(peers).isNotEmpty();
              JsonNode peer = peers.get(0);
              assertThat(peer.path("multihop").asBoolean()).isTrue();
              assertThat(peer.path("status").asText()).isEqualTo("up");
            });
    assertThat(status(session).state()).isEqualTo(PeerSession.State.ESTABLISHED);
  }

  private static PeerConfig multiHopBfd(int minimumTtl) throws Exception {
    return behindARouter(
        true,
        new BfdSession.Profile(
            new BfdStateMachine.Settings(100_000, 100_000, 3, false), minimumTtl));
  }

  private static PeerConfig multiHop(boolean multiHop) throws Exception {
    return behindARouter(multiHop, null);
  }

  /** A session from the test's namespace to the FRR behind a router ({@link #frrBehindARouter}). */
  private static PeerConfig behindARouter(boolean multiHop, BfdSession.Profile bfd)
      throws Exception {
    return new PeerConfig(
        new InetSocketAddress("10.222.94.2", 179),
        ip("10.222.93.2"),
        64512,
        new PeerAs.Exactly(64500),
        (Inet4Address) ip("10.222.93.2"),
        3,
        null,
        Duration.ofMillis(500),
        null,
        multiHop,
        bfd,
        false,
        null,
        null,
        false);
  }

  private static PeerConfig md5Config(String key) throws Exception {
    return new PeerConfig(
        new InetSocketAddress(ROUTER, 179),
        ip(SPEAKER),
        64512,
        new PeerAs.Exactly(64500),
        (Inet4Address) ip(SPEAKER),
        3,
        null,
        Duration.ofMillis(500),
        key,
        false,
        null,
        false,
        null,
        null,
        false);
  }
}
