package io.ironlb.bgp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlb.bgp.wire.BgpCodec;
import io.ironlb.bgp.wire.BgpMessage;
import io.ironlb.bgp.wire.Capability;
import io.ironlb.bgp.wire.NotificationCode;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The OPEN negotiation by table: what a peer's OPEN yields, or the NOTIFICATION refusing it. */
class OpenNegotiationTest {
  private static final Inet4Address OURS = v4("10.222.0.1");
  private static final Inet4Address THEIRS = v4("10.222.0.2");

  private static Inet4Address v4(String s) {
    try {
      return (Inet4Address) InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /**
   * The peer's OPEN: its 2-octet AS field, hold time, identifier and capabilities ("4" 4-octet AS
   * with its AS, "mp4"/"mp6" multiprotocol unicast, "ext" extended messages, "gr" graceful
   * restart).
   */
  private static BgpMessage.Open open(long asn, int hold, boolean sameId, String caps) {
    List<Capability> list = new ArrayList<>();
    for (String c : caps == null ? new String[0] : caps.split(" ")) {
      switch (c) {
        case "4" -> list.add(new Capability.FourOctetAs(asn));
        case "mp4" ->
            list.add(new Capability.Multiprotocol(Capability.AFI_IPV4, Capability.SAFI_UNICAST));
        case "mp6" ->
            list.add(new Capability.Multiprotocol(Capability.AFI_IPV6, Capability.SAFI_UNICAST));
        case "ext" -> list.add(new Capability.ExtendedMessage());
        case "gr" -> list.add(new Capability.GracefulRestart(false, 120, List.of()));
        case "enh" ->
            list.add(
                new Capability.ExtendedNextHop(
                    List.of(
                        new Capability.NextHopFamily(
                            Capability.AFI_IPV4, Capability.SAFI_UNICAST, Capability.AFI_IPV6))));
        default -> throw new IllegalArgumentException(c);
      }
    }
    int myAs = asn > 0xFFFF ? BgpCodec.AS_TRANS : (int) asn;
    return new BgpMessage.Open(BgpCodec.VERSION, myAs, hold, sameId ? OURS : THEIRS, list);
  }

  @ParameterizedTest(
      name = "expect AS {0} (ours {1}), hold {2}/{3}, keepalive {4}: peer AS {5} caps [{7}]")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          # peer AS | our AS | our hold | peer hold | our keepalive | peer's AS | same id | caps           | hold | keepalive | 4-octet | ext   | families | GR
          64513     | 64512  | 90       | 90        | -             | 64513     | false   | 4 mp4 mp6 ext gr | 90 | 30        | true    | true  | 1,2      | true
          64513     | 64512  | 90       | 9         | -             | 64513     | false   | 4 mp4            | 9    | 3         | true    | false | 1        | false
          64513     | 64512  | 90       | 2         | -             | 64513     | false   | 4 mp4            | 2    | 1         | true    | false | 1        | false
          64513     | 64512  | 90       | 90        | 10            | 64513     | false   | 4 mp6            | 90   | 10        | true    | false | 2        | false
          64513     | 64512  | 90       | 0         | 10            | 64513     | false   | 4 mp4            | 0    | 0         | true    | false | 1        | false
          64513     | 64512  | 0        | 90        | -             | 64513     | false   | 4 mp4            | 0    | 0         | true    | false | 1        | false
          64513     | 64512  | 90       | 90        | -             | 64513     | false   | -                | 90   | 30        | false   | false | 1        | false
          4200000000 | 64512 | 90       | 90        | -             | 4200000000 | false  | 4 mp4            | 90   | 30        | true    | false | 1        | false
          64512     | 64512  | 90       | 90        | -             | 64512     | false   | 4 mp4            | 90   | 30        | true    | false | 1        | false
          64513     | 64512  | 90       | 90        | -             | 64513     | true    | 4 mp4            | 90   | 30        | true    | false | 1        | false
          internal  | 64512  | 90       | 90        | -             | 64512     | false   | 4 mp4            | 90   | 30        | true    | false | 1        | false
          external  | 64512  | 90       | 90        | -             | 64999     | false   | 4 mp4            | 90   | 30        | true    | false | 1        | false
          external  | 64512  | 90       | 90        | -             | 4200000000 | true   | 4 mp4            | 90   | 30        | true    | false | 1        | false
          """)
  void agreed(
      String peerAs,
      long ourAs,
      int ourHold,
      int peerHold,
      Integer ourKeepalive,
      long theirAs,
      boolean sameId,
      String caps,
      int hold,
      int keepalive,
      boolean fourOctet,
      boolean ext,
      String families,
      boolean gr) {
    OpenNegotiation.Outcome outcome =
        OpenNegotiation.negotiate(
            new OpenNegotiation.Local(PeerAs.parse(peerAs), ourAs, OURS, ourHold, ourKeepalive),
            open(theirAs, peerHold, sameId, caps));
    assertThat(outcome)
        .isEqualTo(
            new OpenNegotiation.Agreed(
                hold,
                keepalive,
                new BgpCodec.Options(fourOctet, ext),
                Arrays.stream(families.split(","))
                    .map(Integer::valueOf)
                    .collect(Collectors.toCollection(TreeSet::new)),
                gr));
  }

  @ParameterizedTest(name = "expect AS {0} (ours {1}): peer AS {2}, same id {3} → {4}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          64513      | 64512 | 64514      | false | OPEN_BAD_PEER_AS        | FC 02
          64513      | 64512 | 4200000000 | false | OPEN_BAD_PEER_AS        | 5B A0
          4200000000 | 64512 | 4200000001 | false | OPEN_BAD_PEER_AS        | 5B A0
          64512      | 64512 | 64512      | true  | OPEN_BAD_BGP_IDENTIFIER | ''
          internal   | 64512 | 64513      | false | OPEN_BAD_PEER_AS        | FC 01
          internal   | 64512 | 64512      | true  | OPEN_BAD_BGP_IDENTIFIER | ''
          external   | 64512 | 64512      | false | OPEN_BAD_PEER_AS        | FC 00
          """)
  void refused(
      String peerAs, long ourAs, long theirAs, boolean sameId, NotificationCode code, String data) {
    OpenNegotiation.Outcome outcome =
        OpenNegotiation.negotiate(
            new OpenNegotiation.Local(PeerAs.parse(peerAs), ourAs, OURS, 90, null),
            open(theirAs, 90, sameId, "4 mp4"));
    assertThat(outcome).isInstanceOf(OpenNegotiation.Refused.class);
    BgpMessage.Notification n = ((OpenNegotiation.Refused) outcome).notification();
    assertThat(n.code()).isEqualTo(code.code());
    assertThat(n.subcode()).isEqualTo(code.subcode());
    assertThat(hex(n.data().toByteArray())).isEqualTo(data);
  }

  /**
   * The families a session carries: those it is for and both OPENs offered, and IPv4 over an IPv6
   * next hop only when both offered it (RFC 8950 §4); none in common refuses the OPEN with
   * Unsupported Capability (RFC 5492 §5) naming the missing family.
   */
  @ParameterizedTest(name = "ours {0} (extended next hop {1}), peer [{2}] → {3}, {4}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # ours | our enh | peer caps         | families          | IPv6 next hop for IPv4
          1      | false   | 4 mp4 mp6         | 1                 | false
          2      | false   | 4 mp4 mp6         | 2                 | false
          1,2    | false   | 4 mp4 mp6         | 1,2               | false
          1,2    | true    | 4 mp4 mp6 enh     | 1,2               | true
          1,2    | true    | 4 mp4 mp6         | 1,2               | false
          1,2    | false   | 4 mp4 mp6 enh     | 1,2               | false
          1,2    | true    | 4 mp6 enh         | 2                 | true
          1,2    | true    | 4                 | 1                 | false
          2      | false   | 4                 | refused: 01 04 00 02 00 01 | false
          2      | false   | 4 mp4             | refused: 01 04 00 02 00 01 | false
          """)
  void familiesInCommon(String ours, boolean enh, String caps, String families, boolean v6ForV4) {
    OpenNegotiation.Outcome outcome =
        OpenNegotiation.negotiate(
            new OpenNegotiation.Local(
                PeerAs.parse("64513"), 64512, OURS, 90, null, afis(ours), enh),
            open(64513, 90, false, caps));
    if (families.startsWith("refused: ")) {
      assertThat(outcome).isInstanceOf(OpenNegotiation.Refused.class);
      OpenNegotiation.Refused r = (OpenNegotiation.Refused) outcome;
      assertThat(r.notification().code())
          .isEqualTo(NotificationCode.OPEN_UNSUPPORTED_CAPABILITY.code());
      assertThat(r.notification().subcode())
          .isEqualTo(NotificationCode.OPEN_UNSUPPORTED_CAPABILITY.subcode());
      assertThat(hex(r.notification().data().toByteArray()))
          .isEqualToIgnoringCase(families.substring("refused: ".length()));
      assertThat(r.reason()).contains("no address family in common");
      return;
    }
    assertThat(outcome).isInstanceOf(OpenNegotiation.Agreed.class);
    OpenNegotiation.Agreed a = (OpenNegotiation.Agreed) outcome;
    assertThat(a.families()).isEqualTo(afis(families));
    assertThat(a.ipv6ForIpv4()).isEqualTo(v6ForV4);
  }

  /** Our OPEN offers exactly the session's families, and the extended next hop when asked. */
  @ParameterizedTest(name = "families {0}, extended next hop {1}")
  @CsvSource({"'1', false", "'2', false", "'1,2', false", "'1,2', true"})
  void ourOpenOffersTheSessionsFamilies(String families, boolean enh) {
    BgpMessage.Open offer =
        OpenNegotiation.offer(
            new OpenNegotiation.Local(
                PeerAs.parse("64513"), 64512, OURS, 90, null, afis(families), enh),
            true,
            false);
    assertThat(
            offer.capabilities().stream()
                .filter(c -> c instanceof Capability.Multiprotocol)
                .map(c -> ((Capability.Multiprotocol) c).afi())
                .collect(Collectors.toSet()))
        .isEqualTo(afis(families));
    assertThat(offer.has(Capability.ExtendedNextHop.class)).isEqualTo(enh);
    Capability.GracefulRestart gr =
        (Capability.GracefulRestart)
            offer.capabilities().stream()
                .filter(c -> c instanceof Capability.GracefulRestart)
                .findFirst()
                .orElseThrow();
    assertThat(gr.families()).hasSize(afis(families).size());
  }

  private static java.util.Set<Integer> afis(String list) {
    return Arrays.stream(list.split(",")).map(Integer::valueOf).collect(Collectors.toSet());
  }

  private static String hex(byte[] b) {
    List<String> out = new ArrayList<>();
    for (byte x : b) {
      out.add(String.format("%02X", x));
    }
    return String.join(" ", out);
  }
}
