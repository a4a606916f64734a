package io.ironlb.bgp.wire;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * MP_REACH_NLRI (RFC 4760 §3): address family, next hops and the reachable prefixes. Any error in
 * it resets the session — RFC 7606 §7.11 would disable the family, which IronLB does not negotiate.
 * An IPv6 next hop is global, or global and link-local (RFC 2545 §3), for IPv6 routes and, with the
 * extended next hop capability (RFC 8950 §3), for IPv4 ones.
 */
final class MpReachCodec implements AttributeCodec<PathAttribute.MpReach> {

  @Override
  public int flags(PathAttribute.MpReach reach) {
    return OPTIONAL;
  }

  @Override
  public PathAttribute.MpReach parse(int flags, ByteBuf value, BgpCodec.Options options)
      throws BgpProtocolException {
    int afi = value.readUnsignedShort();
    int safi = value.readUnsignedByte();
    int nextHopLength = value.readUnsignedByte();
    if (nextHopLength > value.readableBytes()) {
      throw new BgpProtocolException(
          NotificationCode.UPDATE_OPTIONAL_ATTRIBUTE, "MP_REACH_NLRI next hop overruns");
    }
    // IPv6: global, or global and link-local (RFC 2545 §3); IPv4: an IPv4 next hop, or with RFC
    // 8950 an IPv6 one of either form.
    int width = afi == Capability.AFI_IPV6 || nextHopLength >= 16 ? 16 : 4;
    if (nextHopLength == 0
        || nextHopLength % width != 0
        || nextHopLength > (width == 16 ? 32 : 4)) {
      throw new BgpProtocolException(
          NotificationCode.UPDATE_OPTIONAL_ATTRIBUTE,
          "MP_REACH_NLRI next hop length " + nextHopLength);
    }
    List<InetAddress> nextHops = new ArrayList<>(2);
    for (int i = 0; i < nextHopLength; i += width) {
      nextHops.add(Nlri.readAddress(value, width));
    }
    value.readUnsignedByte(); // reserved
    return new PathAttribute.MpReach(
        afi, safi, nextHops, Nlri.read(value, afi == Capability.AFI_IPV6));
  }

  @Override
  public void serialize(PathAttribute.MpReach reach, ByteBuf value, BgpCodec.Options options) {
    value.writeShort(reach.afi());
    value.writeByte(reach.safi());
    value.writeByte(reach.nextHops().stream().mapToInt(h -> h.getAddress().length).sum());
    reach.nextHops().forEach(h -> value.writeBytes(h.getAddress()));
    value.writeByte(0); // reserved
    reach.nlri().forEach(p -> Nlri.write(value, p));
  }
}
