package io.ironlb.bgp;

import io.ironlb.bgp.bfd.BfdPacket;
import io.ironlb.bgp.bfd.BfdSession;
import io.ironlb.bgp.bfd.BfdTransport;
import io.ironlb.bgp.session.OpenNegotiation;
import io.ironlb.bgp.wire.BgpCodec;
import io.ironlb.bgp.wire.BgpEncoder;
import io.ironlb.bgp.wire.BgpFrameDecoder;
import io.ironlb.bgp.wire.BgpMessage;
import io.ironlb.bgp.wire.BgpProtocolException;
import io.ironlb.bgp.wire.Capability;
import io.ironlb.bgp.wire.IpPrefix;
import io.ironlb.bgp.wire.NotificationCode;
import io.ironlb.bgp.wire.PathAttribute;
import io.ironlb.net.NettyTransport;
import io.ironlb.net.SocketOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.SocketChannel;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One BGP session to one peer: the RFC 4271 §8 state machine over a Netty channel. It connects (and
 * retries with backoff), exchanges OPENs and checks the peer's (AS, hold time, identifier),
 * enforces the hold timer both ways, keeps what it told the peer in an {@link AdjRibOut} and sends
 * only differences, resends everything on ROUTE-REFRESH, accepts and ignores the peer's UPDATEs,
 * and answers a malformed message with its NOTIFICATION. A planned stop withdraws everything and
 * closes with Cease / Administrative Shutdown.
 */
public final class PeerSession extends AbstractBehavior<PeerSession.Command> {

  /**
   * @param holdTime seconds offered in our OPEN (0: no keepalives, RFC 4271 §4.2)
   * @param keepaliveTime seconds between KEEPALIVEs, or null for a third of the negotiated hold
   * @param sourceAddress the local address to connect from, or null
   * @param password the TCP MD5 key (RFC 2385), or null
   * @param ebgpMultiHop the eBGP peer is more than one hop away (its packets leave with TTL 255)
   * @param bfd the BFD timers when the peer names a BFDProfile, else null
   * @param gracefulRestart advertise graceful restart (RFC 4724): a restart of this process leaves
   *     the routes at the peer, stale, until the new session has resent them
   */
  public record Config(
      InetSocketAddress peer,
      InetAddress sourceAddress,
      long localAs,
      long peerAs,
      Inet4Address routerId,
      int holdTime,
      Integer keepaliveTime,
      Duration connectRetry,
      String password,
      boolean ebgpMultiHop,
      BfdSession.Profile bfd,
      boolean gracefulRestart) {

    public Config(
        InetSocketAddress peer,
        InetAddress sourceAddress,
        long localAs,
        long peerAs,
        Inet4Address routerId,
        int holdTime,
        Integer keepaliveTime,
        Duration connectRetry) {
      this(
          peer,
          sourceAddress,
          localAs,
          peerAs,
          routerId,
          holdTime,
          keepaliveTime,
          connectRetry,
          null,
          false,
          null,
          false);
    }

    /** Never shows the key. */
    @Override
    public String toString() {
      return "Config["
          + peer
          + ", AS "
          + localAs
          + " -> "
          + peerAs
          + (password == null ? "" : ", TCP MD5")
          + (ebgpMultiHop ? ", multi-hop" : "")
          + (bfd == null ? "" : ", BFD")
          + (gracefulRestart ? ", graceful restart" : "")
          + "]";
    }

    boolean ibgp() {
      return localAs == peerAs;
    }

    /**
     * The TTL (hop limit) of the session's packets: 1 to a directly connected eBGP peer, so a
     * session can never form through a router by mistake; 255 to an iBGP or multi-hop eBGP one (as
     * FRR does, and as MetalLB's {@code ebgpMultiHop} asks).
     */
    int ttl() {
      return ibgp() || ebgpMultiHop ? 255 : 1;
    }
  }

  /** The FSM's states (RFC 4271 §8.2.2). */
  public enum State {
    IDLE,
    CONNECT,
    ACTIVE,
    OPEN_SENT,
    OPEN_CONFIRM,
    ESTABLISHED
  }

  /** Everything a PeerSession understands. */
  public sealed interface Command {}

  /**
   * What the peer should hold: the complete set of prefixes, replacing the previous one. The
   * session adds ORIGIN, AS_PATH, NEXT_HOP (its own address) and, on iBGP, LOCAL_PREF.
   */
  public record Advertise(Map<IpPrefix, AdvertisementPlanner.Announcement> prefixes)
      implements Command {}

  /** Withdraw everything, close with Cease / Administrative Shutdown, stop; replies when done. */
  public record Stop(ActorRef<Done> replyTo) implements Command {}

  /**
   * This process is about to restart: where graceful restart was negotiated, close without a
   * NOTIFICATION and without withdrawing, so the peer keeps forwarding on the routes, marked stale,
   * until the next session resends them and End-of-RIB (RFC 4724 §4.2); elsewhere as {@link Stop}.
   */
  public record Restart(ActorRef<Done> replyTo) implements Command {}

  /**
   * Graceful shutdown (RFC 8326): re-advertise everything with the GRACEFUL_SHUTDOWN community
   * (65535:0), and LOCAL_PREF 0 on iBGP, so the peer moves traffic elsewhere while this path still
   * works; after {@code drainTime}, withdraw and close as {@link Stop}.
   */
  public record Drain(Duration drainTime, ActorRef<Done> replyTo) implements Command {}

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /**
   * For {@code /v1/bgp/peers} and tests.
   *
   * @param since when the session entered its state (ISO-8601)
   */
  public record Status(
      String peer,
      State state,
      String since,
      int prefixesSent,
      long updatesSent,
      String lastError) {}

  private record Connected(Channel channel) implements Command {}

  private record ConnectFailed(String reason) implements Command {}

  private record Received(Channel channel, BgpMessage message) implements Command {}

  private record Malformed(Channel channel, BgpProtocolException error) implements Command {}

  private record Closed(Channel channel) implements Command {}

  private record RetryConnect() implements Command {}

  private record HoldExpired() implements Command {}

  private record DrainTimeOver(ActorRef<Done> replyTo) implements Command {}

  /** The protecting BFD session went Up or left Up. */
  private record BfdChanged(BfdSession.Changed change) implements Command {}

  private record SendKeepalive() implements Command {}

  /** RFC 4271 §8.2.2: a large hold timer while waiting for the peer's OPEN. */
  private static final Duration OPEN_HOLD = Duration.ofMinutes(4);

  private static final Duration MAX_RETRY = Duration.ofSeconds(30);

  /** The well-known GRACEFUL_SHUTDOWN community, 65535:0 (RFC 8326 §3). */
  static final long GRACEFUL_SHUTDOWN = 0xFFFF0000L;

  /** How long a peer keeps our routes across a restart (MetalLB's FRR default: 120 s). */
  static final Duration RESTART_TIME = Duration.ofSeconds(120);

  /** The codec options our OPEN offers: 4-octet AS (RFC 6793), Extended Messages (RFC 8654). */
  private static final BgpCodec.Options OFFERED = new BgpCodec.Options(true, true);

  private final Config config;
  private final TimerScheduler<Command> timers;
  private final Duration openHold;
  private final BgpMetrics.Peer metrics;
  private Map<IpPrefix, AdvertisementPlanner.Announcement> wanted = Map.of();
  private AdjRibOut rib;
  private Channel channel;

  /** The TCP connect under way, or null. */
  private ChannelFuture connecting;

  private BgpFrameDecoder decoder;
  private BgpEncoder encoder;
  private State state = State.IDLE;
  private Instant since = Instant.now();
  private int failures;
  private long updatesSent;
  private String lastError;
  private Duration hold = Duration.ZERO;
  private boolean peerGracefulRestart;

  /**
   * UPDATEs that wait for Established, already encoded: the first burst goes out without running
   * the encoder on the critical path.
   */
  private final List<byte[]> pending = new ArrayList<>();

  /** The address families both OPENs offered (RFC 4760 §8): only these may be sent. */
  private Set<Integer> families = Set.of();

  private ActorRef<Done> stopping;
  private boolean everEstablished;
  private boolean draining;

  /** A session whose metrics are kept nowhere (tests, tools). */
  public static Behavior<Command> create(Config config) {
    return create(config, BgpMetrics.unregistered(), OPEN_HOLD);
  }

  public static Behavior<Command> create(Config config, BgpMetrics metrics) {
    return create(config, metrics, OPEN_HOLD);
  }

  /** With another OpenSent hold time (tests: the timer must not outlive OpenSent). */
  static Behavior<Command> create(Config config, BgpMetrics metrics, Duration openHold) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  PeerSession s = new PeerSession(ctx, config, timers, metrics, openHold);
                  s.connect();
                  return s;
                }));
  }

  private PeerSession(
      ActorContext<Command> ctx,
      Config config,
      TimerScheduler<Command> timers,
      BgpMetrics metrics,
      Duration openHold) {
    super(ctx);
    this.config = config;
    this.timers = timers;
    this.openHold = openHold;
    this.metrics = metrics.peer(label(config));
    this.metrics.state(false, 0, 0);
    if (config.bfd() != null) {
      ctx.spawn(
          BfdSession.create(
              new BfdSession.Config(
                  config.peer().getAddress(),
                  config.sourceAddress(),
                  config.ebgpMultiHop()
                      ? BfdTransport.get(ctx.getSystem()).multiHopPort()
                      : BfdTransport.get(ctx.getSystem()).port(),
                  config.bfd().timers(),
                  config.ebgpMultiHop(),
                  config.bfd().minimumTtl()),
              ctx.messageAdapter(BfdSession.Changed.class, BfdChanged::new),
              metrics.bfd()),
          "bfd");
    }
  }

  /**
   * RFC 5882 §4.3: the forwarding path to the peer is gone, so the session goes at once instead of
   * after the hold time (Cease / BFD Down, RFC 9384); it reconnects as after any error. A BFD
   * session that is merely not yet Up holds nothing back.
   */
  private Behavior<Command> onBfdChanged(BfdChanged m) {
    if (m.change().state() != BfdPacket.State.UP && channel != null) {
      return fail(
          new BgpMessage.Notification(NotificationCode.CEASE_BFD_DOWN),
          "BFD session down (" + m.change().diag() + ")");
    }
    return this;
  }

  /** The peer as MetalLB labels it: {@code address:port}. */
  private static String label(Config config) {
    return config.peer().getAddress().getHostAddress() + ":" + config.peer().getPort();
  }

  /** MetalLB's gauges: up, what the peer holds, and what it should hold but cannot yet. */
  private void recordState() {
    boolean up = state == State.ESTABLISHED;
    metrics.state(up, up && rib != null ? rib.size() : 0, up ? 0 : wanted.size());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Connected.class, this::onConnected)
        .onMessage(
            ConnectFailed.class,
            m -> {
              connecting = null;
              return retryLater(m.reason());
            })
        .onMessage(RetryConnect.class, m -> connect())
        .onMessage(Received.class, m -> m.channel() == channel ? onReceived(m.message()) : this)
        .onMessage(
            Malformed.class,
            m ->
                m.channel() == channel
                    ? fail(m.error().notification(), m.error().getMessage())
                    : this)
        .onMessage(Closed.class, m -> m.channel() == channel ? onClosed() : this)
        .onMessage(
            HoldExpired.class,
            m ->
                fail(
                    new BgpMessage.Notification(NotificationCode.HOLD_TIMER_EXPIRED),
                    "hold timer expired"))
        .onMessage(SendKeepalive.class, m -> keepalive())
        .onMessage(BfdChanged.class, this::onBfdChanged)
        .onMessage(Advertise.class, this::onAdvertise)
        .onMessage(Stop.class, this::onStop)
        .onMessage(Restart.class, this::onRestart)
        .onMessage(Drain.class, this::onDrain)
        .onMessage(DrainTimeOver.class, m -> onStop(new Stop(m.replyTo())))
        .onMessage(
            GetStatus.class,
            m -> {
              m.replyTo()
                  .tell(
                      new Status(
                          label(config),
                          state,
                          since.toString(),
                          rib == null ? 0 : rib.size(),
                          updatesSent,
                          lastError));
              return this;
            })
        .onSignal(
            PostStop.class,
            s -> {
              if (channel != null) {
                channel.close();
              }
              abandonConnect();
              metrics.remove();
              return this;
            })
        .build();
  }

  private void become(State next) {
    if (next != state) {
      getContext().getLog().info("{}: {} -> {}", config.peer(), state, next);
      state = next;
      since = Instant.now();
      recordState();
    }
  }

  // ------------------------------------------------------------------ connecting

  private Behavior<Command> connect() {
    become(State.CONNECT);
    ActorRef<Command> self = getContext().getSelf();
    NettyTransport transport = NettyTransport.get(getContext().getSystem());
    Bootstrap b =
        new Bootstrap()
            .group(transport.group())
            .channel(transport.channelType())
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectRetry().toMillis() * 3)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new BgpFrameDecoder(), new BgpEncoder(), new Inbound(self));
                  }
                });
    if (transport.linuxSocketOptions()) {
      b.option(SocketOptions.unicastHops(config.peer().getAddress()), config.ttl());
    }
    if (config.password() != null) {
      if (!transport.linuxSocketOptions()) {
        return retryLater("TCP MD5 needs Linux epoll, which this platform lacks");
      }
      // RFC 2385: every segment of this connection signed with the peer's key.
      b.option(
          EpollChannelOption.TCP_MD5SIG,
          Map.of(
              config.peer().getAddress(),
              config.password().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }
    var future =
        config.sourceAddress() == null
            ? b.connect(config.peer())
            : b.connect(config.peer(), new InetSocketAddress(config.sourceAddress(), 0));
    connecting = future;
    future.addListener(
        (ChannelFutureListener)
            f ->
                self.tell(
                    f.isSuccess()
                        ? new Connected(f.channel())
                        : new ConnectFailed(String.valueOf(f.cause()))));
    return this;
  }

  /**
   * A stop while the TCP connect is under way: the connection may still complete after this actor
   * is gone, and nobody would close it (the router would hold a session that never sends OPEN).
   */
  private void abandonConnect() {
    ChannelFuture pending = connecting;
    connecting = null;
    if (pending != null) {
      pending.addListener(
          (ChannelFutureListener)
              f -> {
                if (f.isSuccess()) {
                  f.channel().close();
                }
              });
      pending.cancel(false);
    }
  }

  /** Connect retry with exponential backoff and jitter, capped (RFC 4271 §10 leaves it open). */
  private Behavior<Command> retryLater(String reason) {
    if (stopping != null) {
      return finishStop();
    }
    failures++;
    lastError = lastError == null || !lastError.startsWith("NOTIFICATION") ? reason : lastError;
    become(State.ACTIVE);
    long base = config.connectRetry().toMillis() << Math.min(failures - 1, 5);
    long delay = Math.min(base, MAX_RETRY.toMillis());
    delay += ThreadLocalRandom.current().nextLong(Math.max(1, delay / 4));
    timers.startSingleTimer(new RetryConnect(), Duration.ofMillis(delay));
    return this;
  }

  private Behavior<Command> onConnected(Connected m) {
    connecting = null;
    if (state != State.CONNECT) {
      m.channel().close(); // overtaken (a stop, a retry): never leave a connection behind
      return this;
    }
    channel = m.channel();
    decoder = channel.pipeline().get(BgpFrameDecoder.class);
    encoder = channel.pipeline().get(BgpEncoder.class);
    send(open());
    become(State.OPEN_SENT);
    timers.startSingleTimer(HoldExpired.class, new HoldExpired(), openHold);
    // The first UPDATEs are built while the peer's OPEN is on its way, assuming it accepts what
    // ours offered (most routers do): the router gets its routes the moment it is Established.
    prepare(OFFERED, Set.of(Capability.AFI_IPV4, Capability.AFI_IPV6));
    return this;
  }

  /** A fresh Adj-RIB-Out for these options and families, and the UPDATEs that fill it. */
  private void prepare(BgpCodec.Options options, Set<Integer> families) {
    this.families = families;
    rib = new AdjRibOut(options);
    pending.clear();
    queue(rib.advance(negotiated(wanted)));
  }

  private BgpMessage.Open open() {
    List<Capability> caps = new ArrayList<>();
    caps.add(new Capability.Multiprotocol(Capability.AFI_IPV4, Capability.SAFI_UNICAST));
    caps.add(new Capability.Multiprotocol(Capability.AFI_IPV6, Capability.SAFI_UNICAST));
    caps.add(new Capability.RouteRefresh());
    caps.add(new Capability.FourOctetAs(config.localAs()));
    caps.add(new Capability.ExtendedMessage());
    if (config.gracefulRestart()) {
      // R: this process has (re)started and its peer may hold stale routes from it. F: the
      // node's forwarding (kube-proxy, the backends) never depended on this process.
      caps.add(
          new Capability.GracefulRestart(
              !everEstablished,
              (int) RESTART_TIME.toSeconds(),
              List.of(
                  new Capability.GracefulRestartFamily(
                      Capability.AFI_IPV4, Capability.SAFI_UNICAST, true),
                  new Capability.GracefulRestartFamily(
                      Capability.AFI_IPV6, Capability.SAFI_UNICAST, true))));
    }
    int myAs = config.localAs() > 0xFFFF ? BgpCodec.AS_TRANS : (int) config.localAs();
    return new BgpMessage.Open(BgpCodec.VERSION, myAs, config.holdTime(), config.routerId(), caps);
  }

  // ------------------------------------------------------------------ receiving

  private Behavior<Command> onReceived(BgpMessage m) {
    if (m instanceof BgpMessage.Notification n) {
      lastError = "NOTIFICATION from peer: " + n;
      getContext().getLog().warn("{}: {}", config.peer(), lastError);
      channel.close();
      return this; // Closed follows
    }
    restartHold();
    switch (state) {
      case OPEN_SENT:
        if (m instanceof BgpMessage.Open o) {
          return onOpen(o);
        }
        return fail(
            new BgpMessage.Notification(NotificationCode.FSM_UNEXPECTED_IN_OPENSENT),
            "unexpected " + m.getClass().getSimpleName() + " in OpenSent");
      case OPEN_CONFIRM:
        if (m instanceof BgpMessage.Keepalive) {
          return established();
        }
        return fail(
            new BgpMessage.Notification(NotificationCode.FSM_UNEXPECTED_IN_OPENCONFIRM),
            "unexpected " + m.getClass().getSimpleName() + " in OpenConfirm");
      case ESTABLISHED:
        if (m instanceof BgpMessage.RouteRefresh) {
          sendAll(rib.all()); // RFC 2918 §4: re-advertise the Adj-RIB-Out
        } else if (m instanceof BgpMessage.Open) {
          return fail(
              new BgpMessage.Notification(NotificationCode.FSM_UNEXPECTED_IN_ESTABLISHED),
              "OPEN in Established");
        }
        // UPDATEs: IronLB announces and learns nothing; accepted and ignored.
        return this;
      default:
        return this;
    }
  }

  private Behavior<Command> onOpen(BgpMessage.Open o) {
    OpenNegotiation.Outcome outcome =
        OpenNegotiation.negotiate(
            new OpenNegotiation.Local(
                config.peerAs(),
                config.ibgp(),
                config.routerId(),
                config.holdTime(),
                config.keepaliveTime()),
            o);
    if (outcome instanceof OpenNegotiation.Refused r) {
      return fail(r.notification(), r.reason());
    }
    OpenNegotiation.Agreed agreed = (OpenNegotiation.Agreed) outcome;
    hold = Duration.ofSeconds(agreed.holdSeconds());
    decoder.options(agreed.options());
    encoder.options(agreed.options());
    peerGracefulRestart = agreed.peerGracefulRestart();
    int localFamily =
        ((InetSocketAddress) channel.localAddress()).getAddress() instanceof Inet4Address
            ? Capability.AFI_IPV4
            : Capability.AFI_IPV6;
    // What was prepared in OpenSent holds unless the peer took fewer options, or not the family
    // this connection's next hop is in (only that family's prefixes are ever sent).
    if (!agreed.options().equals(rib.options()) || !agreed.families().contains(localFamily)) {
      prepare(agreed.options(), agreed.families());
    } else {
      families = agreed.families();
    }
    send(new BgpMessage.Keepalive());
    become(State.OPEN_CONFIRM);
    restartHold();
    if (agreed.keepaliveSeconds() > 0) {
      timers.startTimerWithFixedDelay(
          "keepalive", new SendKeepalive(), Duration.ofSeconds(agreed.keepaliveSeconds()));
    }
    return this;
  }

  private Behavior<Command> established() {
    become(State.ESTABLISHED);
    everEstablished = true;
    failures = 0;
    lastError = null;
    for (byte[] update : pending) {
      channel.write(Unpooled.wrappedBuffer(update));
    }
    channel.flush();
    counted(pending.size());
    pending.clear();
    if (peerGracefulRestart) {
      sendAll(endOfRib()); // RFC 4724 §2: the peer may be waiting for it
    }
    if (stopping != null) {
      return onStop(new Stop(stopping));
    }
    return this;
  }

  /** One End-of-RIB per negotiated family (RFC 4724 §2). */
  private List<BgpMessage.Update> endOfRib() {
    List<BgpMessage.Update> out = new ArrayList<>();
    if (families.contains(Capability.AFI_IPV4)) {
      out.add(new BgpMessage.Update(List.of(), List.of(), List.of()));
    }
    if (families.contains(Capability.AFI_IPV6)) {
      out.add(
          new BgpMessage.Update(
              List.of(),
              List.of(
                  new PathAttribute.MpUnreach(
                      Capability.AFI_IPV6, Capability.SAFI_UNICAST, List.of())),
              List.of()));
    }
    return out;
  }

  /**
   * The routes this session sends: the families both ends carry, each with this end's address of
   * that family as next hop (a prefix of a family the connection has no address in is skipped),
   * ORIGIN IGP, our AS in the AS_PATH on eBGP (empty on iBGP, RFC 4271 §5.1.2), LOCAL_PREF on iBGP
   * only (100 unless the advertisement sets one; RFC 4271 §5.1.5 requires it there).
   */
  private Map<IpPrefix, AdjRibOut.Route> negotiated(
      Map<IpPrefix, AdvertisementPlanner.Announcement> prefixes) {
    Map<IpPrefix, AdjRibOut.Route> out = new java.util.HashMap<>();
    InetAddress local = ((InetSocketAddress) channel.localAddress()).getAddress();
    // Thousands of prefixes share a handful of announcements: one Route each, shared.
    Map<AdvertisementPlanner.Announcement, AdjRibOut.Route> routes = new java.util.HashMap<>();
    prefixes.forEach(
        (p, a) -> {
          boolean v4 = p.isIpv4();
          if (!families.contains(v4 ? Capability.AFI_IPV4 : Capability.AFI_IPV6)
              || (local instanceof Inet4Address) != v4) {
            return;
          }
          out.put(p, routes.computeIfAbsent(a, x -> route(x, local)));
        });
    return out;
  }

  private AdjRibOut.Route route(AdvertisementPlanner.Announcement a, InetAddress local) {
    List<PathAttribute> attrs = new ArrayList<>();
    attrs.add(PathAttribute.Origin.IGP);
    attrs.add(
        config.ibgp()
            ? new PathAttribute.AsPath(List.of())
            : PathAttribute.AsPath.sequence(config.localAs()));
    if (config.ibgp()) {
      // RFC 8326 §4.2: an iBGP path being drained also carries the lowest LOCAL_PREF.
      long pref = draining ? 0 : a.localPref() > 0 ? a.localPref() : 100;
      attrs.add(new PathAttribute.LocalPref(pref));
    }
    java.util.TreeSet<Long> communities = new java.util.TreeSet<>(a.communities());
    if (draining) {
      communities.add(GRACEFUL_SHUTDOWN);
    }
    if (!communities.isEmpty()) {
      attrs.add(new PathAttribute.Communities(new ArrayList<>(communities)));
    }
    if (!a.large().isEmpty()) {
      attrs.add(
          new PathAttribute.LargeCommunities(
              a.large().stream()
                  .sorted(
                      java.util.Comparator.comparingLong(
                              PathAttribute.LargeCommunity::globalAdministrator)
                          .thenComparingLong(PathAttribute.LargeCommunity::localData1)
                          .thenComparingLong(PathAttribute.LargeCommunity::localData2))
                  .toList()));
    }
    return new AdjRibOut.Route(attrs, local);
  }

  private void restartHold() {
    if (state == State.OPEN_SENT) {
      return; // the 4-minute OpenSent timer stands
    }
    if (hold.isZero()) {
      timers.cancel(HoldExpired.class);
    } else {
      timers.startSingleTimer(HoldExpired.class, new HoldExpired(), hold);
    }
  }

  // ------------------------------------------------------------------ sending

  private Behavior<Command> onAdvertise(Advertise m) {
    wanted = Map.copyOf(m.prefixes());
    if (state == State.ESTABLISHED) {
      sendAll(rib.advance(negotiated(wanted)));
    } else if (rib != null) { // OpenSent or OpenConfirm: queued behind what was prepared
      queue(rib.advance(negotiated(wanted)));
    }
    recordState();
    return this;
  }

  private Behavior<Command> keepalive() {
    if (channel != null && (state == State.OPEN_CONFIRM || state == State.ESTABLISHED)) {
      send(new BgpMessage.Keepalive());
    }
    return this;
  }

  private void sendAll(List<BgpMessage.Update> updates) {
    for (BgpMessage.Update u : updates) {
      channel.write(u);
    }
    channel.flush();
    counted(updates.size());
  }

  private void counted(int updates) {
    updatesSent += updates;
    metrics.updatesSent(updates);
    recordState();
  }

  /** Encodes UPDATEs for after Established, with the options the Adj-RIB-Out was built for. */
  private void queue(List<BgpMessage.Update> updates) {
    for (BgpMessage.Update u : updates) {
      pending.add(BgpCodec.encode(u, rib.options()));
    }
  }

  private void send(BgpMessage m) {
    channel.writeAndFlush(m);
  }

  // ------------------------------------------------------------------ ending

  /** Sends a NOTIFICATION and closes (RFC 4271 §6: every error ends the session). */
  private Behavior<Command> fail(BgpMessage.Notification n, String why) {
    lastError = why;
    getContext().getLog().warn("{}: {} — sending {}", config.peer(), why, n);
    if (channel != null && channel.isActive()) {
      channel.writeAndFlush(n).addListener(ChannelFutureListener.CLOSE);
    }
    return this; // Closed follows
  }

  private Behavior<Command> onClosed() {
    timers.cancel("keepalive");
    timers.cancel(HoldExpired.class);
    channel = null;
    rib = null;
    pending.clear();
    return retryLater(lastError != null ? lastError : "connection closed by peer");
  }

  private Behavior<Command> onStop(Stop m) {
    stopping = m.replyTo();
    if (state != State.ESTABLISHED || channel == null) {
      return finishStop();
    }
    sendAll(rib.advance(Map.of()));
    channel
        .writeAndFlush(new BgpMessage.Notification(NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN))
        .addListener(ChannelFutureListener.CLOSE);
    return this; // Closed follows, then finishStop
  }

  private Behavior<Command> onRestart(Restart m) {
    if (state == State.ESTABLISHED
        && channel != null
        && config.gracefulRestart()
        && peerGracefulRestart) {
      stopping = m.replyTo();
      getContext().getLog().info("{}: restarting; the peer keeps our routes stale", config.peer());
      channel.close(); // no NOTIFICATION: RFC 4724 §4.2 applies only to a bare TCP close
      return this; // Closed follows, then finishStop
    }
    return onStop(new Stop(m.replyTo()));
  }

  private Behavior<Command> onDrain(Drain m) {
    if (state != State.ESTABLISHED || channel == null) {
      return onStop(new Stop(m.replyTo()));
    }
    if (!draining) {
      draining = true;
      getContext()
          .getLog()
          .info("{}: draining for {} (GRACEFUL_SHUTDOWN, RFC 8326)", config.peer(), m.drainTime());
      sendAll(rib.advance(negotiated(wanted)));
      timers.startSingleTimer("drain", new DrainTimeOver(m.replyTo()), m.drainTime());
    }
    return this;
  }

  private Behavior<Command> finishStop() {
    stopping.tell(Done.getInstance());
    return Behaviors.stopped();
  }

  /** Netty's side: hands everything to the actor, never acts itself. */
  private static final class Inbound extends SimpleChannelInboundHandler<Object> {
    private final ActorRef<Command> session;

    Inbound(ActorRef<Command> session) {
      this.session = session;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof BgpMessage m) {
        session.tell(new Received(ctx.channel(), m));
      } else if (msg instanceof BgpFrameDecoder.Failure f) {
        session.tell(new Malformed(ctx.channel(), f.error()));
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      session.tell(new Closed(ctx.channel()));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
