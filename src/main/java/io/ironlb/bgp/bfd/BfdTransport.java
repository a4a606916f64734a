package io.ironlb.bgp.bfd;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.ironlb.net.NettyTransport;
import io.ironlb.net.SocketOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.unix.RawUnixChannelOption;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BFD's UDP side for one actor system: one socket receiving every single-hop session's Control
 * packets on port 3784 (RFC 5881), which drops in the kernel any packet whose TTL (hop limit) is
 * not 255 — the GTSM check of RFC 5881 §5, done by a classic BPF socket filter since Linux enforces
 * IP_MINTTL for TCP only — and one on 4784 for multi-hop sessions (RFC 5883), whose filter drops
 * packets below the profiles' minimum TTL; each packet goes to its session by Your Discriminator,
 * or by the peer's address while that is still zero (§6.8.6); and one sending socket per session,
 * from a source port in 49152–65535, with TTL 255. A session in a VRF has its sending socket, and a
 * receiving socket per port shared by that VRF's sessions, bound to the VRF's device ({@code
 * SO_BINDTODEVICE}): the default VRF's sockets never see its packets. Uses the BGP sessions' event
 * loop.
 */
public final class BfdTransport implements Extension {
  private static final Logger log = LoggerFactory.getLogger(BfdTransport.class);

  /** RFC 5881 §4: the destination port of single-hop Control packets. */
  public static final int SINGLE_HOP_PORT = 3784;

  /** RFC 5883 §5: the destination port of multi-hop Control packets. */
  public static final int MULTI_HOP_PORT = 4784;

  /** RFC 5881 §5: a single-hop packet that did not arrive with TTL 255 crossed a router. */
  static final int SINGLE_HOP_TTL = 255;

  /** SOL_SOCKET / SO_ATTACH_FILTER, taking a struct sock_fprog (16 bytes on 64-bit Linux). */
  private static final RawUnixChannelOption SO_ATTACH_FILTER =
      new RawUnixChannelOption("SO_ATTACH_FILTER", 1, 26, 16);

  private final NettyTransport transport;
  private final int port;
  private final int multiHopPort;
  private final Map<Long, ActorRef<BfdSession.Command>> byDiscriminator = new ConcurrentHashMap<>();
  private final Map<InetAddress, ActorRef<BfdSession.Command>> byPeer = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private volatile ChannelFuture listener;
  private volatile ChannelFuture multiHopListener;

  /** Receiving sockets bound to a VRF's device, by port and device. */
  private final Map<String, ChannelFuture> deviceListeners = new ConcurrentHashMap<>();

  /** The lowest TTL any multi-hop session accepts: the multi-hop socket's filter. */
  private int multiHopMinimumTtl = 256;

  public static final ExtensionId<BfdTransport> ID =
      new ExtensionId<>() {
        @Override
        public BfdTransport createExtension(ActorSystem<?> system) {
          BfdTransport t =
              new BfdTransport(
                  NettyTransport.get(system),
                  system.settings().config().getInt("ironlb.bfd.single-hop-port"),
                  system.settings().config().getInt("ironlb.bfd.multi-hop-port"));
          system
              .getWhenTerminated()
              .thenRun(
                  () -> {
                    List<ChannelFuture> all = new ArrayList<>(t.deviceListeners.values());
                    all.add(t.listener);
                    all.add(t.multiHopListener);
                    for (ChannelFuture l : all) {
                      if (l != null) {
                        l.channel().close();
                      }
                    }
                  });
          return t;
        }
      };

  public static BfdTransport get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  private BfdTransport(NettyTransport transport, int port, int multiHopPort) {
    this.transport = transport;
    this.port = port;
    this.multiHopPort = multiHopPort;
  }

  /** The port this node receives single-hop Control packets on (3784 unless a test moves it). */
  public int port() {
    return port;
  }

  /** The port this node receives multi-hop Control packets on (4784 unless a test moves it). */
  public int multiHopPort() {
    return multiHopPort;
  }

  /** Packets dropped before reaching a session (malformed, or for no known session). */
  public long dropped() {
    return dropped.get();
  }

  /**
   * Registers a session under a fresh non-zero discriminator, unique on this node (§6.8.1), and
   * under its peer's address; starts the receiving socket if it is not running (for a session in a
   * VRF, the one bound to {@code device}).
   */
  synchronized long register(
      InetAddress peer, ActorRef<BfdSession.Command> session, int minimumTtl, String device) {
    long discriminator;
    do {
      discriminator = ThreadLocalRandom.current().nextLong(1, 0x1_0000_0000L);
    } while (byDiscriminator.putIfAbsent(discriminator, session) != null);
    byPeer.put(peer, session);
    if (device != null) {
      int on = minimumTtl == SINGLE_HOP_TTL ? port : multiHopPort;
      // A VRF's multi-hop socket filters at the minimum TTL of the first profile it serves.
      deviceListeners.computeIfAbsent(on + "%" + device, k -> listen(on, minimumTtl, device));
    } else if (minimumTtl == SINGLE_HOP_TTL) {
      if (listener == null) {
        listener = listen(port, SINGLE_HOP_TTL, null);
      }
    } else if (multiHopListener == null) {
      multiHopMinimumTtl = minimumTtl;
      multiHopListener = listen(multiHopPort, minimumTtl, null);
    } else if (minimumTtl < multiHopMinimumTtl) {
      // A profile that accepts more hops: the socket's filter follows the most permissive one.
      multiHopMinimumTtl = minimumTtl;
      if (transport.linuxSocketOptions()) {
        try (Memory filter = ttlFilter(minimumTtl)) {
          multiHopListener.channel().config().setOption(SO_ATTACH_FILTER, sockFprog(filter));
        }
      }
    }
    return discriminator;
  }

  void unregister(long discriminator, InetAddress peer, ActorRef<BfdSession.Command> session) {
    byDiscriminator.remove(discriminator, session);
    byPeer.remove(peer, session);
  }

  /**
   * A session's sending socket: a random port in 49152–65535 (RFC 5881 §4), TTL 255, bound to
   * {@code device} when the session is in a VRF.
   */
  ChannelFuture sender(InetAddress source, InetAddress peer, String device) {
    Bootstrap b = datagram(packet -> {}, device); // nothing is expected back on a sending socket
    if (transport.linuxSocketOptions()) {
      b.option(SocketOptions.unicastHops(peer), 255);
    }
    InetAddress from = source;
    if (from == null) {
      from = peer instanceof Inet4Address ? anyV4() : anyV6();
    }
    int sourcePort = ThreadLocalRandom.current().nextInt(49152, 65536);
    return b.bind(new InetSocketAddress(from, sourcePort));
  }

  private ChannelFuture listen(int port, int minimumTtl, String device) {
    Bootstrap b =
        datagram(packet -> deliver(packet.sender().getAddress(), packet.content()), device);
    Memory filter = null;
    if (transport.linuxSocketOptions()) {
      filter = ttlFilter(minimumTtl);
      b.option(SO_ATTACH_FILTER, sockFprog(filter));
    } else {
      log.warn("BFD without Linux epoll: received TTL is not checked (RFC 5881/5883 §5)");
    }
    // The dual-stack wildcard: IPv4 peers arrive as mapped addresses, the filter reads either.
    ChannelFuture f = b.bind(new InetSocketAddress(anyV6(), port));
    Memory keep = filter;
    f.addListener(
        done -> {
          if (keep != null) {
            keep.close(); // the kernel copied the program
          }
          if (!done.isSuccess()) {
            log.error("BFD: cannot receive on UDP port {}: {}", port, done.cause().toString());
          }
        });
    return f;
  }

  /**
   * A UDP socket on the BGP event loop whose datagrams go to {@code onPacket}, bound to {@code
   * device} (if not null) before it is bound to an address: a socket that cannot be bound to its
   * VRF fails rather than run in the default one.
   */
  private Bootstrap datagram(java.util.function.Consumer<DatagramPacket> onPacket, String device) {
    if (device != null && !transport.linuxSocketOptions()) {
      throw new IllegalStateException("BFD in VRF " + device + " needs Linux epoll");
    }
    return new Bootstrap()
        .group(transport.group())
        .channel(
            transport.linuxSocketOptions() ? EpollDatagramChannel.class : NioDatagramChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .handler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                if (device != null
                    && !ch.config()
                        .setOption(
                            SocketOptions.bindToDevice(), SocketOptions.deviceName(device))) {
                  throw new IllegalStateException("cannot bind BFD to VRF " + device);
                }
                ch.pipeline()
                    .addLast(
                        new SimpleChannelInboundHandler<DatagramPacket>() {
                          @Override
                          protected void channelRead0(
                              ChannelHandlerContext ctx, DatagramPacket msg) {
                            onPacket.accept(msg);
                          }
                        });
              }
            });
  }

  private void deliver(InetAddress sender, ByteBuf content) {
    byte[] bytes = new byte[content.readableBytes()];
    content.getBytes(content.readerIndex(), bytes);
    BfdPacket p;
    try {
      p = BfdCodec.decode(bytes, bytes.length);
    } catch (BfdCodec.Dropped e) {
      dropped.incrementAndGet();
      log.debug("BFD packet from {} dropped: {}", sender, e.getMessage());
      return;
    }
    // Java reports an IPv4-mapped sender of the dual-stack socket as an Inet4Address.
    InetAddress peer = sender;
    ActorRef<BfdSession.Command> session =
        p.yourDiscriminator() != 0 ? byDiscriminator.get(p.yourDiscriminator()) : byPeer.get(peer);
    if (session == null) {
      dropped.incrementAndGet(); // §6.8.6: no session for it
      return;
    }
    session.tell(new BfdSession.Received(peer, p));
  }

  /**
   * Classic BPF: accept a datagram only if its IP header's TTL (IPv4, byte 8) or hop limit (IPv6,
   * byte 7) is at least {@code minimumTtl} (255: exactly 255); the packet's network header is
   * reached through SKF_NET_OFF (-0x100000).
   */
  private static Memory ttlFilter(int minimumTtl) {
    int net = -0x100000;
    int[][] program = {
      {0x30, 0, 0, net}, // ldb [net + 0]
      {0x54, 0, 0, 0xF0}, // and #0xf0
      {0x15, 0, 2, 0x40}, // jeq #0x40 (IPv4) ? next : +2
      {0x30, 0, 0, net + 8}, // ldb [net + 8]  TTL
      {0x05, 0, 0, 1}, // ja +1
      {0x30, 0, 0, net + 7}, // ldb [net + 7]  hop limit
      {0x35, 0, 1, minimumTtl}, // jge #minimumTtl ? next : +1
      {0x06, 0, 0, 0xFFFF}, // ret #65535: accept
      {0x06, 0, 0, 0}, // ret #0: drop
    };
    Memory m = new Memory(8L * program.length);
    for (int i = 0; i < program.length; i++) {
      m.setShort(8L * i, (short) program[i][0]);
      m.setByte(8L * i + 2, (byte) program[i][1]);
      m.setByte(8L * i + 3, (byte) program[i][2]);
      m.setInt(8L * i + 4, program[i][3]);
    }
    return m;
  }

  /** struct sock_fprog { unsigned short len; struct sock_filter *filter; } on 64-bit Linux. */
  private static ByteBuffer sockFprog(Memory filter) {
    ByteBuffer b = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    b.putShort(0, (short) (filter.size() / 8));
    b.putLong(8, Pointer.nativeValue(filter));
    return b;
  }

  private static InetAddress anyV4() {
    return addr(new byte[4]);
  }

  private static InetAddress anyV6() {
    return addr(new byte[16]);
  }

  private static InetAddress addr(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
