package io.ironlb.bgp.wire;

import io.netty.buffer.ByteBuf;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

/**
 * The attributes whose value is one 4-octet unsigned number: MULTI_EXIT_DISC (RFC 4271 §5.1.4,
 * optional non-transitive) and LOCAL_PREF (§5.1.5, well-known). Neither checks well-known flags:
 * RFC 7606 §7.4/§7.5 only asks for the length.
 */
final class FourOctetValueCodec<A extends PathAttribute> implements AttributeCodec<A> {
  static final FourOctetValueCodec<PathAttribute.MultiExitDisc> MULTI_EXIT_DISC =
      new FourOctetValueCodec<>(
          "MULTI_EXIT_DISC",
          OPTIONAL,
          PathAttribute.MultiExitDisc::new,
          PathAttribute.MultiExitDisc::value);
  static final FourOctetValueCodec<PathAttribute.LocalPref> LOCAL_PREF =
      new FourOctetValueCodec<>(
          "LOCAL_PREF", TRANSITIVE, PathAttribute.LocalPref::new, PathAttribute.LocalPref::value);

  private final String name;
  private final int flags;
  private final LongFunction<A> fromValue;
  private final ToLongFunction<A> toValue;

  private FourOctetValueCodec(
      String name, int flags, LongFunction<A> fromValue, ToLongFunction<A> toValue) {
    this.name = name;
    this.flags = flags;
    this.fromValue = fromValue;
    this.toValue = toValue;
  }

  @Override
  public int flags(A attribute) {
    return flags;
  }

  @Override
  public A parse(int flags, ByteBuf value, BgpCodec.Options options) throws AttributeError {
    AttributeCodec.requireLength(value, 4, name);
    return fromValue.apply(value.readUnsignedInt());
  }

  @Override
  public void serialize(A attribute, ByteBuf value, BgpCodec.Options options) {
    value.writeInt((int) toValue.applyAsLong(attribute));
  }
}
