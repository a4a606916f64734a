package io.ironlb.bgp.wire;

import io.netty.buffer.ByteBuf;

/** MP_UNREACH_NLRI (RFC 4760 §4): address family and the withdrawn prefixes. */
final class MpUnreachCodec implements AttributeCodec<PathAttribute.MpUnreach> {

  @Override
  public int flags(PathAttribute.MpUnreach unreach) {
    return OPTIONAL;
  }

  @Override
  public PathAttribute.MpUnreach parse(int flags, ByteBuf value, BgpCodec.Options options)
      throws BgpProtocolException {
    int afi = value.readUnsignedShort();
    int safi = value.readUnsignedByte();
    return new PathAttribute.MpUnreach(afi, safi, Nlri.read(value, afi == Capability.AFI_IPV6));
  }

  @Override
  public void serialize(PathAttribute.MpUnreach unreach, ByteBuf value, BgpCodec.Options options) {
    value.writeShort(unreach.afi());
    value.writeByte(unreach.safi());
    unreach.withdrawn().forEach(p -> Nlri.write(value, p));
  }
}
