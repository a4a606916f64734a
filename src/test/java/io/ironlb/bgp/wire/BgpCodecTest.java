package io.ironlb.bgp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ironlb.bgp.wire.BgpMessage.Keepalive;
import io.ironlb.bgp.wire.BgpMessage.Notification;
import io.ironlb.bgp.wire.BgpMessage.Open;
import io.ironlb.bgp.wire.BgpMessage.RouteRefresh;
import io.ironlb.bgp.wire.BgpMessage.Update;
import io.ironlb.bgp.wire.PathAttribute.AsPath;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Byte-exact encodings laid out field by field from RFC 4271 §4 (and RFC 4760, 6793, 1997, 8092),
 * decoded back to the same message; and malformed messages mapped to the NOTIFICATION (or the
 * treat-as-withdraw) the RFCs prescribe.
 */
class BgpCodecTest {

  private static final String MARKER = "ffffffffffffffffffffffffffffffff";
  private static final BgpCodec.Options TWO = new BgpCodec.Options(false);
  private static final BgpCodec.Options FOUR = new BgpCodec.Options(true);

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  private static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(s, e);
    }
  }

  static Stream<Arguments> wellFormed() {
    return Stream.of(
        Arguments.of("KEEPALIVE", MARKER + "0013 04", new Keepalive(), TWO),
        Arguments.of(
            "NOTIFICATION Cease/Administrative Shutdown",
            MARKER + "0015 03 06 02",
            new Notification(NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN),
            TWO),
        Arguments.of(
            "NOTIFICATION Bad Message Length with the length as data",
            MARKER + "0017 03 01 02 0012",
            new Notification(NotificationCode.HEADER_BAD_MESSAGE_LENGTH, hex("0012")),
            TWO),
        Arguments.of(
            "ROUTE-REFRESH IPv6 unicast",
            MARKER + "0017 05 0002 00 01",
            new RouteRefresh(2, 1),
            TWO),
        Arguments.of(
            "OPEN AS 65001, hold 90, id 10.222.0.1: MP IPv4+IPv6 unicast, route refresh, 4-octet AS",
            MARKER
                + "0033 01 04 fde9 005a 0ade0001 16"
                + " 02 14 0104 0001 00 01 0104 0002 00 01 0200 4104 0000fde9",
            new Open(
                4,
                65001,
                90,
                (java.net.Inet4Address) ip("10.222.0.1"),
                List.of(
                    new Capability.Multiprotocol(1, 1),
                    new Capability.Multiprotocol(2, 1),
                    new Capability.RouteRefresh(),
                    new Capability.FourOctetAs(65001))),
            TWO),
        Arguments.of(
            "OPEN with extended next hop: IPv4 unicast over an IPv6 next hop (RFC 8950 §4)",
            MARKER + "0027 01 04 fde9 005a 0ade0001 0a 02 08 0506 0001 0001 0002",
            new Open(
                4,
                65001,
                90,
                (java.net.Inet4Address) ip("10.222.0.1"),
                List.of(
                    new Capability.ExtendedNextHop(
                        List.of(new Capability.NextHopFamily(1, 1, 2))))),
            TWO),
        Arguments.of(
            "OPEN AS 4200000001 as AS_TRANS, graceful restart 120 s with IPv4 F bit",
            MARKER + "002d 01 04 5ba0 0003 0ade0002 10 02 0e 4006 0078 0001 01 80 4104 fa56ea01",
            new Open(
                4,
                BgpCodec.AS_TRANS,
                3,
                (java.net.Inet4Address) ip("10.222.0.2"),
                List.of(
                    new Capability.GracefulRestart(
                        false, 120, List.of(new Capability.GracefulRestartFamily(1, 1, true))),
                    new Capability.FourOctetAs(4200000001L))),
            TWO),
        Arguments.of(
            "UPDATE 10.222.10.1/32 via 10.222.0.1: ORIGIN IGP, AS_PATH (64512) 2-octet",
            MARKER
                + "002e 02 0000 0012"
                + " 40 01 01 00"
                + " 40 02 04 02 01 fc00"
                + " 40 03 04 0ade0001"
                + " 20 0ade0a01",
            new Update(
                List.of(),
                List.of(
                    PathAttribute.Origin.IGP,
                    AsPath.sequence(64512L),
                    new PathAttribute.NextHop((java.net.Inet4Address) ip("10.222.0.1"))),
                List.of(IpPrefix.parse("10.222.10.1/32"))),
            TWO),
        Arguments.of(
            "UPDATE iBGP with LOCAL_PREF 200, COMMUNITIES 64512:100 and 65535:0, LARGE_COMMUNITY"
                + " 64512:1:2, 4-octet AS_PATH empty; two /32s share the attributes",
            MARKER
                + "0050 02 0000 002f"
                + " 40 01 01 00"
                + " 40 02 00"
                + " 40 03 04 0ade0001"
                + " 40 05 04 000000c8"
                + " c0 08 08 fc000064 ffff0000"
                + " c0 20 0c 0000fc00 00000001 00000002"
                + " 20 0ade0a01 20 0ade0a02",
            new Update(
                List.of(),
                List.of(
                    PathAttribute.Origin.IGP,
                    new AsPath(List.of()),
                    new PathAttribute.NextHop((java.net.Inet4Address) ip("10.222.0.1")),
                    new PathAttribute.LocalPref(200),
                    new PathAttribute.Communities(List.of(0xfc000064L, 0xffff0000L)),
                    new PathAttribute.LargeCommunities(
                        List.of(new PathAttribute.LargeCommunity(64512, 1, 2)))),
                List.of(IpPrefix.parse("10.222.10.1/32"), IpPrefix.parse("10.222.10.2/32"))),
            FOUR),
        Arguments.of(
            "UPDATE withdrawing 10.222.10.0/24 and 10.222.10.1/32",
            MARKER + "0020 02 0009 18 0ade0a 20 0ade0a01 0000",
            new Update(
                List.of(IpPrefix.parse("10.222.10.0/24"), IpPrefix.parse("10.222.10.1/32")),
                List.of(),
                List.of()),
            TWO),
        Arguments.of(
            "UPDATE IPv6 fd00:222:10::1/128 via fd00:222::1 in MP_REACH_NLRI, 4-octet AS_PATH"
                + " (4200000001)",
            MARKER
                + "004d 02 0000 0036"
                + " 40 01 01 00"
                + " 40 02 06 02 01 fa56ea01"
                + " 80 0e 26 0002 01 10 fd000222000000000000000000000001 00"
                + " 80 fd000222001000000000000000000001",
            new Update(
                List.of(),
                List.of(
                    PathAttribute.Origin.IGP,
                    AsPath.sequence(4200000001L),
                    new PathAttribute.MpReach(
                        2,
                        1,
                        List.of(ip("fd00:222::1")),
                        List.of(IpPrefix.parse("fd00:222:10::1/128")))),
                List.of()),
            FOUR),
        Arguments.of(
            "UPDATE End-of-RIB for IPv6 unicast (RFC 4724 §2)",
            MARKER + "001d 02 0000 0006 80 0f 03 0002 01",
            new Update(List.of(), List.of(new PathAttribute.MpUnreach(2, 1, List.of())), List.of()),
            TWO));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wellFormed")
  void encodesByteForByteAndDecodesBack(
      String name, String bytes, BgpMessage message, BgpCodec.Options options)
      throws BgpProtocolException {
    assertThat(HexFormat.of().formatHex(BgpCodec.encode(message, options)))
        .isEqualTo(bytes.replace(" ", ""));
    assertThat(BgpCodec.decode(hex(bytes), options)).isEqualTo(message);
  }

  static Stream<Arguments> sessionResets() {
    return Stream.of(
        Arguments.of("marker not all ones", "fe" + MARKER.substring(2) + "0013 04", "1/1", ""),
        Arguments.of("length below 19", MARKER + "0012 04", "1/2", "0012"),
        Arguments.of("KEEPALIVE longer than 19", MARKER + "0014 04 00", "1/2", "0014"),
        Arguments.of("unknown type 9", MARKER + "0013 09", "1/3", "09"),
        Arguments.of(
            "ROUTE-REFRESH of 24 bytes (RFC 7313 §5)",
            MARKER + "0018 05 0001 00 01 00",
            "7/1",
            MARKER + "0018 05 0001 00 01 00"),
        Arguments.of(
            "OPEN version 3: we support 4",
            MARKER + "001d 01 03 fde9 005a 0ade0001 00",
            "2/1",
            "0004"),
        Arguments.of("OPEN hold time 2", MARKER + "001d 01 04 fde9 0002 0ade0001 00", "2/6", ""),
        Arguments.of(
            "OPEN BGP identifier 0.0.0.0", MARKER + "001d 01 04 fde9 005a 00000000 00", "2/3", ""),
        Arguments.of(
            "OPEN optional parameter 1 (authentication, deprecated)",
            MARKER + "0020 01 04 fde9 005a 0ade0001 03 01 01 00",
            "2/4",
            ""),
        Arguments.of(
            "OPEN optional parameters length disagrees with the message",
            MARKER + "001f 01 04 fde9 005a 0ade0001 05 02 00",
            "2/0",
            ""),
        Arguments.of("UPDATE withdrawn length overruns", MARKER + "0017 02 0010 0000", "3/1", ""),
        Arguments.of(
            "UPDATE attribute length overruns the attribute list",
            MARKER + "001b 02 0000 0004 40 01 05 00",
            "3/1",
            ""),
        Arguments.of(
            "UPDATE prefix length 33", MARKER + "001c 02 0000 0000 21 0ade0a01", "3/10", ""),
        Arguments.of(
            "UPDATE unrecognized well-known attribute 99",
            MARKER + "001b 02 0000 0004 40 63 01 00",
            "3/2",
            "40630100"),
        Arguments.of(
            "UPDATE two MP_UNREACH_NLRI (RFC 7606 §3 g)",
            MARKER + "0023 02 0000 000c 80 0f 03 0002 01 80 0f 03 0002 01",
            "3/1",
            ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sessionResets")
  void malformedMessagesGetTheRfcNotification(String name, String bytes, String code, String data) {
    assertThatThrownBy(() -> BgpCodec.decode(hex(bytes), TWO))
        .isInstanceOfSatisfying(
            BgpProtocolException.class,
            e -> {
              Notification n = e.notification();
              assertThat(n.code() + "/" + n.subcode()).isEqualTo(code);
              assertThat(n.data().toString()).isEqualTo(data.replace(" ", ""));
            });
  }

  static Stream<Arguments> treatAsWithdraw() {
    String nlri = " 20 0ade0a01";
    return Stream.of(
        Arguments.of(
            "ORIGIN value 3 (RFC 7606 §7.1)",
            MARKER + "002e 02 0000 0012 40 01 01 03 40 02 04 02 01 fc00 40 03 04 0ade0001" + nlri,
            "invalid ORIGIN 3"),
        Arguments.of(
            "NEXT_HOP of 3 bytes (§7.3)",
            MARKER + "002d 02 0000 0011 40 01 01 00 40 02 04 02 01 fc00 40 03 03 0ade00" + nlri,
            "NEXT_HOP of length 3"),
        Arguments.of(
            "AS_PATH segment overruns (§7.2)",
            MARKER + "002d 02 0000 0011 40 01 01 00 40 02 03 02 02 fc 40 03 04 0ade0001" + nlri,
            "malformed AS_PATH segment"),
        Arguments.of(
            "COMMUNITIES of 3 bytes (§7.8)",
            MARKER
                + "0034 02 0000 0018 40 01 01 00 40 02 04 02 01 fc00 40 03 04 0ade0001"
                + " c0 08 03 000000"
                + nlri,
            "COMMUNITIES of length 3"),
        Arguments.of(
            "missing NEXT_HOP with IPv4 NLRI (§3 d)",
            MARKER + "0027 02 0000 000b 40 01 01 00 40 02 04 02 01 fc00" + nlri,
            "missing NEXT_HOP"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("treatAsWithdraw")
  void attributeErrorsKeepTheSessionAndWithdrawTheRoutes(String name, String bytes, String why)
      throws BgpProtocolException {
    Update u = (Update) BgpCodec.decode(hex(bytes), TWO);
    assertThat(u.treatAsWithdraw()).isEqualTo(why);
    assertThat(u.nlri()).containsExactly(IpPrefix.parse("10.222.10.1/32"));
  }
}
