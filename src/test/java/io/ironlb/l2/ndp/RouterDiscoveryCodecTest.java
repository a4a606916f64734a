package io.ironlb.l2.ndp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ironlb.l2.link.MacAddress;
import io.ironlb.l2.link.MalformedFrameException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Router Solicitations and Advertisements byte for byte (RFC 4861 §4.1, §4.2; checksums worked out
 * independently of the codec; the Linux kernel's solicitation and BIRD's advertisement as
 * captured), and the §6.1.2 checks on what is received.
 */
class RouterDiscoveryCodecTest {
  private static final MacAddress OURS = MacAddress.parse("02:00:00:00:00:01");

  private static final String ETH_TO_ALL_ROUTERS = "333300000002 020000000001 86dd";
  private static final String ETH_TO_ALL_NODES = "333300000001 020000000001 86dd";
  private static final String FROM_FE80_1 = "fe800000000000000000000000000001";

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  private static Inet6Address ip(String s) throws Exception {
    return (Inet6Address) InetAddress.getByName(s);
  }

  @Test
  void aSolicitationGoesToAllRoutersWithOurLinkLayerAddress() throws Exception {
    assertThat(RouterDiscoveryCodec.solicitation(OURS, ip("fe80::1")))
        .isEqualTo(
            hex(
                ETH_TO_ALL_ROUTERS
                    + " 60000000 0010 3a ff "
                    + FROM_FE80_1
                    + " ff020000000000000000000000000002"
                    + " 85 00 7a2c 00000000 0101 020000000001"));
  }

  @Test
  void anAdvertisementOffersNoDefaultRouteAndNamesOurLinkLayerAddress() throws Exception {
    byte[] ra = RouterDiscoveryCodec.advertisement(OURS, ip("fe80::1"));
    assertThat(ra)
        .isEqualTo(
            hex(
                ETH_TO_ALL_NODES
                    + " 60000000 0018 3a ff "
                    + FROM_FE80_1
                    + " ff020000000000000000000000000001"
                    + " 86 00 7925 00 00 0000 00000000 00000000 0101 020000000001"));
    RouterAdvertisement decoded = RouterDiscoveryCodec.decodeAdvertisement(ra);
    assertThat(decoded.source()).isEqualTo(ip("fe80::1"));
    assertThat(decoded.routerLifetime()).isZero();
    assertThat(decoded.sourceLinkLayer()).isEqualTo(OURS);
    assertThat(decoded.ethernetSource()).isEqualTo(OURS);
  }

  private static final java.util.Map<String, byte[]> CAPTURED =
      io.ironlb.l2.Captures.load("linux-arping-ndisc6.txt");

  @Test
  void ourSolicitationIsTheLinuxKernelsByteForByte() throws Exception {
    assertThat(
            RouterDiscoveryCodec.solicitation(
                MacAddress.parse("02:22:00:00:00:0a"), ip("fe80::22:ff:fe00:a")))
        .isEqualTo(CAPTURED.get("kernel-router-solicitation"));
  }

  @Test
  void decodesBirdsAdvertisementWhichHasNoLinkLayerOption() throws Exception {
    RouterAdvertisement ra =
        RouterDiscoveryCodec.decodeAdvertisement(CAPTURED.get("bird-router-advertisement"));
    assertThat(ra.source()).isEqualTo(ip("fe80::22:ff:fe00:c"));
    assertThat(ra.ethernetSource()).isEqualTo(MacAddress.parse("02:22:00:00:00:0c"));
    assertThat(ra.routerLifetime()).isZero();
    assertThat(ra.sourceLinkLayer()).isNull();
  }

  @Test
  void whatRfc4861Section612DiscardsIsRejected() throws Exception {
    byte[] good = RouterDiscoveryCodec.advertisement(OURS, ip("fe80::1"));
    rejected(good, f -> f[14 + 7] = 64, "hop-limit");
    rejected(good, f -> f[54 + 1] = 1, "bad-code");
    rejected(good, f -> f[54 + 17] ^= 1, "bad-checksum");
    rejected(good, f -> resum(f, () -> f[54 + 17] = 0), "bad-option"); // option length 0
    rejected(RouterDiscoveryCodec.solicitation(OURS, ip("fe80::1")), f -> {}, "not-advertisement");
    // A global source: RFC 4861 §6.1.2 wants a link-local one (the checksum is redone to match).
    byte[] global = RouterDiscoveryCodec.advertisement(OURS, ip("fd00:222::1"));
    rejected(global, f -> {}, "not-link-local");
    byte[] cut = new byte[60];
    System.arraycopy(good, 0, cut, 0, 60);
    rejected(cut, f -> {}, "truncated");
  }

  /** Damages the message and gives it a checksum that verifies, so the damage is what is seen. */
  private static void resum(byte[] f, Runnable damage) {
    damage.run();
    f[54 + 2] = 0;
    f[54 + 3] = 0;
    int sum = NdpCodec.checksum(f, f.length - 54);
    f[54 + 2] = (byte) (sum >> 8);
    f[54 + 3] = (byte) sum;
  }

  private static void rejected(byte[] good, Consumer<byte[]> damage, String reason) {
    byte[] f = good.clone();
    damage.accept(f);
    assertThatThrownBy(() -> RouterDiscoveryCodec.decodeAdvertisement(f))
        .isInstanceOf(MalformedFrameException.class)
        .satisfies(e -> assertThat(((MalformedFrameException) e).reason()).isEqualTo(reason));
  }
}
