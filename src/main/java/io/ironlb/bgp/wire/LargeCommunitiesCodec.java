package io.ironlb.bgp.wire;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * LARGE_COMMUNITY (RFC 8092): 12-octet values, global administrator and two local data parts. An
 * empty or ragged list is treat-as-withdraw (RFC 8092 §6).
 */
final class LargeCommunitiesCodec implements AttributeCodec<PathAttribute.LargeCommunities> {

  @Override
  public int flags(PathAttribute.LargeCommunities communities) {
    return OPTIONAL | TRANSITIVE;
  }

  @Override
  public PathAttribute.LargeCommunities parse(int flags, ByteBuf value, BgpCodec.Options options)
      throws AttributeError {
    int length = value.readableBytes();
    if (length == 0 || length % 12 != 0) {
      throw AttributeError.treatAsWithdraw("LARGE_COMMUNITY of length " + length);
    }
    List<PathAttribute.LargeCommunity> communities = new ArrayList<>(length / 12);
    while (value.isReadable()) {
      communities.add(
          new PathAttribute.LargeCommunity(
              value.readUnsignedInt(), value.readUnsignedInt(), value.readUnsignedInt()));
    }
    return new PathAttribute.LargeCommunities(communities);
  }

  @Override
  public void serialize(
      PathAttribute.LargeCommunities communities, ByteBuf value, BgpCodec.Options options) {
    for (PathAttribute.LargeCommunity c : communities.values()) {
      value.writeInt((int) c.globalAdministrator());
      value.writeInt((int) c.localData1());
      value.writeInt((int) c.localData2());
    }
  }
}
