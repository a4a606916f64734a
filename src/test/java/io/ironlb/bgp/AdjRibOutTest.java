package io.ironlb.bgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ironlb.bgp.wire.BgpCodec;
import io.ironlb.bgp.wire.BgpMessage.Update;
import io.ironlb.bgp.wire.Capability;
import io.ironlb.bgp.wire.IpPrefix;
import io.ironlb.bgp.wire.PathAttribute;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Adj-RIB-Out sends only differences, packed into as few UPDATEs as fit. */
class AdjRibOutTest {
  private static final BgpCodec.Options FOUR = new BgpCodec.Options(true);

  private static final AdjRibOut.Route VIA_1 =
      new AdjRibOut.Route(
          List.of(PathAttribute.Origin.IGP, PathAttribute.AsPath.sequence(64512L)),
          address("10.222.0.11"));
  private static final AdjRibOut.Route VIA_1_COMMUNITY =
      new AdjRibOut.Route(
          List.of(
              PathAttribute.Origin.IGP,
              PathAttribute.AsPath.sequence(64512L),
              new PathAttribute.Communities(List.of(0xfc000064L))),
          address("10.222.0.11"));
  private static final AdjRibOut.Route VIA_1_V6 =
      new AdjRibOut.Route(
          List.of(PathAttribute.Origin.IGP, PathAttribute.AsPath.sequence(64512L)),
          address("fd00:222::11"));

  private static InetAddress address(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(s, e);
    }
  }

  private static Map<IpPrefix, AdjRibOut.Route> hosts(int n, AdjRibOut.Route route) {
    Map<IpPrefix, AdjRibOut.Route> out = new HashMap<>();
    for (int i = 0; i < n; i++) {
      out.put(IpPrefix.parse("10.222." + (100 + i / 256) + "." + (i % 256) + "/32"), route);
    }
    return out;
  }

  private static List<IpPrefix> announced(List<Update> updates) {
    List<IpPrefix> out = new ArrayList<>();
    for (Update u : updates) {
      out.addAll(u.nlri());
      PathAttribute.MpReach mp = u.attribute(PathAttribute.MpReach.class);
      if (mp != null) {
        out.addAll(mp.nlri());
      }
    }
    return out;
  }

  @Test
  void tenThousandPrefixesWithOneRouteTravelInAsFewUpdatesAsFit() {
    AdjRibOut rib = new AdjRibOut(FOUR);
    List<Update> updates = rib.advance(hosts(10_000, VIA_1));
    // 10,000 × 5 bytes of NLRI over ~4,050 bytes of room per message: 13 UPDATEs, not 10,000.
    assertThat(updates).hasSize(13);
    assertThat(updates)
        .allSatisfy(u -> assertThat(BgpCodec.encode(u, FOUR).length).isLessThanOrEqualTo(4096));
    assertThat(announced(updates)).hasSize(10_000).doesNotHaveDuplicates();
  }

  @Test
  void withExtendedMessagesTenThousandPrefixesFitInOneUpdate() throws Exception {
    BgpCodec.Options extended = new BgpCodec.Options(true, true);
    List<Update> updates = new AdjRibOut(extended).advance(hosts(10_000, VIA_1));
    assertThat(updates).hasSize(1);
    byte[] wire = BgpCodec.encode(updates.get(0), extended);
    assertThat(wire.length).isGreaterThan(4096).isLessThanOrEqualTo(65535);
    // A peer that did not offer Extended Message would be right to refuse it (RFC 8654 §4).
    assertThatThrownBy(() -> BgpCodec.decode(wire, FOUR))
        .isInstanceOfSatisfying(
            io.ironlb.bgp.wire.BgpProtocolException.class,
            e ->
                assertThat(e.notification().code() + "/" + e.notification().subcode())
                    .isEqualTo("1/2"));
    assertThat(announced(List.of((Update) BgpCodec.decode(wire, extended)))).hasSize(10_000);
  }

  @Test
  void onlyDifferencesAreSent() {
    AdjRibOut rib = new AdjRibOut(FOUR);
    Map<IpPrefix, AdjRibOut.Route> wanted = hosts(5, VIA_1);
    rib.advance(wanted);
    assertThat(rib.advance(wanted)).as("nothing changed").isEmpty();

    Map<IpPrefix, AdjRibOut.Route> next = new HashMap<>(wanted);
    next.remove(IpPrefix.parse("10.222.100.0/32"));
    next.remove(IpPrefix.parse("10.222.100.1/32"));
    next.put(IpPrefix.parse("10.222.100.4/32"), VIA_1_COMMUNITY);
    List<Update> updates = rib.advance(next);
    assertThat(updates).hasSize(2);
    assertThat(updates.get(0).withdrawn())
        .containsExactly(IpPrefix.parse("10.222.100.0/32"), IpPrefix.parse("10.222.100.1/32"));
    assertThat(updates.get(1).nlri()).containsExactly(IpPrefix.parse("10.222.100.4/32"));
    assertThat(updates.get(1).attribute(PathAttribute.Communities.class)).isNotNull();
    assertThat(rib.size()).isEqualTo(3);
  }

  @Test
  void ipv6UsesMultiprotocolReachAndUnreach() {
    AdjRibOut rib = new AdjRibOut(FOUR);
    IpPrefix p = IpPrefix.parse("fd00:222:100::1/128");
    List<Update> up = rib.advance(Map.of(p, VIA_1_V6));
    assertThat(up)
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.nlri()).isEmpty();
              assertThat(u.attribute(PathAttribute.NextHop.class)).isNull();
              PathAttribute.MpReach mp = u.attribute(PathAttribute.MpReach.class);
              assertThat(mp.nextHops()).containsExactly(address("fd00:222::11"));
              assertThat(mp.nlri()).containsExactly(p);
            });
    List<Update> down = rib.advance(Map.of());
    assertThat(down)
        .singleElement()
        .satisfies(
            u ->
                assertThat(u.attribute(PathAttribute.MpUnreach.class).withdrawn())
                    .containsExactly(p));
  }

  @Test
  void ipv4RoutesWithAnIpv6NextHopUseMultiprotocolReachAndTheClassicWithdrawal() {
    AdjRibOut rib = new AdjRibOut(FOUR);
    IpPrefix p = IpPrefix.parse("10.222.100.1/32");
    List<Update> up = rib.advance(Map.of(p, VIA_1_V6));
    assertThat(up)
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.nlri()).isEmpty();
              assertThat(u.attribute(PathAttribute.NextHop.class)).isNull();
              PathAttribute.MpReach mp = u.attribute(PathAttribute.MpReach.class);
              assertThat(mp.afi()).isEqualTo(Capability.AFI_IPV4);
              assertThat(mp.nextHops()).containsExactly(address("fd00:222::11"));
              assertThat(mp.nlri()).containsExactly(p);
            });
    // RFC 8950 §3 leaves withdrawals to RFC 4760: IPv4 unicast ones fit the classic field.
    assertThat(rib.advance(Map.of()))
        .singleElement()
        .satisfies(u -> assertThat(u.withdrawn()).containsExactly(p));
  }

  @Test
  void aRefreshSendsEverythingAgainAndAClearedRibStartsOver() {
    AdjRibOut rib = new AdjRibOut(FOUR);
    Map<IpPrefix, AdjRibOut.Route> wanted = hosts(3, VIA_1);
    rib.advance(wanted);
    assertThat(announced(rib.all())).hasSize(3);
    rib.clear();
    assertThat(announced(rib.advance(wanted))).hasSize(3);
  }
}
