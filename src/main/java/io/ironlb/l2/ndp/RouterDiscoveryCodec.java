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
  private static final int OPT_SOURCE_LL = 1;

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
    f[IP + fixed] = OPT_SOURCE_LL;
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
    if (f.length < IP + 4) {
      throw new MalformedFrameException("truncated", f.length + " bytes");
    }
    if (u16(f, 12) != NdpCodec.ETHERTYPE_IPV6 || (f[ETH] & 0xF0) != 0x60) {
      throw new MalformedFrameException(
          "not-ipv6", "ethertype 0x" + Integer.toHexString(u16(f, 12)));
    }
    if ((f[ETH + 6] & 0xFF) != NdpCodec.ICMPV6) {
      throw new MalformedFrameException("not-icmpv6", "next header " + (f[ETH + 6] & 0xFF));
    }
    if ((f[IP] & 0xFF) != ROUTER_ADVERTISEMENT) {
      throw new MalformedFrameException("not-advertisement", "ICMPv6 type " + (f[IP] & 0xFF));
    }
    int payload = u16(f, ETH + 4);
    if (payload < 16 || IP + payload > f.length) {
      throw new MalformedFrameException("truncated", "payload length " + payload);
    }
    if ((f[ETH + 7] & 0xFF) != 255) {
      throw new MalformedFrameException(
          "hop-limit", "hop limit " + (f[ETH + 7] & 0xFF) + ", not 255");
    }
    if (f[IP + 1] != 0) {
      throw new MalformedFrameException("bad-code", "ICMPv6 code " + f[IP + 1]);
    }
    if (NdpCodec.checksum(f, payload) != 0) {
      throw new MalformedFrameException("bad-checksum", "ICMPv6 checksum does not verify");
    }
    Inet6Address source = NdpCodec.ipv6(f, ETH + 8);
    if (!source.isLinkLocalAddress()) {
      throw new MalformedFrameException(
          "not-link-local", "source " + source.getHostAddress() + " is not link-local");
    }
    MacAddress sourceLinkLayer = null;
    int at = IP + 16;
    int end = IP + payload;
    while (at < end) {
      if (at + 2 > end || f[at + 1] == 0 || at + (f[at + 1] & 0xFF) * 8 > end) {
        throw new MalformedFrameException("bad-option", "option at offset " + (at - IP));
      }
      int length = (f[at + 1] & 0xFF) * 8;
      if ((f[at] & 0xFF) == OPT_SOURCE_LL && length >= 8) {
        sourceLinkLayer = MacAddress.of(f, at + 2);
      }
      at += length;
    }
    return new RouterAdvertisement(MacAddress.of(f, 6), source, u16(f, IP + 6), sourceLinkLayer);
  }
}
