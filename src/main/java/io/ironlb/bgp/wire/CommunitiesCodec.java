package io.ironlb.bgp.wire;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * COMMUNITIES (RFC 1997): 4-octet values. An empty or ragged list is treat-as-withdraw (RFC 7606
 * §7.8).
 */
final class CommunitiesCodec implements AttributeCodec<PathAttribute.Communities> {

  @Override
  public int flags(PathAttribute.Communities communities) {
    return OPTIONAL | TRANSITIVE;
  }

  @Override
  public PathAttribute.Communities parse(int flags, ByteBuf value, BgpCodec.Options options)
      throws AttributeError {
    int length = value.readableBytes();
    if (length == 0 || length % 4 != 0) {
      throw AttributeError.treatAsWithdraw("COMMUNITIES of length " + length);
    }
    List<Long> communities = new ArrayList<>(length / 4);
    while (value.isReadable()) {
      communities.add(value.readUnsignedInt());
    }
    return new PathAttribute.Communities(communities);
  }

  @Override
  public void serialize(
      PathAttribute.Communities communities, ByteBuf value, BgpCodec.Options options) {
    communities.values().forEach(c -> value.writeInt(c.intValue()));
  }
}
