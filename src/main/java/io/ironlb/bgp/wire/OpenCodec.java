package io.ironlb.bgp.wire;

import io.ironlb.bgp.wire.BgpMessage.Open;
import io.netty.buffer.ByteBuf;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;

/**
 * The OPEN message body (RFC 4271 §4.2), with the checks of §6.2 that the message alone can tell;
 * the session checks the peer AS and the hold time against its configuration.
 */
final class OpenCodec {
  private OpenCodec() {}

  /** RFC 5492 §4: the optional parameter that holds capabilities (1, authentication, is gone). */
  private static final int CAPABILITIES_PARAMETER = 2;

  static Open parse(ByteBuf in) throws BgpProtocolException {
    int version = in.readUnsignedByte();
    if (version != BgpCodec.VERSION) {
      // The data is the largest version we support (RFC 4271 §6.2).
      throw new BgpProtocolException(
          NotificationCode.OPEN_UNSUPPORTED_VERSION,
          new byte[] {0, BgpCodec.VERSION},
          "version " + version);
    }
    int myAs = in.readUnsignedShort();
    int hold = in.readUnsignedShort();
    if (hold == 1 || hold == 2) {
      throw new BgpProtocolException(
          NotificationCode.OPEN_UNACCEPTABLE_HOLD_TIME, "hold time " + hold + " s");
    }
    Inet4Address bgpId = (Inet4Address) Nlri.readAddress(in, 4);
    if (bgpId.isAnyLocalAddress() || bgpId.isMulticastAddress()) {
      throw new BgpProtocolException(
          NotificationCode.OPEN_BAD_BGP_IDENTIFIER, "BGP identifier " + bgpId.getHostAddress());
    }
    int parametersLength = in.readUnsignedByte();
    if (parametersLength != in.readableBytes()) {
      throw new BgpProtocolException(
          NotificationCode.OPEN_UNSPECIFIC,
          "optional parameters length "
              + parametersLength
              + ", "
              + in.readableBytes()
              + " bytes follow");
    }
    List<Capability> capabilities = new ArrayList<>();
    while (in.isReadable()) {
      int type = in.readUnsignedByte();
      int length = in.readUnsignedByte();
      if (length > in.readableBytes()) {
        throw new BgpProtocolException(
            NotificationCode.OPEN_UNSPECIFIC, "optional parameter overruns the message");
      }
      ByteBuf parameter = in.readSlice(length);
      if (type != CAPABILITIES_PARAMETER) {
        throw new BgpProtocolException(
            NotificationCode.OPEN_UNSUPPORTED_OPTIONAL_PARAMETER, "optional parameter " + type);
      }
      while (parameter.isReadable()) {
        capabilities.add(CapabilityCodec.parse(parameter));
      }
    }
    return new Open(version, myAs, hold, bgpId, capabilities);
  }

  static void write(ByteBuf out, Open open) {
    out.writeByte(open.version());
    out.writeShort(open.myAs());
    out.writeShort(open.holdTime());
    out.writeBytes(open.bgpId().getAddress());
    if (open.capabilities().isEmpty()) {
      out.writeByte(0);
      return;
    }
    // One Capabilities parameter holding them all (RFC 5492 §4 allows either form).
    int parametersAt = out.writerIndex();
    out.writeByte(0); // the parameters' length, patched below
    out.writeByte(CAPABILITIES_PARAMETER);
    out.writeByte(0); // the parameter's length, patched below
    open.capabilities().forEach(c -> CapabilityCodec.write(out, c));
    int length = out.writerIndex() - parametersAt - 3;
    out.setByte(parametersAt, length + 2);
    out.setByte(parametersAt + 2, length);
  }
}
