package io.ironlb.l2.ndp;

import static io.ironlb.l2.link.Frames.put16;
import static io.ironlb.l2.link.Frames.u16;

import io.ironlb.l2.link.MacAddress;
import io.ironlb.l2.link.MalformedFrameException;
import java.net.Inet6Address;
import java.net.UnknownHostException;

/**
 * Encodes Neighbor Advertisements and decodes Neighbor Solicitations over Ethernet (RFC 4861), with
 * the ICMPv6 checksum (RFC 4443 §2.3) and the receive-side validity checks of RFC 4861 §7.1.1.
 * Pure: no I/O.
 */
public final class NdpCodec {
  public static final int ETHERTYPE_IPV6 = 0x86DD;
  static final int ICMPV6 = 58;
  static final int SOLICITATION = 135;
  static final int ADVERTISEMENT = 136;
  private static final int ETH = 14;
  static final int IP = ETH + 40;
  static final int OPT_SOURCE_LL = 1;
  private static final int OPT_TARGET_LL = 2;

  /** ff02::1, all nodes on the link. */
  public static final Inet6Address ALL_NODES =
      ipv6(new byte[] {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 0);

  private NdpCodec() {}

  /**
   * Decodes a frame that should carry a Neighbor Solicitation, rejecting what RFC 4861 §7.1.1 says
   * a node must silently discard. A frame that is valid IPv6 but another message is {@code
   * not-solicitation}, which callers ignore rather than count as malformed.
   */
  public static NeighborSolicitation decodeSolicitation(byte[] f) throws MalformedFrameException {
    int payload = checkedMessage(f, SOLICITATION, "not-solicitation", 24);
    Inet6Address source = ipv6(f, ETH + 8);
    Inet6Address destination = ipv6(f, ETH + 24);
    Inet6Address target = ipv6(f, IP + 8);
    if (target.isMulticastAddress()) {
      throw new MalformedFrameException("multicast-target", target.getHostAddress());
    }
    MacAddress sourceLinkLayer = sourceLinkLayer(f, IP + 24, IP + payload);
    if (source.isAnyLocalAddress()) {
      if (sourceLinkLayer != null) {
        throw new MalformedFrameException(
            "bad-option", "DAD solicitation with a source link-layer option");
      }
      if (!destination.equals(solicitedNodeMulticast(target))) {
        throw new MalformedFrameException(
            "bad-destination", "DAD solicitation not to the solicited-node group");
      }
    }
    return new NeighborSolicitation(
        MacAddress.of(f, 6), source, destination, target, sourceLinkLayer);
  }

  /**
   * The checks every NDP message gets on receipt (RFC 4861 §6.1.1, §6.1.2, §7.1.1): IPv6 carrying
   * ICMPv6 of {@code type} (else {@code notThis}, which callers ignore), at least {@code fixed}
   * bytes of message, hop limit 255, code 0, a checksum that verifies. Returns the payload length.
   */
  static int checkedMessage(byte[] f, int type, String notThis, int fixed)
      throws MalformedFrameException {
    if (f.length < IP + 4) {
      throw new MalformedFrameException("truncated", f.length + " bytes");
    }
    if (u16(f, 12) != ETHERTYPE_IPV6 || (f[ETH] & 0xF0) != 0x60) {
      throw new MalformedFrameException(
          "not-ipv6", "ethertype 0x" + Integer.toHexString(u16(f, 12)));
    }
    if ((f[ETH + 6] & 0xFF) != ICMPV6) {
      // Extension headers before ICMPv6 are legal but never used by NDP in practice.
      throw new MalformedFrameException("not-icmpv6", "next header " + (f[ETH + 6] & 0xFF));
    }
    if ((f[IP] & 0xFF) != type) {
      throw new MalformedFrameException(notThis, "ICMPv6 type " + (f[IP] & 0xFF));
    }
    int payload = u16(f, ETH + 4);
    if (f.length < IP + fixed || payload < fixed || IP + payload > f.length) {
      throw new MalformedFrameException("truncated", "payload length " + payload);
    }
    if ((f[ETH + 7] & 0xFF) != 255) {
      throw new MalformedFrameException(
          "hop-limit", "hop limit " + (f[ETH + 7] & 0xFF) + ", not 255");
    }
    if (f[IP + 1] != 0) {
      throw new MalformedFrameException("bad-code", "ICMPv6 code " + f[IP + 1]);
    }
    if (checksum(f, payload) != 0) {
      throw new MalformedFrameException("bad-checksum", "ICMPv6 checksum does not verify");
    }
    return payload;
  }

  /**
   * Walks the options from {@code at} to {@code end} (RFC 4861 §4.6: none of length 0 or past the
   * end) and returns the Source Link-Layer Address option's value, or null.
   */
  static MacAddress sourceLinkLayer(byte[] f, int at, int end) throws MalformedFrameException {
    MacAddress found = null;
    while (at < end) {
      if (at + 2 > end || f[at + 1] == 0 || at + (f[at + 1] & 0xFF) * 8 > end) {
        throw new MalformedFrameException("bad-option", "option at offset " + (at - IP));
      }
      int length = (f[at + 1] & 0xFF) * 8;
      if ((f[at] & 0xFF) == OPT_SOURCE_LL && length >= 8) {
        found = MacAddress.of(f, at + 2);
      }
      at += length;
    }
    return found;
  }

  /** The frame of an advertisement, checksum included. */
  public static byte[] encode(NeighborAdvertisement na) {
    int payload = 24 + 8;
    byte[] f = new byte[IP + payload];
    na.ethernetDestination().write(f, 0);
    na.ethernetSource().write(f, 6);
    put16(f, 12, ETHERTYPE_IPV6);
    f[ETH] = 0x60;
    put16(f, ETH + 4, payload);
    f[ETH + 6] = (byte) ICMPV6;
    f[ETH + 7] = (byte) 255; // RFC 4861 §7.1.2: receivers drop anything else
    System.arraycopy(na.source().getAddress(), 0, f, ETH + 8, 16);
    System.arraycopy(na.destination().getAddress(), 0, f, ETH + 24, 16);
    f[IP] = (byte) ADVERTISEMENT;
    f[IP + 4] =
        (byte)
            ((na.router() ? 0x80 : 0) | (na.solicited() ? 0x40 : 0) | (na.override() ? 0x20 : 0));
    System.arraycopy(na.target().getAddress(), 0, f, IP + 8, 16);
    f[IP + 24] = OPT_TARGET_LL;
    f[IP + 25] = 1;
    na.targetLinkLayer().write(f, IP + 26);
    put16(f, IP + 2, checksum(f, payload));
    return f;
  }

  /**
   * The answer to a solicitation for one of our addresses (RFC 4861 §7.2.4): to the solicitor,
   * Solicited and Override set; to all nodes with Solicited clear when the solicitor is doing
   * duplicate address detection.
   */
  public static NeighborAdvertisement answer(NeighborSolicitation ns, MacAddress ours) {
    if (ns.isDuplicateAddressDetection()) {
      return new NeighborAdvertisement(
          multicastMac(ALL_NODES),
          ours,
          ns.target(),
          ALL_NODES,
          false,
          false,
          true,
          ns.target(),
          ours);
    }
    MacAddress to = ns.sourceLinkLayer() != null ? ns.sourceLinkLayer() : ns.ethernetSource();
    return new NeighborAdvertisement(
        to, ours, ns.target(), ns.source(), false, true, true, ns.target(), ours);
  }

  /** An unsolicited advertisement with Override, sent on taking an address over (§7.2.6). */
  public static NeighborAdvertisement unsolicited(Inet6Address ip, MacAddress ours) {
    return new NeighborAdvertisement(
        multicastMac(ALL_NODES), ours, ip, ALL_NODES, false, false, true, ip, ours);
  }

  /**
   * ff02::1:ffXX:XXXX, the group a node joins to hear solicitations for an address (RFC 4291
   * §2.7.1).
   */
  public static Inet6Address solicitedNodeMulticast(Inet6Address ip) {
    byte[] a = ip.getAddress();
    byte[] g = {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (byte) 0xff, a[13], a[14], a[15]};
    return ipv6(g, 0);
  }

  /** 33:33 followed by the group's low 32 bits (RFC 2464 §7). */
  public static MacAddress multicastMac(Inet6Address group) {
    byte[] a = group.getAddress();
    return MacAddress.of(new byte[] {0x33, 0x33, a[12], a[13], a[14], a[15]});
  }

  /**
   * The ICMPv6 checksum over the pseudo-header and the message; with the checksum field filled in,
   * a valid message sums to 0.
   */
  static int checksum(byte[] f, int payload) {
    long sum = 0;
    for (int i = ETH + 8; i < ETH + 40; i += 2) {
      sum += u16(f, i); // source and destination addresses
    }
    sum += payload;
    sum += ICMPV6;
    for (int i = IP; i < IP + payload; i += 2) {
      sum += i + 1 < IP + payload ? u16(f, i) : (f[i] & 0xFF) << 8;
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >>> 16);
    }
    return (int) (~sum & 0xFFFF);
  }

  static Inet6Address ipv6(byte[] b, int offset) {
    byte[] a = new byte[16];
    System.arraycopy(b, offset, a, 0, 16);
    try {
      return Inet6Address.getByAddress(null, a, -1);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are always an IPv6 address", e);
    }
  }
}
