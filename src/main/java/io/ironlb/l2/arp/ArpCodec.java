package io.ironlb.l2.arp;

import static io.ironlb.l2.link.Frames.put16;
import static io.ironlb.l2.link.Frames.u16;

import io.ironlb.l2.link.MacAddress;
import io.ironlb.l2.link.MalformedFrameException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Encodes and decodes ARP over Ethernet (RFC 826): 14 bytes of Ethernet header, 28 of ARP. Frames
 * are written unpadded (42 bytes); the NIC or the kernel pads to the Ethernet minimum. Pure: no
 * I/O.
 */
public final class ArpCodec {
  public static final int ETHERTYPE_ARP = 0x0806;
  public static final int FRAME_LENGTH = 42;

  private ArpCodec() {}

  public static ArpPacket decode(byte[] frame) throws MalformedFrameException {
    if (frame.length < FRAME_LENGTH) {
      throw new MalformedFrameException("truncated", frame.length + " bytes");
    }
    if (u16(frame, 12) != ETHERTYPE_ARP) {
      throw new MalformedFrameException(
          "not-arp", "ethertype 0x" + Integer.toHexString(u16(frame, 12)));
    }
    // Hardware type Ethernet (1), protocol IPv4 (0x0800), lengths 6 and 4: anything else is not
    // a message this responder can answer (RFC 826, "Packet Reception").
    if (u16(frame, 14) != 1 || u16(frame, 16) != 0x0800 || frame[18] != 6 || frame[19] != 4) {
      throw new MalformedFrameException("unsupported", "not Ethernet/IPv4 ARP");
    }
    int op = u16(frame, 20);
    if (op != ArpPacket.REQUEST && op != ArpPacket.REPLY) {
      throw new MalformedFrameException("unsupported", "operation " + op);
    }
    return new ArpPacket(
        MacAddress.of(frame, 0),
        MacAddress.of(frame, 6),
        op,
        MacAddress.of(frame, 22),
        ipv4(frame, 28),
        MacAddress.of(frame, 32),
        ipv4(frame, 38));
  }

  public static byte[] encode(ArpPacket p) {
    byte[] f = new byte[FRAME_LENGTH];
    p.ethernetDestination().write(f, 0);
    p.ethernetSource().write(f, 6);
    put16(f, 12, ETHERTYPE_ARP);
    put16(f, 14, 1);
    put16(f, 16, 0x0800);
    f[18] = 6;
    f[19] = 4;
    put16(f, 20, p.operation());
    p.senderHardware().write(f, 22);
    System.arraycopy(p.senderProtocol().getAddress(), 0, f, 28, 4);
    p.targetHardware().write(f, 32);
    System.arraycopy(p.targetProtocol().getAddress(), 0, f, 38, 4);
    return f;
  }

  /** The reply to a request for one of our addresses, unicast to the asker (as Linux answers). */
  public static ArpPacket reply(ArpPacket request, MacAddress ours) {
    return new ArpPacket(
        request.senderHardware(),
        ours,
        ArpPacket.REPLY,
        ours,
        request.targetProtocol(),
        request.senderHardware(),
        request.senderProtocol());
  }

  /**
   * Gratuitous ARP, request form: a broadcast "who has IP? tell IP" from the new owner. Some
   * clients only update their cache from requests, others only from replies, so both are sent.
   */
  public static ArpPacket gratuitousRequest(MacAddress ours, Inet4Address ip) {
    return new ArpPacket(
        MacAddress.BROADCAST, ours, ArpPacket.REQUEST, ours, ip, MacAddress.BROADCAST, ip);
  }

  /** Gratuitous ARP, reply form: a broadcast "IP is at MAC". */
  public static ArpPacket gratuitousReply(MacAddress ours, Inet4Address ip) {
    return new ArpPacket(MacAddress.BROADCAST, ours, ArpPacket.REPLY, ours, ip, ours, ip);
  }

  private static Inet4Address ipv4(byte[] b, int offset) {
    byte[] a = new byte[4];
    System.arraycopy(b, offset, a, 0, 4);
    try {
      return (Inet4Address) InetAddress.getByAddress(a);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 bytes are always an IPv4 address", e);
    }
  }
}
