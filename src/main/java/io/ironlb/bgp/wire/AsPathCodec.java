package io.ironlb.bgp.wire;

import io.ironlb.bgp.wire.PathAttribute.Segment;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * AS_PATH (RFC 4271 §5.1.2) and AS4_PATH (RFC 6793 §3): segments of 2-octet ASNs between speakers
 * that did not both offer the 4-octet AS capability, of 4-octet ASNs otherwise and always in
 * AS4_PATH. A 2-octet AS_PATH carries AS_TRANS for an ASN that does not fit.
 */
final class AsPathCodec implements AttributeCodec<PathAttribute.AsPath> {
  private final boolean as4Path;

  /**
   * @param as4Path this codec is AS4_PATH's, not AS_PATH's
   */
  AsPathCodec(boolean as4Path) {
    this.as4Path = as4Path;
  }

  @Override
  public int flags(PathAttribute.AsPath path) {
    return path.as4() ? OPTIONAL | TRANSITIVE : TRANSITIVE;
  }

  @Override
  public PathAttribute.AsPath parse(int flags, ByteBuf value, BgpCodec.Options options)
      throws AttributeError {
    if (!as4Path) {
      AttributeCodec.requireWellKnown(flags, "AS_PATH");
      return new PathAttribute.AsPath(segments(value, options.fourOctetAs()), false);
    }
    try {
      return new PathAttribute.AsPath(segments(value, true), true);
    } catch (AttributeError e) {
      throw AttributeError.discard(e.getMessage()); // RFC 6793 §6
    }
  }

  private static List<Segment> segments(ByteBuf value, boolean fourOctet) throws AttributeError {
    List<Segment> out = new ArrayList<>();
    int width = fourOctet ? 4 : 2;
    while (value.isReadable()) {
      if (value.readableBytes() < 2) {
        throw AttributeError.treatAsWithdraw("AS_PATH segment header truncated");
      }
      int type = value.readUnsignedByte();
      int count = value.readUnsignedByte();
      if (type < Segment.AS_SET
          || type > 4
          || count == 0
          || count * width > value.readableBytes()) {
        // RFC 7606 §7.2; types 3 and 4 are the confederation segments of RFC 5065.
        throw AttributeError.treatAsWithdraw("malformed AS_PATH segment");
      }
      List<Long> asns = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        asns.add(fourOctet ? value.readUnsignedInt() : value.readUnsignedShort());
      }
      out.add(new Segment(type, asns));
    }
    return out;
  }

  @Override
  public void serialize(PathAttribute.AsPath path, ByteBuf value, BgpCodec.Options options) {
    boolean fourOctet = path.as4() || options.fourOctetAs();
    for (Segment s : path.segments()) {
      value.writeByte(s.type());
      value.writeByte(s.asns().size());
      for (long asn : s.asns()) {
        if (fourOctet) {
          value.writeInt((int) asn);
        } else {
          value.writeShort(asn > 0xFFFF ? BgpCodec.AS_TRANS : (int) asn);
        }
      }
    }
  }
}
