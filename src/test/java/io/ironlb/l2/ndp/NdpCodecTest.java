package io.ironlb.l2.ndp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ironlb.l2.Captures;
import io.ironlb.l2.link.MacAddress;
import io.ironlb.l2.link.MalformedFrameException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Byte-exact against frames captured from ndisc6 and the Linux kernel. */
class NdpCodecTest {
  private static final Map<String, byte[]> CAPTURED = Captures.load("linux-arping-ndisc6.txt");
  private static final MacAddress A = MacAddress.parse("02:22:00:00:00:0a");
  private static final MacAddress B = MacAddress.parse("02:22:00:00:00:0b");

  private static Inet6Address ip(String s) throws Exception {
    return (Inet6Address) InetAddress.getByName(s);
  }

  @Test
  void decodesNdisc6sSolicitation() throws Exception {
    NeighborSolicitation ns = NdpCodec.decodeSolicitation(CAPTURED.get("ndisc6-solicitation"));
    assertThat(ns.target()).isEqualTo(ip("fd00:222:250::1"));
    assertThat(ns.source()).isEqualTo(ip("fe80::22:ff:fe00:b"));
    assertThat(ns.destination()).isEqualTo(ip("ff02::1:ff00:1"));
    assertThat(ns.sourceLinkLayer()).isEqualTo(B);
    assertThat(ns.isDuplicateAddressDetection()).isFalse();
  }

  @Test
  void answersExactlyAsTheLinuxKernelDoes() throws Exception {
    NeighborSolicitation ns = NdpCodec.decodeSolicitation(CAPTURED.get("ndisc6-solicitation"));
    assertThat(NdpCodec.encode(NdpCodec.answer(ns, A)))
        .isEqualTo(CAPTURED.get("kernel-solicited-advert"));
  }

  @Test
  void duplicateAddressDetectionIsAnsweredToAllNodesWithoutSolicited() throws Exception {
    NeighborSolicitation dad = NdpCodec.decodeSolicitation(CAPTURED.get("kernel-dad-solicitation"));
    assertThat(dad.isDuplicateAddressDetection()).isTrue();
    assertThat(dad.target()).isEqualTo(ip("fe80::22:ff:fe00:a"));
    NeighborAdvertisement na = NdpCodec.answer(dad, B);
    assertThat(na.destination()).isEqualTo(NdpCodec.ALL_NODES);
    assertThat(na.ethernetDestination()).isEqualTo(MacAddress.parse("33:33:00:00:00:01"));
    assertThat(na.solicited()).isFalse();
    assertThat(na.override()).isTrue();
  }

  @Test
  void unsolicitedAdvertisementCarriesOverrideToAllNodes() throws Exception {
    byte[] f = NdpCodec.encode(NdpCodec.unsolicited(ip("fd00:222:250::7"), A));
    assertThat(f).hasSize(86);
    assertThat(NdpCodec.checksum(f, 32)).as("checksum verifies").isZero();
    assertThat(f[54]).isEqualTo((byte) 136);
    assertThat(f[58]).as("flags: Override only").isEqualTo((byte) 0x20);
    assertThat(MacAddress.of(f, 0)).isEqualTo(MacAddress.parse("33:33:00:00:00:01"));
  }

  @Test
  void solicitedNodeGroupAndItsMac() throws Exception {
    Inet6Address group = NdpCodec.solicitedNodeMulticast(ip("fd00:222:250::1:abcd"));
    assertThat(group).isEqualTo(ip("ff02::1:ff01:abcd"));
    assertThat(NdpCodec.multicastMac(group)).isEqualTo(MacAddress.parse("33:33:ff:01:ab:cd"));
  }

  @Test
  void otherIcmpv6MessagesAreNotSolicitations() {
    assertReason("kernel-router-solicitation", f -> {}, "not-solicitation");
    assertReason("kernel-solicited-advert", f -> {}, "not-solicitation");
    assertReason("arping-request", f -> {}, "truncated");
  }

  @Test
  void receiveChecksOfRfc4861Section711() {
    assertReason("ndisc6-solicitation", f -> f[21] = 64, "hop-limit");
    assertReason("ndisc6-solicitation", f -> f[60] ^= 1, "bad-checksum");
    assertReason(
        "ndisc6-solicitation",
        f -> {
          f[55] = 1;
          fixChecksum(f);
        },
        "bad-code");
    assertReason(
        "ndisc6-solicitation",
        f -> {
          f[62] = (byte) 0xff;
          fixChecksum(f);
        },
        "multicast-target");
    assertReason(
        "ndisc6-solicitation",
        f -> {
          f[79] = 0;
          fixChecksum(f);
        },
        "bad-option");
    assertReason("ndisc6-solicitation", f -> f[20] = 6, "not-icmpv6");
  }

  private static void fixChecksum(byte[] f) {
    f[56] = 0;
    f[57] = 0;
    int c = NdpCodec.checksum(f, 32);
    f[56] = (byte) (c >>> 8);
    f[57] = (byte) c;
  }

  private static void assertReason(String frame, Consumer<byte[]> mutate, String reason) {
    byte[] f = CAPTURED.get(frame).clone();
    mutate.accept(f);
    assertThatThrownBy(() -> NdpCodec.decodeSolicitation(f))
        .isInstanceOf(MalformedFrameException.class)
        .extracting(e -> ((MalformedFrameException) e).reason())
        .as(frame)
        .isEqualTo(reason);
  }
}
