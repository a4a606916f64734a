package io.ironlb.bgp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ironlb.bgp.wire.PathAttribute.Segment;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each path attribute on its own, header and value, without a message around it: the bytes of RFC
 * 4271 §4.3 (and RFC 1997, 4760, 6793, 8092) parse to the attribute and the attribute serializes to
 * the same bytes; and each malformed value gets the verdict RFC 7606 gives it.
 */
class PathAttributesTest {

  private static final BgpCodec.Options TWO = new BgpCodec.Options(false);
  private static final BgpCodec.Options FOUR = new BgpCodec.Options(true);

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  private static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(s, e);
    }
  }

  private static Inet4Address ip4(String s) {
    return (Inet4Address) ip(s);
  }

  private static IpPrefix prefix(String cidr) {
    String[] p = cidr.split("/");
    return new IpPrefix(ip(p[0]), Integer.parseInt(p[1]));
  }

  /** name, the attribute as it travels (flags, type, length, value), options, the attribute. */
  static Stream<Arguments> attributes() {
    return Stream.of(
        Arguments.of("ORIGIN IGP", "40 01 01 00", TWO, PathAttribute.Origin.IGP),
        Arguments.of("ORIGIN INCOMPLETE", "40 01 01 02", TWO, new PathAttribute.Origin(2)),
        Arguments.of(
            "AS_PATH, 2-octet sequence",
            "40 02 06 02 02 fde8 fde9",
            TWO,
            new PathAttribute.AsPath(List.of(new Segment(2, List.of(65000L, 65001L))), false)),
        Arguments.of(
            "AS_PATH, 4-octet sequence and set",
            "40 02 10 02 01 00010000 01 02 0000fde8 0000fde9",
            FOUR,
            new PathAttribute.AsPath(
                List.of(new Segment(2, List.of(65536L)), new Segment(1, List.of(65000L, 65001L))),
                false)),
        Arguments.of(
            "AS_PATH, empty (iBGP origination)",
            "40 02 00",
            FOUR,
            new PathAttribute.AsPath(List.of(), false)),
        Arguments.of(
            "AS4_PATH",
            "c0 11 06 02 01 00010000",
            TWO,
            new PathAttribute.AsPath(List.of(new Segment(2, List.of(65536L))), true)),
        Arguments.of(
            "NEXT_HOP", "40 03 04 0ade0001", TWO, new PathAttribute.NextHop(ip4("10.222.0.1"))),
        Arguments.of(
            "MULTI_EXIT_DISC",
            "80 04 04 ffffffff",
            TWO,
            new PathAttribute.MultiExitDisc(4294967295L)),
        Arguments.of("LOCAL_PREF", "40 05 04 00000064", TWO, new PathAttribute.LocalPref(100)),
        Arguments.of("ATOMIC_AGGREGATE", "40 06 00", TWO, new PathAttribute.AtomicAggregate()),
        Arguments.of(
            "AGGREGATOR, 2-octet",
            "c0 07 06 fde8 0ade0002",
            TWO,
            new PathAttribute.Aggregator(65000, ip4("10.222.0.2"), false)),
        Arguments.of(
            "AGGREGATOR, 4-octet session",
            "c0 07 08 00010000 0ade0002",
            FOUR,
            new PathAttribute.Aggregator(65536, ip4("10.222.0.2"), false)),
        Arguments.of(
            "AS4_AGGREGATOR",
            "c0 12 08 00010000 0ade0002",
            TWO,
            new PathAttribute.Aggregator(65536, ip4("10.222.0.2"), true)),
        Arguments.of(
            "COMMUNITIES, NO_EXPORT and 65000:100",
            "c0 08 08 ffffff01 fde80064",
            TWO,
            new PathAttribute.Communities(List.of(0xFFFFFF01L, 0xFDE80064L))),
        Arguments.of(
            "LARGE_COMMUNITY 65536:1:2",
            "c0 20 0c 00010000 00000001 00000002",
            TWO,
            new PathAttribute.LargeCommunities(
                List.of(new PathAttribute.LargeCommunity(65536, 1, 2)))),
        Arguments.of(
            "MP_REACH_NLRI, IPv6 with global and link-local next hop",
            "80 0e 3f 0002 01 20 fd000222000000000000000000000001 fe800000000000000000000000000001"
                + " 00 40 fd00022200000001 80 fd000222000000000000000000000064",
            TWO,
            new PathAttribute.MpReach(
                2,
                1,
                List.of(ip("fd00:222::1"), ip("fe80::1")),
                List.of(prefix("fd00:222:0:1::/64"), prefix("fd00:222::64/128")))),
        Arguments.of(
            "MP_REACH_NLRI, IPv4 routes with an IPv6 link-local next hop (RFC 8950 §3)",
            "80 0e 1e 0001 01 10 fe800000000000000000000000000001 00 20 0ade0a01 18 0ade0b",
            TWO,
            new PathAttribute.MpReach(
                1,
                1,
                List.of(ip("fe80::1")),
                List.of(prefix("10.222.10.1/32"), prefix("10.222.11.0/24")))),
        Arguments.of(
            "MP_UNREACH_NLRI, IPv6",
            "80 0f 14 0002 01 80 fd000222000000000000000000000064",
            TWO,
            new PathAttribute.MpUnreach(2, 1, List.of(prefix("fd00:222::64/128")))),
        Arguments.of(
            "an optional transitive attribute IronLB does not know, kept as received",
            "c0 63 03 010203",
            TWO,
            new PathAttribute.Unknown(0xC0, 99, hex("010203"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attributes")
  void parsesAndSerializesTheSameBytes(
      String name, String wire, BgpCodec.Options options, PathAttribute attribute)
      throws Exception {
    assertThat(parse(hex(wire), options)).isEqualTo(attribute);
    ByteBuf out = Unpooled.buffer();
    PathAttributes.write(out, attribute, options);
    assertThat(HexFormat.of().formatHex(ByteBufUtil.getBytes(out)))
        .isEqualTo(wire.replace(" ", ""));
  }

  /** A value of more than 255 bytes takes the two-octet length (RFC 4271 §4.3, bit 3). */
  @Test
  void aLongValueTakesTheExtendedLength() throws Exception {
    List<Long> communities = LongStream.range(0, 70).boxed().toList();
    ByteBuf out = Unpooled.buffer();
    PathAttributes.write(out, new PathAttribute.Communities(communities), TWO);
    byte[] wire = ByteBufUtil.getBytes(out);
    assertThat(HexFormat.of().formatHex(wire, 0, 4)).isEqualTo("d0080118");
    assertThat(parse(wire, TWO)).isEqualTo(new PathAttribute.Communities(communities));
  }

  /** A 4-octet ASN on a 2-octet session is written as AS_TRANS (RFC 6793 §4.2.2). */
  @Test
  void aFourOctetAsnOnATwoOctetSessionBecomesAsTrans() {
    ByteBuf out = Unpooled.buffer();
    PathAttributes.write(
        out, new PathAttribute.AsPath(List.of(new Segment(2, List.of(65536L))), false), TWO);
    assertThat(HexFormat.of().formatHex(ByteBufUtil.getBytes(out))).isEqualTo("40020402015ba0");
  }

  enum Verdict {
    TREAT_AS_WITHDRAW,
    DISCARD
  }

  /** name, the attribute as received, options, what RFC 7606 says becomes of the UPDATE. */
  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("ORIGIN 3 (§7.1)", "40 01 01 03", TWO, Verdict.TREAT_AS_WITHDRAW),
        Arguments.of("ORIGIN of 2 bytes (§7.1)", "40 01 02 0000", TWO, Verdict.TREAT_AS_WITHDRAW),
        Arguments.of("ORIGIN flagged optional", "c0 01 01 00", TWO, Verdict.TREAT_AS_WITHDRAW),
        Arguments.of(
            "AS_PATH segment of count 0 (§7.2)", "40 02 02 0200", TWO, Verdict.TREAT_AS_WITHDRAW),
        Arguments.of(
            "AS_PATH segment type 5 (§7.2)", "40 02 04 0501fde8", TWO, Verdict.TREAT_AS_WITHDRAW),
        Arguments.of(
            "AS_PATH segment overruns (§7.2)", "40 02 04 0202fde8", TWO, Verdict.TREAT_AS_WITHDRAW),
        Arguments.of("AS4_PATH malformed (RFC 6793 §6)", "c0 11 02 0200", TWO, Verdict.DISCARD),
        Arguments.of(
            "NEXT_HOP of 3 bytes (§7.3)", "40 03 03 0ade00", TWO, Verdict.TREAT_AS_WITHDRAW),
        Arguments.of(
            "MULTI_EXIT_DISC of 2 bytes (§7.4)", "80 04 02 0001", TWO, Verdict.TREAT_AS_WITHDRAW),
        Arguments.of(
            "LOCAL_PREF of 5 bytes (§7.5)", "40 05 05 0000000064", TWO, Verdict.TREAT_AS_WITHDRAW),
        Arguments.of("ATOMIC_AGGREGATE with a value (§7.6)", "40 06 01 00", TWO, Verdict.DISCARD),
        Arguments.of(
            "AGGREGATOR of 8 bytes on a 2-octet session (§7.7)",
            "c0 07 08 00010000 0ade0002",
            TWO,
            Verdict.DISCARD),
        Arguments.of(
            "COMMUNITIES of 5 bytes (§7.8)", "c0 08 05 ffffff0100", TWO, Verdict.TREAT_AS_WITHDRAW),
        Arguments.of("COMMUNITIES empty (§7.8)", "c0 08 00", TWO, Verdict.TREAT_AS_WITHDRAW),
        Arguments.of(
            "LARGE_COMMUNITY of 8 bytes (RFC 8092 §6)",
            "c0 20 08 0000000100000002",
            TWO,
            Verdict.TREAT_AS_WITHDRAW));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void aMalformedValueGetsItsVerdict(
      String name, String wire, BgpCodec.Options options, Verdict verdict) {
    assertThatThrownBy(() -> parse(hex(wire), options))
        .isInstanceOfSatisfying(
            AttributeError.class,
            e -> assertThat(e.discardOnly()).isEqualTo(verdict == Verdict.DISCARD));
  }

  /** name, the attribute as received, the NOTIFICATION that resets the session. */
  static Stream<Arguments> sessionResets() {
    return Stream.of(
        Arguments.of(
            "MP_REACH_NLRI next hop of 5 bytes (§7.11)",
            "80 0e 0a 0001 01 05 0ade000100 00",
            NotificationCode.UPDATE_OPTIONAL_ATTRIBUTE),
        Arguments.of(
            "MP_REACH_NLRI, IPv4 routes with a next hop of 20 bytes (§7.11)",
            "80 0e 1a 0001 01 14 fe800000000000000000000000000001 0ade0001 00 00",
            NotificationCode.UPDATE_OPTIONAL_ATTRIBUTE),
        Arguments.of(
            "MP_REACH_NLRI cut inside its header (§7.11)",
            "80 0e 02 0001",
            NotificationCode.UPDATE_OPTIONAL_ATTRIBUTE),
        Arguments.of(
            "MP_UNREACH_NLRI with a /129 (§5.3)",
            "80 0f 04 0002 01 81",
            NotificationCode.UPDATE_INVALID_NETWORK_FIELD),
        Arguments.of(
            "an unknown attribute flagged well-known (RFC 4271 §6.3)",
            "40 63 01 00",
            NotificationCode.UPDATE_UNRECOGNIZED_WELL_KNOWN));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sessionResets")
  void aBrokenAttributeThatResetsTheSession(String name, String wire, NotificationCode code) {
    assertThatThrownBy(() -> parse(hex(wire), TWO))
        .isInstanceOfSatisfying(
            BgpProtocolException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  /** Reads the header as {@link UpdateCodec} does and hands the value to {@link PathAttributes}. */
  private static PathAttribute parse(byte[] wire, BgpCodec.Options options)
      throws AttributeError, BgpProtocolException {
    ByteBuf in = Unpooled.wrappedBuffer(wire);
    int flags = in.readUnsignedByte();
    int type = in.readUnsignedByte();
    int length =
        (flags & AttributeCodec.EXTENDED_LENGTH) != 0
            ? in.readUnsignedShort()
            : in.readUnsignedByte();
    assertThat(in.readableBytes()).as("value length").isEqualTo(length);
    return PathAttributes.parse(flags, type, in, options);
  }
}
