package io.ironlb.bgp.wire;

import io.ironlb.bgp.wire.BgpMessage.Keepalive;
import io.ironlb.bgp.wire.BgpMessage.Notification;
import io.ironlb.bgp.wire.BgpMessage.Open;
import io.ironlb.bgp.wire.BgpMessage.RouteRefresh;
import io.ironlb.bgp.wire.BgpMessage.Update;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * Encodes and decodes whole BGP messages (common header included), without I/O. Decoding checks
 * everything RFC 4271 §6 asks of a receiver that the message alone can tell — the session checks
 * the rest (peer AS, hold time against its configuration) — and applies RFC 7606: an attribute
 * error that leaves the message's structure intact marks the UPDATE treat-as-withdraw instead of
 * resetting the session.
 *
 * <p>This class owns the common header and hands each body to its message's codec ({@link
 * OpenCodec}, {@link UpdateCodec}); NOTIFICATION, KEEPALIVE and ROUTE-REFRESH are a few fixed
 * fields and are coded here.
 */
public final class BgpCodec {
  private BgpCodec() {}

  public static final int HEADER_LENGTH = 19;
  public static final int MAX_LENGTH = 4096;
  public static final int VERSION = 4;

  /** RFC 8654. */
  public static final int MAX_EXTENDED_LENGTH = 65535;

  /** RFC 6793 §9: the 2-octet stand-in for a 4-octet AS number. */
  public static final int AS_TRANS = 23456;

  private static final int MARKER_LENGTH = 16;

  /**
   * What the two ends agreed on in their OPENs that changes the encoding.
   *
   * @param fourOctetAs both advertised the 4-octet AS capability: AS_PATH carries 4-octet ASNs
   */
  public record Options(boolean fourOctetAs, boolean extendedMessages) {
    public static final Options BEFORE_OPEN = new Options(false, false);

    public Options(boolean fourOctetAs) {
      this(fourOctetAs, false);
    }

    /**
     * The largest message of a type: 65,535 bytes once both ends offered Extended Message (RFC
     * 8654), except OPEN and KEEPALIVE, which stay within 4,096.
     */
    public int maxLength(int type) {
      return extendedMessages && type != BgpMessage.OPEN && type != BgpMessage.KEEPALIVE
          ? MAX_EXTENDED_LENGTH
          : MAX_LENGTH;
    }
  }

  // ---------------------------------------------------------------- header

  /**
   * Checks the common header at the reader index of {@code in} (at least {@link #HEADER_LENGTH}
   * readable bytes) without moving it, and returns the message's total length. RFC 4271 §6.1.
   */
  public static int checkHeader(ByteBuf in, Options options) throws BgpProtocolException {
    int at = in.readerIndex();
    for (int i = 0; i < MARKER_LENGTH; i++) {
      if (in.getByte(at + i) != (byte) 0xFF) {
        throw new BgpProtocolException(
            NotificationCode.HEADER_CONNECTION_NOT_SYNCHRONIZED, "marker is not all ones");
      }
    }
    int length = in.getUnsignedShort(at + MARKER_LENGTH);
    int type = in.getUnsignedByte(at + MARKER_LENGTH + 2);
    if (type < BgpMessage.OPEN || type > BgpMessage.ROUTE_REFRESH) {
      throw new BgpProtocolException(
          NotificationCode.HEADER_BAD_MESSAGE_TYPE, new byte[] {(byte) type}, "type " + type);
    }
    int min =
        switch (type) {
          case BgpMessage.OPEN -> 29;
          case BgpMessage.UPDATE -> 23;
          case BgpMessage.NOTIFICATION -> 21;
          case BgpMessage.ROUTE_REFRESH -> 23;
          default -> HEADER_LENGTH;
        };
    boolean fixed = type == BgpMessage.KEEPALIVE || type == BgpMessage.ROUTE_REFRESH;
    int max = options.maxLength(type);
    if (type == BgpMessage.ROUTE_REFRESH && length >= HEADER_LENGTH && length <= max) {
      return length; // a wrong length has its own code, with the whole message: see decode
    }
    if (length < min || length > max || (fixed && length != min)) {
      throw new BgpProtocolException(
          NotificationCode.HEADER_BAD_MESSAGE_LENGTH,
          new byte[] {(byte) (length >>> 8), (byte) length},
          "length " + length + " for type " + type);
    }
    return length;
  }

  // ---------------------------------------------------------------- decode

  /** Decodes one whole message (header included). */
  public static BgpMessage decode(byte[] message, Options options) throws BgpProtocolException {
    return decode(Unpooled.wrappedBuffer(message), options);
  }

  /**
   * Decodes one whole message: every readable byte of {@code message}, header included. The buffer
   * is read, not released.
   */
  public static BgpMessage decode(ByteBuf message, Options options) throws BgpProtocolException {
    int size = message.readableBytes();
    if (size < HEADER_LENGTH) {
      throw new BgpProtocolException(
          NotificationCode.HEADER_BAD_MESSAGE_LENGTH, "only " + size + " bytes");
    }
    int length = checkHeader(message, options);
    if (length != size) {
      throw new BgpProtocolException(
          NotificationCode.HEADER_BAD_MESSAGE_LENGTH,
          new byte[] {(byte) (length >>> 8), (byte) length},
          "header says " + length + ", got " + size);
    }
    int type = message.getUnsignedByte(message.readerIndex() + MARKER_LENGTH + 2);
    if (type == BgpMessage.ROUTE_REFRESH && length != 23) {
      // RFC 7313 §5: its own code, and the complete message as data.
      throw new BgpProtocolException(
          NotificationCode.ROUTE_REFRESH_INVALID_LENGTH,
          ByteBufUtil.getBytes(message),
          "ROUTE-REFRESH of " + length);
    }
    ByteBuf body = message.slice(message.readerIndex() + HEADER_LENGTH, length - HEADER_LENGTH);
    try {
      return switch (type) {
        case BgpMessage.OPEN -> OpenCodec.parse(body);
        case BgpMessage.UPDATE -> UpdateCodec.parse(body, options);
        case BgpMessage.NOTIFICATION ->
            new Notification(
                body.readUnsignedByte(), body.readUnsignedByte(), ByteBufUtil.getBytes(body));
        case BgpMessage.KEEPALIVE -> new Keepalive();
        default -> routeRefresh(body);
      };
    } catch (IndexOutOfBoundsException e) {
      throw new BgpProtocolException(
          type == BgpMessage.OPEN
              ? NotificationCode.OPEN_UNSPECIFIC
              : NotificationCode.UPDATE_MALFORMED_ATTRIBUTE_LIST,
          "a field overruns the message");
    }
  }

  /** RFC 2918 §3; the reserved octet is RFC 7313's subtype, 0 for a plain refresh. */
  private static RouteRefresh routeRefresh(ByteBuf body) {
    int afi = body.readUnsignedShort();
    body.skipBytes(1);
    return new RouteRefresh(afi, body.readUnsignedByte());
  }

  // ---------------------------------------------------------------- encode

  /** Encodes one message, common header included. */
  public static byte[] encode(BgpMessage m, Options options) {
    ByteBuf out = Unpooled.buffer();
    encode(m, options, out);
    return ByteBufUtil.getBytes(out);
  }

  /** Appends one message, common header included, to {@code out}. */
  public static void encode(BgpMessage m, Options options, ByteBuf out) {
    int start = out.writerIndex();
    for (int i = 0; i < MARKER_LENGTH; i++) {
      out.writeByte(0xFF);
    }
    out.writeShort(0); // length, patched below
    out.writeByte(m.type());
    if (m instanceof Open o) {
      OpenCodec.write(out, o);
    } else if (m instanceof Update u) {
      UpdateCodec.write(out, u, options);
    } else if (m instanceof Notification n) {
      out.writeByte(n.code());
      out.writeByte(n.subcode());
      out.writeBytes(n.data().toByteArray());
    } else if (m instanceof RouteRefresh rr) {
      out.writeShort(rr.afi());
      out.writeByte(0);
      out.writeByte(rr.safi());
    } // a KEEPALIVE is the header alone
    int length = out.writerIndex() - start;
    if (length > options.maxLength(m.type())) {
      out.writerIndex(start);
      throw new IllegalArgumentException(
          "message of " + length + " bytes exceeds " + options.maxLength(m.type()));
    }
    out.setShort(start + MARKER_LENGTH, length);
  }

  /** How many bytes a prefix takes in NLRI. */
  public static int prefixSize(IpPrefix p) {
    return Nlri.size(p);
  }
}
