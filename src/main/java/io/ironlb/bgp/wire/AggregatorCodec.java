package io.ironlb.bgp.wire;

import io.netty.buffer.ByteBuf;
import java.net.Inet4Address;

/**
 * AGGREGATOR (RFC 4271 §5.1.7) and AS4_AGGREGATOR (RFC 6793 §3): an ASN, 2 or 4 octets as for
 * AS_PATH, and an IPv4 address. A wrong length is discarded (RFC 7606 §7.7).
 */
final class AggregatorCodec implements AttributeCodec<PathAttribute.Aggregator> {
  private final boolean as4Aggregator;

  /**
   * @param as4Aggregator this codec is AS4_AGGREGATOR's, not AGGREGATOR's
   */
  AggregatorCodec(boolean as4Aggregator) {
    this.as4Aggregator = as4Aggregator;
  }

  @Override
  public int flags(PathAttribute.Aggregator aggregator) {
    return OPTIONAL | TRANSITIVE;
  }

  @Override
  public PathAttribute.Aggregator parse(int flags, ByteBuf value, BgpCodec.Options options)
      throws AttributeError {
    boolean fourOctet = as4Aggregator || options.fourOctetAs();
    if (value.readableBytes() != (fourOctet ? 8 : 6)) {
      throw AttributeError.discard("AGGREGATOR of length " + value.readableBytes());
    }
    long asn = fourOctet ? value.readUnsignedInt() : value.readUnsignedShort();
    return new PathAttribute.Aggregator(
        asn, (Inet4Address) Nlri.readAddress(value, 4), as4Aggregator);
  }

  @Override
  public void serialize(
      PathAttribute.Aggregator aggregator, ByteBuf value, BgpCodec.Options options) {
    if (aggregator.as4() || options.fourOctetAs()) {
      value.writeInt((int) aggregator.asn());
    } else {
      value.writeShort(aggregator.asn() > 0xFFFF ? BgpCodec.AS_TRANS : (int) aggregator.asn());
    }
    value.writeBytes(aggregator.address().getAddress());
  }
}
