package io.ironlb.bgp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Netty inbound: cuts the TCP stream into BGP messages at the header's length and decodes each with
 * {@link BgpCodec}. A message the codec rejects is passed on as a {@link Failure} — the session
 * sends its NOTIFICATION and closes — and nothing after it is read: once a peer's framing is in
 * doubt, no later byte can be trusted (RFC 4271 §6).
 */
public final class BgpFrameDecoder extends ByteToMessageDecoder {

  /** A message the peer got wrong, and the NOTIFICATION that answers it. */
  public record Failure(BgpProtocolException error) {}

  private volatile BgpCodec.Options options = BgpCodec.Options.BEFORE_OPEN;
  private boolean failed;

  /** Set once the OPENs are exchanged (4-octet AS paths when both sides support them). */
  public void options(BgpCodec.Options options) {
    this.options = options;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    while (in.readableBytes() >= BgpCodec.HEADER_LENGTH) {
      int length;
      try {
        length = BgpCodec.checkHeader(in, options);
      } catch (BgpProtocolException e) {
        fail(in, out, e);
        return;
      }
      if (in.readableBytes() < length) {
        return; // wait for the rest
      }
      ByteBuf message = in.readSlice(length);
      try {
        out.add(BgpCodec.decode(message, options));
      } catch (BgpProtocolException e) {
        fail(in, out, e);
        return;
      }
    }
  }

  private void fail(ByteBuf in, List<Object> out, BgpProtocolException e) {
    failed = true;
    in.skipBytes(in.readableBytes());
    out.add(new Failure(e));
  }
}
