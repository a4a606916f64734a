package io.ironlb.bgp.bfd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ironlb.bgp.bfd.BfdPacket.Diag;
import io.ironlb.bgp.bfd.BfdPacket.State;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 5880 §4.1 byte for byte, and the §6.8.6 checks that drop a packet before any session. */
class BfdCodecTest {
  private static final HexFormat HEX = HexFormat.of();

  static Stream<Arguments> packets() {
    return Stream.of(
        // Vers 1, Diag 0 | Sta Down | Mult 3 | Len 24 | My 1 | Your 0 | 1 s | 300 ms | echo 0
        Arguments.of(
            "Down, slow start",
            "20 40 03 18 00000001 00000000 000f4240 000493e0 00000000",
            BfdPacket.of(Diag.NONE, State.DOWN, false, false, 3, 1, 0, 1_000_000, 300_000)),
        // Up with P: Sta 3 << 6 | P 0x20 = 0xE0
        Arguments.of(
            "Up, Poll",
            "20 e0 03 18 0a0b0c0d 11223344 000186a0 000186a0 00000000",
            BfdPacket.of(
                Diag.NONE, State.UP, true, false, 3, 0x0a0b0c0dL, 0x11223344L, 100_000, 100_000)),
        // Down after a timeout, Diag 1: 0x21; Sta Down with F: 0x40 | 0x10 = 0x50
        Arguments.of(
            "Down, detection time expired, Final",
            "21 50 05 18 fffffffe 00000007 0007a120 0007a120 00000000",
            BfdPacket.of(
                Diag.CONTROL_DETECTION_TIME_EXPIRED,
                State.DOWN,
                false,
                true,
                5,
                0xfffffffeL,
                7,
                500_000,
                500_000)),
        // AdminDown, Diag 7: 0x27, Sta 0
        Arguments.of(
            "AdminDown",
            "27 00 03 18 00000002 00000009 000f4240 000f4240 00000000",
            BfdPacket.of(
                Diag.ADMINISTRATIVELY_DOWN,
                State.ADMIN_DOWN,
                false,
                false,
                3,
                2,
                9,
                1_000_000,
                1_000_000)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("packets")
  void encodesAndDecodesByteForByte(String name, String hex, BfdPacket packet) throws Exception {
    byte[] wire = HEX.parseHex(hex.replace(" ", ""));
    assertThat(HEX.formatHex(BfdCodec.encode(packet))).isEqualTo(HEX.formatHex(wire));
    assertThat(BfdCodec.decode(wire, wire.length)).isEqualTo(packet);
  }

  @Test
  void flagsAndEchoIntervalFromAPeerAreRead() throws Exception {
    // C and D set by a peer (0x08 | 0x02 on Init 0x80), echo RX 50 ms.
    byte[] wire = HEX.parseHex("208a0218000000030000000400030d4000030d400000c350");
    BfdPacket p = BfdCodec.decode(wire, wire.length);
    assertThat(p.state()).isEqualTo(State.INIT);
    assertThat(p.cpi()).isTrue();
    assertThat(p.demand()).isTrue();
    assertThat(p.requiredMinEchoRxMicros()).isEqualTo(50_000);
  }

  static Stream<Arguments> dropped() {
    return Stream.of(
        Arguments.of("short datagram", "2040031800000001", "shorter than a Control packet"),
        Arguments.of(
            "version 2", "40400318000000010000000000000001000000010000000000", "version 2"),
        Arguments.of(
            "length field 20", "204003140000000100000000000f4240000f424000000000", "too short"),
        Arguments.of(
            "length beyond datagram",
            "204003200000000100000000000f4240000f424000000000",
            "beyond the 24-byte datagram"),
        Arguments.of(
            "auth bit without room",
            "204403180000000100000000000f4240000f424000000000",
            "too short"),
        Arguments.of(
            "zero Detect Mult",
            "204000180000000100000000000f4240000f424000000000",
            "Detect Mult is zero"),
        Arguments.of(
            "Multipoint", "204103180000000100000000000f4240000f424000000000", "Multipoint"),
        Arguments.of(
            "zero My Discriminator",
            "204003180000000000000000000f4240000f424000000000",
            "My Discriminator is zero"),
        Arguments.of(
            "Up without Your Discriminator",
            "20c003180000000100000000000f4240000f424000000000",
            "Your Discriminator is zero in state UP"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dropped")
  void dropsWhatRfc5880Section688SaysToDiscard(String name, String hex, String reason) {
    byte[] wire = HEX.parseHex(hex);
    assertThatThrownBy(() -> BfdCodec.decode(wire, wire.length))
        .isInstanceOf(BfdCodec.Dropped.class)
        .hasMessageContaining(reason);
  }
}
