package io.ironlb.bgp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Netty outbound: writes {@link BgpMessage}s with {@link BgpCodec}; one per session. */
public final class BgpEncoder extends MessageToByteEncoder<BgpMessage> {
  private volatile BgpCodec.Options options = BgpCodec.Options.BEFORE_OPEN;

  public BgpEncoder() {
    super(BgpMessage.class);
  }

  public void options(BgpCodec.Options options) {
    this.options = options;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, BgpMessage msg, ByteBuf out) {
    BgpCodec.encode(msg, options, out);
  }
}
