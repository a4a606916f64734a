package io.ironlb.l2.ndp;

import static io.ironlb.l2.link.Frames.put16;
import static io.ironlb.l2.link.Frames.u16;

import io.ironlb.l2.link.MacAddress;
import io.ironlb.l2.link.MalformedFrameException;
import java.net.Inet6Address;

/**
 * Router Discovery over Ethernet (RFC 4861 §6) as BGP unnumbered peering uses it, the way FRR does:
 * a Router Solicitation asks the routers on a link to advertise now; a Router Advertisement tells
 * them this end's link-local address (FRR's zebra learns its neighbour from it, and bgpd then
 * accepts the session from that address). IronLB's advertisements have router lifetime 0: it is
 * never anyone's default router. Decoding applies the validity checks of RFC 4861 §6.1.2. Pure: no
 * I/O.
 */
public final class RouterDiscoveryCodec {
  static final int ROUTER_SOLICITATION = 133;
  static final int ROUTER_ADVERTISEMENT = 134;
  private static final int ETH = 14;
  private static final int IP = ETH + 40;

  /** ff02::2, all routers on the link. */
  public static final Inet6Address ALL_ROUTERS =
      NdpCodec.ipv6(new byte[] {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}, 0);

  private RouterDiscoveryCodec() {}

  /** A Router Solicitation from {@code source} (a link-local address) to all routers (§4.1). */
  public static byte[] solicitation(MacAddress ours, Inet6Address source) {
    return frame(ours, source, ALL_ROUTERS, ROUTER_SOLICITATION, 8);
  }

  /**
   * A Router Advertisement from {@code source} to all nodes (§4.2): no hop limit, flags, reachable
   * or retransmit time of its own, router lifetime 0, and our MAC address.
   */
  public static byte[] advertisement(MacAddress ours, Inet6Address source) {
    return frame(ours, source, NdpCodec.ALL_NODES, ROUTER_ADVERTISEMENT, 16);
  }

  /**
   * A message of {@code fixed} bytes (type to options) followed by the source link-layer option.
   */
  private static byte[] frame(
      MacAddress ours, Inet6Address source, Inet6Address destination, int type, int fixed) {
    int payload = fixed + 8;
    byte[] f = new byte[IP + payload];
    NdpCodec.multicastMac(destination).write(f, 0);
    ours.write(f, 6);
    put16(f, 12, NdpCodec.ETHERTYPE_IPV6);
    f[ETH] = 0x60;
    put16(f, ETH + 4, payload);
    f[ETH + 6] = (byte) NdpCodec.ICMPV6;
    f[ETH + 7] = (byte) 255; // RFC 4861 §6.1: receivers drop anything else
    System.arraycopy(source.getAddress(), 0, f, ETH + 8, 16);
    System.arraycopy(destination.getAddress(), 0, f, ETH + 24, 16);
    f[IP] = (byte) type;
    f[IP + fixed] = NdpCodec.OPT_SOURCE_LL;
    f[IP + fixed + 1] = 1;
    ours.write(f, IP + fixed + 2);
    put16(f, IP + 2, NdpCodec.checksum(f, payload));
    return f;
  }

  /**
   * Decodes a frame that should carry a Router Advertisement, rejecting what RFC 4861 §6.1.2 says a
   * node must silently discard. Another valid ICMPv6 message is {@code not-advertisement}, which
   * callers ignore rather than count as malformed.
   */
  public static RouterAdvertisement decodeAdvertisement(byte[] f) throws MalformedFrameException {
    int payload = NdpCodec.checkedMessage(f, ROUTER_ADVERTISEMENT, "not-advertisement", 16);
    Inet6Address source = NdpCodec.ipv6(f, ETH + 8);
    if (!source.isLinkLocalAddress()) {
      throw new MalformedFrameException(
          "not-link-local", "source " + source.getHostAddress() + " is not link-local");
    }
    MacAddress sourceLinkLayer = NdpCodec.sourceLinkLayer(f, IP + 16, IP + payload);
    return new RouterAdvertisement(MacAddress.of(f, 6), source, u16(f, IP + 6), sourceLinkLayer);
  }
}
