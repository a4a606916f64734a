package io.ironlb.bgp.wire;

import io.netty.buffer.ByteBuf;

/** ORIGIN (RFC 4271 §5.1.1): well-known mandatory, one octet, 0 to 2. */
final class OriginCodec implements AttributeCodec<PathAttribute.Origin> {

  @Override
  public int flags(PathAttribute.Origin origin) {
    return TRANSITIVE;
  }

  @Override
  public PathAttribute.Origin parse(int flags, ByteBuf value, BgpCodec.Options options)
      throws AttributeError {
    AttributeCodec.requireWellKnown(flags, "ORIGIN");
    AttributeCodec.requireLength(value, 1, "ORIGIN");
    int origin = value.readUnsignedByte();
    if (origin > 2) {
      throw AttributeError.treatAsWithdraw("invalid ORIGIN " + origin); // RFC 7606 §7.1
    }
    return new PathAttribute.Origin(origin);
  }

  @Override
  public void serialize(PathAttribute.Origin origin, ByteBuf value, BgpCodec.Options options) {
    value.writeByte(origin.value());
  }
}
