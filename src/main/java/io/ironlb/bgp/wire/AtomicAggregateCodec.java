package io.ironlb.bgp.wire;

import io.netty.buffer.ByteBuf;

/** ATOMIC_AGGREGATE (RFC 4271 §5.1.6): no value; a wrong length is discarded (RFC 7606 §7.6). */
final class AtomicAggregateCodec implements AttributeCodec<PathAttribute.AtomicAggregate> {

  @Override
  public int flags(PathAttribute.AtomicAggregate attribute) {
    return TRANSITIVE;
  }

  @Override
  public PathAttribute.AtomicAggregate parse(int flags, ByteBuf value, BgpCodec.Options options)
      throws AttributeError {
    if (value.isReadable()) {
      throw AttributeError.discard("ATOMIC_AGGREGATE of length " + value.readableBytes());
    }
    return new PathAttribute.AtomicAggregate();
  }

  @Override
  public void serialize(
      PathAttribute.AtomicAggregate attribute, ByteBuf value, BgpCodec.Options options) {}
}
