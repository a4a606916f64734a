package io.ironlb.bgp.wire;

import io.netty.buffer.ByteBuf;

/**
 * Parses and serializes the value of one path attribute type (RFC 4271 §4.3), side by side so a
 * reader sees both directions of a field at once. The attribute header (flags, type, length) is
 * {@link PathAttributes}'s job; a codec sees only its value, as a buffer bounded by its length.
 *
 * <p>Running past the end of {@code value} throws {@link IndexOutOfBoundsException}, which {@link
 * PathAttributes} maps to the verdict RFC 7606 gives a truncated attribute.
 */
interface AttributeCodec<A extends PathAttribute> {

  /** The flags an originator sets on this attribute (RFC 4271 §5; never Partial). */
  int flags(A attribute);

  /**
   * @param flags the flags as received, for the checks of well-known attributes
   */
  A parse(int flags, ByteBuf value, BgpCodec.Options options)
      throws AttributeError, BgpProtocolException;

  void serialize(A attribute, ByteBuf value, BgpCodec.Options options);

  /** Attribute flag bits (RFC 4271 §4.3). */
  int OPTIONAL = 0x80;

  int TRANSITIVE = 0x40;
  int EXTENDED_LENGTH = 0x10;

  /** RFC 4271 §6.3: a well-known attribute must come Transitive and not Optional. */
  static void requireWellKnown(int flags, String name) throws AttributeError {
    if ((flags & OPTIONAL) != 0 || (flags & TRANSITIVE) == 0) {
      throw AttributeError.treatAsWithdraw(name + " with flags " + flags);
    }
  }

  /** RFC 7606 §7: a fixed-length attribute of another length is treat-as-withdraw. */
  static void requireLength(ByteBuf value, int length, String name) throws AttributeError {
    if (value.readableBytes() != length) {
      throw AttributeError.treatAsWithdraw(name + " of length " + value.readableBytes());
    }
  }
}
