package io.ironlb.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * One Netty event loop for every BGP session and BFD socket of an actor system (a speaker has a
 * handful of sessions; one thread moves their bytes), shut down with the system. Native epoll where
 * the platform has it — TCP MD5 signatures (RFC 2385) and the IP TTL need it — and Java NIO
 * elsewhere.
 */
public final class NettyTransport implements Extension {
  private final boolean epoll = Epoll.isAvailable();
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(
          1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());

  public static final ExtensionId<NettyTransport> ID =
      new ExtensionId<>() {
        @Override
        public NettyTransport createExtension(ActorSystem<?> system) {
          NettyTransport t = new NettyTransport();
          system.getWhenTerminated().thenRun(t.group::shutdownGracefully);
          return t;
        }
      };

  public static NettyTransport get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  /**
   * Completes when the transport of {@code system}, a terminated actor system, has shut down: its
   * sockets are closed and their ports free. At once when the system never used one.
   */
  public static java.util.concurrent.CompletionStage<Void> closed(ActorSystem<?> system) {
    if (!system.hasExtension(ID)) {
      return java.util.concurrent.CompletableFuture.completedFuture(null);
    }
    java.util.concurrent.CompletableFuture<Void> done =
        new java.util.concurrent.CompletableFuture<>();
    get(system).group.terminationFuture().addListener(f -> done.complete(null));
    return done;
  }

  public EventLoopGroup group() {
    return group;
  }

  /** The TCP channel class that goes with {@link #group()}. */
  public Class<? extends SocketChannel> channelType() {
    return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** Whether sessions can set Linux socket options: TCP MD5 signatures, the IP TTL. */
  public boolean linuxSocketOptions() {
    return epoll;
  }
}
