package io.ironlb.bgp.wire;

import io.netty.buffer.ByteBuf;
import java.net.Inet4Address;

/** NEXT_HOP (RFC 4271 §5.1.3): well-known, an IPv4 address; IPv6 next hops go in MP_REACH. */
final class NextHopCodec implements AttributeCodec<PathAttribute.NextHop> {

  @Override
  public int flags(PathAttribute.NextHop nextHop) {
    return TRANSITIVE;
  }

  @Override
  public PathAttribute.NextHop parse(int flags, ByteBuf value, BgpCodec.Options options)
      throws AttributeError {
    AttributeCodec.requireWellKnown(flags, "NEXT_HOP");
    AttributeCodec.requireLength(value, 4, "NEXT_HOP");
    return new PathAttribute.NextHop((Inet4Address) Nlri.readAddress(value, 4));
  }

  @Override
  public void serialize(PathAttribute.NextHop nextHop, ByteBuf value, BgpCodec.Options options) {
    value.writeBytes(nextHop.address().getAddress());
  }
}
