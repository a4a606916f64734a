package io.ironlb.bgp.session;

import io.ironlb.bgp.wire.BgpCodec;
import io.ironlb.bgp.wire.BgpEncoder;
import io.ironlb.bgp.wire.BgpFrameDecoder;
import io.ironlb.bgp.wire.BgpMessage;
import io.ironlb.bgp.wire.BgpProtocolException;
import io.ironlb.net.NettyTransport;
import io.ironlb.net.SocketOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.SocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Opens a BGP session's TCP connection: the shared event loop, the socket options the session's
 * configuration asks for (TTL or hop limit, TCP MD5 of RFC 2385, the VRF device), and a pipeline of
 * the BGP codecs ending in a {@link Listener}. The session actor owns what happens next; nothing
 * here acts on a message.
 */
public final class Connector {
  private Connector() {}

  /**
   * Where and how to connect.
   *
   * @param sourceAddress the local address to connect from, or null
   * @param ttl the TTL (hop limit) of every packet of the connection
   * @param password the TCP MD5 key, or null
   * @param vrf the Linux VRF device the connection lives in, or null for the default VRF
   */
  public record Target(
      InetSocketAddress peer,
      InetAddress sourceAddress,
      int ttl,
      String password,
      Duration connectTimeout,
      String vrf) {}

  /** What the connection hears; called on a Netty thread, so implementations only hand over. */
  public interface Listener {
    void received(Channel channel, BgpMessage message);

    /** A message the peer got wrong; nothing after it is read (see {@link BgpFrameDecoder}). */
    void malformed(Channel channel, BgpProtocolException error);

    void closed(Channel channel);
  }

  /** Thrown when this platform cannot set what the target asks for. */
  public static final class Unsupported extends Exception {
    private static final long serialVersionUID = 1L;

    Unsupported(String message) {
      super(message);
    }
  }

  /**
   * Starts the connection; the future completes with a channel whose pipeline decodes into {@code
   * listener}, or with the reason it failed.
   */
  public static ChannelFuture connect(NettyTransport transport, Target target, Listener listener)
      throws Unsupported {
    Bootstrap b =
        new Bootstrap()
            .group(transport.group())
            .channel(transport.channelType())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) target.connectTimeout().toMillis())
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (target.vrf() != null
                        && !ch.config()
                            .setOption(
                                SocketOptions.bindToDevice(),
                                SocketOptions.deviceName(target.vrf()))) {
                      // Never connect unbound: the session would run in the default VRF.
                      throw new IllegalStateException("cannot bind to VRF " + target.vrf());
                    }
                    ch.pipeline()
                        .addLast(new BgpFrameDecoder(), new BgpEncoder(), new Inbound(listener));
                  }
                });
    if (transport.linuxSocketOptions()) {
      b.option(SocketOptions.unicastHops(target.peer().getAddress()), target.ttl());
    }
    if (target.vrf() != null && !transport.linuxSocketOptions()) {
      // Bound in initChannel, before the connect: the socket then routes, and picks its source
      // address, in the VRF's table only. A bootstrap option that fails is only logged.
      throw new Unsupported("a VRF needs Linux epoll, which this platform lacks");
    }
    if (target.password() != null) {
      if (!transport.linuxSocketOptions()) {
        throw new Unsupported("TCP MD5 needs Linux epoll, which this platform lacks");
      }
      // RFC 2385: every segment of this connection signed with the peer's key.
      b.option(
          EpollChannelOption.TCP_MD5SIG,
          Map.of(
              target.peer().getAddress(), target.password().getBytes(StandardCharsets.US_ASCII)));
    }
    return target.sourceAddress() == null
        ? b.connect(target.peer())
        : b.connect(target.peer(), new InetSocketAddress(target.sourceAddress(), 0));
  }

  /**
   * Gives up a connect under way: should it still complete, its channel is closed at once, so a
   * router never holds a session that sends no OPEN.
   */
  public static void abandon(ChannelFuture connecting) {
    connecting.addListener(
        (ChannelFutureListener)
            f -> {
              if (f.isSuccess()) {
                f.channel().close();
              }
            });
    connecting.cancel(false);
  }

  /** Sets the codec options both ends agreed on in their OPENs. */
  public static void agreed(Channel channel, BgpCodec.Options options) {
    channel.pipeline().get(BgpFrameDecoder.class).options(options);
    channel.pipeline().get(BgpEncoder.class).options(options);
  }

  /** Netty's side: hands everything to the listener, never acts itself. */
  private static final class Inbound extends SimpleChannelInboundHandler<Object> {
    private final Listener listener;

    Inbound(Listener listener) {
      this.listener = listener;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof BgpMessage m) {
        listener.received(ctx.channel(), m);
      } else if (msg instanceof BgpFrameDecoder.Failure f) {
        listener.malformed(ctx.channel(), f.error());
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      listener.closed(ctx.channel());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
