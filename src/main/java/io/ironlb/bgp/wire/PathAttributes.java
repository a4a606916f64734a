package io.ironlb.bgp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Map;

/**
 * The path attribute header (RFC 4271 §4.3: flags, type, one or two length octets) and the table of
 * {@link AttributeCodec}s by type code. A type without a codec is kept as {@link
 * PathAttribute.Unknown} when it is optional, and answered with a NOTIFICATION when it claims to be
 * well-known (RFC 4271 §6.3).
 */
final class PathAttributes {
  private PathAttributes() {}

  private static final Map<Integer, AttributeCodec<?>> BY_TYPE =
      Map.ofEntries(
          Map.entry(PathAttribute.ORIGIN, new OriginCodec()),
          Map.entry(PathAttribute.AS_PATH, new AsPathCodec(false)),
          Map.entry(PathAttribute.NEXT_HOP, new NextHopCodec()),
          Map.entry(PathAttribute.MULTI_EXIT_DISC, FourOctetValueCodec.MULTI_EXIT_DISC),
          Map.entry(PathAttribute.LOCAL_PREF, FourOctetValueCodec.LOCAL_PREF),
          Map.entry(PathAttribute.ATOMIC_AGGREGATE, new AtomicAggregateCodec()),
          Map.entry(PathAttribute.AGGREGATOR, new AggregatorCodec(false)),
          Map.entry(PathAttribute.COMMUNITIES, new CommunitiesCodec()),
          Map.entry(PathAttribute.MP_REACH_NLRI, new MpReachCodec()),
          Map.entry(PathAttribute.MP_UNREACH_NLRI, new MpUnreachCodec()),
          Map.entry(PathAttribute.AS4_PATH, new AsPathCodec(true)),
          Map.entry(PathAttribute.AS4_AGGREGATOR, new AggregatorCodec(true)),
          Map.entry(PathAttribute.LARGE_COMMUNITY, new LargeCommunitiesCodec()));

  /**
   * Parses one attribute's value.
   *
   * @throws AttributeError an error RFC 7606 handles with treat-as-withdraw or discard
   * @throws BgpProtocolException an error that resets the session
   */
  static PathAttribute parse(int flags, int type, ByteBuf value, BgpCodec.Options options)
      throws AttributeError, BgpProtocolException {
    AttributeCodec<?> codec = BY_TYPE.get(type);
    if (codec == null) {
      return unknown(flags, type, value);
    }
    try {
      return codec.parse(flags, value, options);
    } catch (IndexOutOfBoundsException e) {
      if (isMultiprotocol(type)) {
        throw new BgpProtocolException(
            NotificationCode.UPDATE_OPTIONAL_ATTRIBUTE, "attribute " + type + " is truncated");
      }
      throw AttributeError.treatAsWithdraw("attribute " + type + " is truncated");
    }
  }

  /** MP_REACH_NLRI and MP_UNREACH_NLRI, whose errors reset the session (RFC 7606 §5.3). */
  static boolean isMultiprotocol(int type) {
    return type == PathAttribute.MP_REACH_NLRI || type == PathAttribute.MP_UNREACH_NLRI;
  }

  private static PathAttribute unknown(int flags, int type, ByteBuf value)
      throws BgpProtocolException {
    byte[] bytes = ByteBufUtil.getBytes(value);
    if ((flags & AttributeCodec.OPTIONAL) == 0) {
      // RFC 4271 §6.3: the data is the attribute (type, length and value).
      byte[] data = new byte[3 + bytes.length];
      data[0] = (byte) flags;
      data[1] = (byte) type;
      data[2] = (byte) bytes.length;
      System.arraycopy(bytes, 0, data, 3, bytes.length);
      throw new BgpProtocolException(
          NotificationCode.UPDATE_UNRECOGNIZED_WELL_KNOWN,
          data,
          "unrecognized well-known attribute " + type);
    }
    // Extended length is how the value was framed, not part of the attribute.
    return new PathAttribute.Unknown(flags & ~AttributeCodec.EXTENDED_LENGTH, type, bytes);
  }

  /** Writes one attribute, header included; the extended length only when the value needs it. */
  static void write(ByteBuf out, PathAttribute attribute, BgpCodec.Options options) {
    ByteBuf value = Unpooled.buffer();
    int flags;
    if (attribute instanceof PathAttribute.Unknown u) {
      flags = u.flags() & ~AttributeCodec.EXTENDED_LENGTH;
      value.writeBytes(u.value().toByteArray());
    } else {
      AttributeCodec<PathAttribute> codec = codecOf(attribute);
      flags = codec.flags(attribute);
      codec.serialize(attribute, value, options);
    }
    int length = value.readableBytes();
    if (length > 255) {
      out.writeByte(flags | AttributeCodec.EXTENDED_LENGTH);
      out.writeByte(attribute.typeCode());
      out.writeShort(length);
    } else {
      out.writeByte(flags);
      out.writeByte(attribute.typeCode());
      out.writeByte(length);
    }
    out.writeBytes(value);
  }

  // Every record's type code is the key of the codec written for that record (checked by
  // PathAttributeCodecsTest for each kind), so the cast holds.
  @SuppressWarnings("unchecked")
  private static AttributeCodec<PathAttribute> codecOf(PathAttribute attribute) {
    return (AttributeCodec<PathAttribute>) BY_TYPE.get(attribute.typeCode());
  }
}
