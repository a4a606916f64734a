package io.ironlb.bgp;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * One Netty event loop for every BGP session of an actor system (a speaker has a handful of
 * sessions; one thread moves their bytes), shut down with the system.
 */
public final class BgpTransport implements Extension {
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

  public static final ExtensionId<BgpTransport> ID =
      new ExtensionId<>() {
        @Override
        public BgpTransport createExtension(ActorSystem<?> system) {
          BgpTransport t = new BgpTransport();
          system.getWhenTerminated().thenRun(t.group::shutdownGracefully);
          return t;
        }
      };

  public static BgpTransport get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  EventLoopGroup group() {
    return group;
  }
}
