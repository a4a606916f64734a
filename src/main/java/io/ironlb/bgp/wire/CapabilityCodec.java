package io.ironlb.bgp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * One capability of an OPEN's Capabilities parameter (RFC 5492 §4): code, length, value; parse and
 * serialize side by side. Unknown codes are kept as received so the session can ignore them (RFC
 * 5492 §3).
 */
final class CapabilityCodec {
  private CapabilityCodec() {}

  static Capability parse(ByteBuf in) throws BgpProtocolException {
    int code = in.readUnsignedByte();
    int length = in.readUnsignedByte();
    if (length > in.readableBytes()) {
      throw new BgpProtocolException(
          NotificationCode.OPEN_UNSPECIFIC, "capability " + code + " overruns its parameter");
    }
    ByteBuf value = in.readSlice(length);
    Capability capability =
        switch (code) {
          case Capability.MULTIPROTOCOL -> length == 4 ? multiprotocol(value) : null;
          case Capability.ROUTE_REFRESH -> length == 0 ? new Capability.RouteRefresh() : null;
          case Capability.EXTENDED_NEXT_HOP -> length % 6 == 0 ? extendedNextHop(value) : null;
          case Capability.EXTENDED_MESSAGE -> length == 0 ? new Capability.ExtendedMessage() : null;
          case Capability.GRACEFUL_RESTART ->
              length >= 2 && (length - 2) % 4 == 0 ? gracefulRestart(value) : null;
          case Capability.FOUR_OCTET_AS ->
              length == 4 ? new Capability.FourOctetAs(value.readUnsignedInt()) : null;
          default -> new Capability.Unknown(code, ByteBufUtil.getBytes(value));
        };
    if (capability == null) {
      throw new BgpProtocolException(
          NotificationCode.OPEN_UNSPECIFIC, "capability " + code + " with length " + length);
    }
    return capability;
  }

  /** RFC 4760 §8: AFI, a reserved octet, SAFI. */
  private static Capability multiprotocol(ByteBuf value) {
    int afi = value.readUnsignedShort();
    value.skipBytes(1);
    return new Capability.Multiprotocol(afi, value.readUnsignedByte());
  }

  /** RFC 8950 §4: tuples of NLRI AFI (2 octets), NLRI SAFI (2), next hop AFI (2). */
  private static Capability extendedNextHop(ByteBuf value) {
    List<Capability.NextHopFamily> families = new ArrayList<>();
    while (value.isReadable()) {
      families.add(
          new Capability.NextHopFamily(
              value.readUnsignedShort(), value.readUnsignedShort(), value.readUnsignedShort()));
    }
    return new Capability.ExtendedNextHop(families);
  }

  /** RFC 4724 §3: restart flags and time, then per family AFI, SAFI and its flags. */
  private static Capability gracefulRestart(ByteBuf value) {
    int head = value.readUnsignedShort();
    List<Capability.GracefulRestartFamily> families = new ArrayList<>();
    while (value.isReadable()) {
      int afi = value.readUnsignedShort();
      int safi = value.readUnsignedByte();
      boolean forwarding = (value.readUnsignedByte() & 0x80) != 0;
      families.add(new Capability.GracefulRestartFamily(afi, safi, forwarding));
    }
    return new Capability.GracefulRestart((head & 0x8000) != 0, head & 0x0FFF, families);
  }

  static void write(ByteBuf out, Capability capability) {
    out.writeByte(capability.code());
    int lengthAt = out.writerIndex();
    out.writeByte(0); // patched below: every capability value fits in one octet
    if (capability instanceof Capability.Multiprotocol mp) {
      out.writeShort(mp.afi());
      out.writeByte(0);
      out.writeByte(mp.safi());
    } else if (capability instanceof Capability.GracefulRestart gr) {
      out.writeShort((gr.restarting() ? 0x8000 : 0) | (gr.restartTime() & 0x0FFF));
      for (Capability.GracefulRestartFamily f : gr.families()) {
        out.writeShort(f.afi());
        out.writeByte(f.safi());
        out.writeByte(f.forwardingPreserved() ? 0x80 : 0);
      }
    } else if (capability instanceof Capability.ExtendedNextHop enh) {
      for (Capability.NextHopFamily f : enh.families()) {
        out.writeShort(f.afi());
        out.writeShort(f.safi());
        out.writeShort(f.nextHopAfi());
      }
    } else if (capability instanceof Capability.FourOctetAs fourOctet) {
      out.writeInt((int) fourOctet.asn());
    } else if (capability instanceof Capability.Unknown u) {
      out.writeBytes(u.value().toByteArray());
    } // Route Refresh and Extended Message have no value
    out.setByte(lengthAt, out.writerIndex() - lengthAt - 1);
  }
}
