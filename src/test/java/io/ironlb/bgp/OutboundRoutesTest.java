package io.ironlb.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlb.bgp.wire.Capability;
import io.ironlb.bgp.wire.IpPrefix;
import io.ironlb.bgp.wire.PathAttribute;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The path attributes a router receives for one announced prefix, by AS relationship and drain
 * state (RFC 4271 §5.1, RFC 8326), and which prefixes a connection can carry at all.
 */
class OutboundRoutesTest {

  private static final Set<Integer> BOTH = Set.of(Capability.AFI_IPV4, Capability.AFI_IPV6);

  private static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(s, e);
    }
  }

  private static IpPrefix prefix(String cidr) {
    String[] p = cidr.split("/");
    return new IpPrefix(ip(p[0]), Integer.parseInt(p[1]));
  }

  private static final AdvertisementPlanner.Announcement PLAIN =
      new AdvertisementPlanner.Announcement(0, Set.of(), Set.of());
  private static final AdvertisementPlanner.Announcement TAGGED =
      new AdvertisementPlanner.Announcement(
          200,
          Set.of(0xFDE80064L),
          Set.of(
              new PathAttribute.LargeCommunity(65000, 2, 1),
              new PathAttribute.LargeCommunity(65000, 1, 9)));

  static Stream<Arguments> attributes() {
    PathAttribute origin = PathAttribute.Origin.IGP;
    PathAttribute ebgpPath = PathAttribute.AsPath.sequence(64512L);
    PathAttribute ibgpPath = new PathAttribute.AsPath(List.of());
    PathAttribute drained = new PathAttribute.Communities(List.of(0xFFFF0000L));
    return Stream.of(
        Arguments.of("eBGP: our AS, no LOCAL_PREF", false, PLAIN, false, List.of(origin, ebgpPath)),
        Arguments.of(
            "iBGP: empty AS_PATH, LOCAL_PREF 100",
            true,
            PLAIN,
            false,
            List.of(origin, ibgpPath, new PathAttribute.LocalPref(100))),
        Arguments.of(
            "iBGP with the advertisement's LOCAL_PREF, communities, large communities in order",
            true,
            TAGGED,
            false,
            List.of(
                origin,
                ibgpPath,
                new PathAttribute.LocalPref(200),
                new PathAttribute.Communities(List.of(0xFDE80064L)),
                new PathAttribute.LargeCommunities(
                    List.of(
                        new PathAttribute.LargeCommunity(65000, 1, 9),
                        new PathAttribute.LargeCommunity(65000, 2, 1))))),
        Arguments.of(
            "eBGP drained: GRACEFUL_SHUTDOWN added",
            false,
            PLAIN,
            true,
            List.of(origin, ebgpPath, drained)),
        Arguments.of(
            "iBGP drained: GRACEFUL_SHUTDOWN and LOCAL_PREF 0",
            true,
            TAGGED,
            true,
            List.of(
                origin,
                ibgpPath,
                new PathAttribute.LocalPref(0),
                new PathAttribute.Communities(List.of(0xFDE80064L, 0xFFFF0000L)),
                new PathAttribute.LargeCommunities(
                    List.of(
                        new PathAttribute.LargeCommunity(65000, 1, 9),
                        new PathAttribute.LargeCommunity(65000, 2, 1))))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attributes")
  void aRouterReceivesTheseAttributes(
      String name,
      boolean ibgp,
      AdvertisementPlanner.Announcement announcement,
      boolean draining,
      List<PathAttribute> expected) {
    OutboundRoutes routes = new OutboundRoutes(64512, ibgp);
    Map<IpPrefix, AdjRibOut.Route> out =
        routes.routes(
            Map.of(prefix("10.222.5.1/32"), announcement),
            BOTH,
            NextHops.of(ip("10.222.0.2"), List.of()),
            draining);
    assertThat(out.get(prefix("10.222.5.1/32")))
        .isEqualTo(new AdjRibOut.Route(expected, ip("10.222.0.2")));
  }

  /**
   * Which prefixes a connection carries, and with which next hop: name, the connection's local
   * address, the other addresses of its interface, the families the session carries, whether the
   * IPv6 next hop for IPv4 routes was agreed (RFC 8950), then the next hop of the IPv4 prefix and
   * of the IPv6 prefix ("-": not sent).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          IPv4 session: IPv4 only                  | 10.222.0.2  | fd00:222::2           | 1   | false | 10.222.0.2  | -
          IPv6 session: IPv6 only                  | fd00:222::2 | 10.222.0.2            | 2   | false | -           | fd00:222::2
          IPv6 session, IPv6 not negotiated        | fd00:222::2 | 10.222.0.2            | 1   | false | 10.222.0.2  | -
          dual-stack over IPv4                     | 10.222.0.2  | fe80::2 fd00:222::2   | 1,2 | false | 10.222.0.2  | fd00:222::2
          dual-stack over IPv4, no IPv6 address    | 10.222.0.2  | fe80::2               | 1,2 | false | 10.222.0.2  | -
          dual-stack over IPv6                     | fd00:222::2 | 10.222.0.2            | 1,2 | false | 10.222.0.2  | fd00:222::2
          dual-stack over IPv6, no IPv4 address    | fd00:222::2 | -                     | 1,2 | false | -           | fd00:222::2
          dual-stack over IPv6, no IPv4, RFC 8950  | fd00:222::2 | -                     | 1,2 | true  | fd00:222::2 | fd00:222::2
          unnumbered: link-local, RFC 8950         | fe80::2     | -                     | 1,2 | true  | fe80::2     | fe80::2
          unnumbered without RFC 8950              | fe80::2     | 10.222.0.2            | 1,2 | false | -           | fe80::2
          unnumbered, global IPv6 on the interface | fe80::2     | fd00:222::2           | 1,2 | true  | fd00:222::2 | fd00:222::2
          """)
  void aConnectionCarriesTheFamiliesItHasANextHopFor(
      String name,
      String local,
      String others,
      String families,
      boolean ipv6ForIpv4,
      String v4NextHop,
      String v6NextHop) {
    OutboundRoutes routes = new OutboundRoutes(64512, false);
    IpPrefix v4 = prefix("10.222.5.1/32");
    IpPrefix v6 = prefix("fd00:222::5/128");
    List<InetAddress> interfaceAddresses =
        others == null
            ? List.of()
            : Stream.of(others.split(" ")).map(OutboundRoutesTest::ip).toList();
    Map<IpPrefix, AdjRibOut.Route> out =
        routes.routes(
            Map.of(v4, PLAIN, v6, PLAIN),
            Stream.of(families.split(",")).map(Integer::valueOf).collect(Collectors.toSet()),
            NextHops.of(ip(local), interfaceAddresses).withIpv6ForIpv4(ipv6ForIpv4),
            false);
    assertThat(out.containsKey(v4) ? out.get(v4).nextHop() : null)
        .as("IPv4 next hop")
        .isEqualTo(v4NextHop == null ? null : ip(v4NextHop));
    assertThat(out.containsKey(v6) ? out.get(v6).nextHop() : null)
        .as("IPv6 next hop")
        .isEqualTo(v6NextHop == null ? null : ip(v6NextHop));
  }

  @Test
  void endOfRibIsOneEmptyUpdatePerFamily() {
    assertThat(OutboundRoutes.endOfRib(Set.of(Capability.AFI_IPV4)))
        .singleElement()
        .satisfies(u -> assertThat(u.attributes()).isEmpty());
    assertThat(OutboundRoutes.endOfRib(BOTH)).hasSize(2);
  }
}
