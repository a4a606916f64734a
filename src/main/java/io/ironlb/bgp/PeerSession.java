package io.ironlb.bgp;

import io.ironlb.bgp.bfd.BfdPacket;
import io.ironlb.bgp.bfd.BfdSession;
import io.ironlb.bgp.bfd.BfdTransport;
import io.ironlb.bgp.session.Connector;
import io.ironlb.bgp.session.OpenNegotiation;
import io.ironlb.bgp.wire.BgpCodec;
import io.ironlb.bgp.wire.BgpMessage;
import io.ironlb.bgp.wire.BgpProtocolException;
import io.ironlb.bgp.wire.IpPrefix;
import io.ironlb.bgp.wire.NotificationCode;
import io.ironlb.l2.link.LinkIo;
import io.ironlb.l2.link.PcapLinkIo;
import io.ironlb.net.NettyTransport;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
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
 *
 * <p>Why this class is longer than 500 lines: what needs no actor lives elsewhere — the OPEN
 * negotiation and our OPEN ({@link OpenNegotiation}), the TCP connection and its socket options
 * ({@link Connector}), the routes ({@link OutboundRoutes}), the wire ({@code bgp.wire}) — and what
 * is left is the state machine itself. Its six states share one channel, the hold and keepalive
 * timers, the Adj-RIB-Out and the stop, restart and drain requests that may arrive in any of them;
 * one behaviour per state would pass all of that from state to state and spread each request's
 * handling over six places, for a machine whose transitions fit on one screen ({@link
 * #onReceived}).
 */
public final class PeerSession extends AbstractBehavior<PeerSession.Command> {

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

  /** Connected, with this end's next hops on the connection. */
  private record Connected(Channel channel, NextHops nextHops) implements Command {}

  /** An unnumbered peer's router, from its Router Advertisements. */
  private record RouterFound(RouterDiscovery.Found found) implements Command {}

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

  /** The codec options our OPEN offers: 4-octet AS (RFC 6793), Extended Messages (RFC 8654). */
  private static final BgpCodec.Options OFFERED = new BgpCodec.Options(true, true);

  private final PeerConfig config;
  private final OutboundRoutes routes;
  private final OpenNegotiation.Local local;
  private final BgpMetrics metricsRoot;

  /** Where the peer is: configured, or (unnumbered) learned from its Router Advertisements. */
  private InetSocketAddress remote;

  /** This end's next hops on the current connection. */
  private NextHops nextHops;

  private final TimerScheduler<Command> timers;
  private final Duration openHold;
  private final BgpMetrics.Peer metrics;
  private Map<IpPrefix, AdvertisementPlanner.Announcement> wanted = Map.of();
  private AdjRibOut rib;
  private Channel channel;

  /** The TCP connect under way, or null. */
  private ChannelFuture connecting;

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

  /** A NOTIFICATION was sent or received on the current connection; its close is under way. */
  private boolean ending;

  private boolean everEstablished;
  private boolean draining;
  private int bfdGeneration;

  /** A session whose metrics are kept nowhere (tests, tools). */
  public static Behavior<Command> create(PeerConfig config) {
    return create(config, BgpMetrics.unregistered(), OPEN_HOLD, PcapLinkIo::new);
  }

  public static Behavior<Command> create(PeerConfig config, BgpMetrics metrics) {
    return create(config, metrics, OPEN_HOLD, PcapLinkIo::new);
  }

  /**
   * With another OpenSent hold time (tests: the timer must not outlive OpenSent) and another way to
   * open an unnumbered peer's interface (tests: a fake link).
   */
  static Behavior<Command> create(
      PeerConfig config, BgpMetrics metrics, Duration openHold, Function<String, LinkIo> links) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  PeerSession s = new PeerSession(ctx, config, timers, metrics, openHold, links);
                  s.connect();
                  return s;
                }));
  }

  private PeerSession(
      ActorContext<Command> ctx,
      PeerConfig config,
      TimerScheduler<Command> timers,
      BgpMetrics metrics,
      Duration openHold,
      Function<String, LinkIo> links) {
    super(ctx);
    this.config = config;
    this.routes = new OutboundRoutes(config.localAs(), config.ibgp());
    this.timers = timers;
    this.openHold = openHold;
    this.metrics = metrics.peer(config.label());
    this.metrics.state(false, 0, 0);
    this.metricsRoot = metrics;
    this.local =
        new OpenNegotiation.Local(
            config.peerAs(),
            config.localAs(),
            config.routerId(),
            config.holdTime(),
            config.keepaliveTime(),
            config.families(),
            config.extendedNextHop());
    this.remote = config.peer();
    if (config.iface() != null) {
      ctx.spawn(
          RouterDiscovery.create(
              config.iface(),
              links,
              ctx.messageAdapter(RouterDiscovery.Found.class, RouterFound::new)),
          "router-discovery");
    } else {
      startBfd(remote.getAddress());
    }
  }

  /** The BFD session that protects this one, when the peer names a BFDProfile. */
  private void startBfd(InetAddress peer) {
    if (config.bfd() == null) {
      return;
    }
    getContext()
        .getChildren()
        .forEach(
            c -> {
              if (c.path().name().startsWith("bfd-")) {
                getContext().stop(c);
              }
            });
    getContext()
        .spawn(
            BfdSession.create(
                new BfdSession.Config(
                    peer,
                    config.sourceAddress(),
                    config.ebgpMultiHop()
                        ? BfdTransport.get(getContext().getSystem()).multiHopPort()
                        : BfdTransport.get(getContext().getSystem()).port(),
                    config.bfd().timers(),
                    config.ebgpMultiHop(),
                    config.bfd().minimumTtl(),
                    config.vrf()),
                getContext().messageAdapter(BfdSession.Changed.class, BfdChanged::new),
                metricsRoot.bfd()),
            "bfd-" + bfdGeneration++);
  }

  /**
   * An unnumbered peer's router announced itself (or moved to another link-local address): the next
   * connection goes there; a session with the old address stays until it fails.
   */
  private Behavior<Command> onRouterFound(RouterFound m) {
    InetSocketAddress found = new InetSocketAddress(m.found().router(), PeerConfig.BGP_PORT);
    if (found.equals(remote)) {
      return this;
    }
    getContext().getLog().info("{}: the router is {}", config.label(), m.found().router());
    remote = found;
    startBfd(m.found().router());
    if (state == State.ACTIVE && channel == null && connecting == null) {
      timers.cancel(RetryConnect.class);
      return connect();
    }
    return this;
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
        .onMessage(Received.class, m -> live(m.channel()) ? onReceived(m.message()) : this)
        .onMessage(
            Malformed.class,
            m -> live(m.channel()) ? fail(m.error().notification(), m.error().getMessage()) : this)
        .onMessage(Closed.class, m -> m.channel() == channel ? onClosed() : this)
        .onMessage(
            HoldExpired.class,
            m ->
                fail(
                    new BgpMessage.Notification(NotificationCode.HOLD_TIMER_EXPIRED),
                    "hold timer expired"))
        .onMessage(SendKeepalive.class, m -> keepalive())
        .onMessage(BfdChanged.class, this::onBfdChanged)
        .onMessage(RouterFound.class, this::onRouterFound)
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
                          config.label(),
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
      getContext().getLog().info("{}: {} -> {}", config.label(), state, next);
      state = next;
      since = Instant.now();
      recordState();
    }
  }

  // ------------------------------------------------------------------ connecting

  private Behavior<Command> connect() {
    if (remote == null) {
      // Unnumbered: nothing to connect to until the router's Router Advertisement names it.
      lastError = "waiting for a Router Advertisement on " + config.iface();
      become(State.ACTIVE);
      return this;
    }
    become(State.CONNECT);
    ActorRef<Command> self = getContext().getSelf();
    ChannelFuture future;
    try {
      future =
          Connector.connect(
              NettyTransport.get(getContext().getSystem()),
              new Connector.Target(
                  remote,
                  config.sourceAddress(),
                  config.ttl(),
                  config.password(),
                  config.connectTimeout(),
                  config.vrf()),
              new Connector.Listener() {
                @Override
                public void received(Channel channel, BgpMessage message) {
                  self.tell(new Received(channel, message));
                }

                @Override
                public void malformed(Channel channel, BgpProtocolException error) {
                  self.tell(new Malformed(channel, error));
                }

                @Override
                public void closed(Channel channel) {
                  self.tell(new Closed(channel));
                }
              });
    } catch (Connector.Unsupported e) {
      return retryLater(e.getMessage());
    }
    connecting = future;
    future.addListener(
        (ChannelFutureListener)
            f ->
                self.tell(
                    f.isSuccess()
                        ? new Connected(f.channel(), nextHops(f.channel()))
                        : new ConnectFailed(String.valueOf(f.cause()))));
    return this;
  }

  /**
   * This end's next hops on a new connection, from its local address and the addresses of the
   * interface that address is on. Runs on the connection's event loop, not in the actor: it asks
   * the kernel for the interface's addresses.
   */
  private static NextHops nextHops(Channel channel) {
    InetAddress local = ((InetSocketAddress) channel.localAddress()).getAddress();
    List<InetAddress> addresses = new ArrayList<>();
    try {
      NetworkInterface nif =
          local instanceof Inet6Address six && six.getScopedInterface() != null
              ? six.getScopedInterface()
              : NetworkInterface.getByInetAddress(local);
      if (nif != null) {
        addresses.addAll(java.util.Collections.list(nif.getInetAddresses()));
      }
    } catch (SocketException e) {
      // Then only the connection's own family has a next hop.
    }
    return NextHops.of(local, addresses);
  }

  private void abandonConnect() {
    if (connecting != null) {
      Connector.abandon(connecting);
      connecting = null;
    }
  }

  /** The next connect attempt, after {@link PeerConfig#retryDelay}. */
  private Behavior<Command> retryLater(String reason) {
    if (stopping != null) {
      return finishStop();
    }
    failures++;
    lastError = lastError == null || !lastError.startsWith("NOTIFICATION") ? reason : lastError;
    become(State.ACTIVE);
    timers.startSingleTimer(
        new RetryConnect(), config.retryDelay(failures, ThreadLocalRandom.current().nextDouble()));
    return this;
  }

  private Behavior<Command> onConnected(Connected m) {
    connecting = null;
    if (state != State.CONNECT) {
      m.channel().close(); // overtaken (a stop, a retry): never leave a connection behind
      return this;
    }
    channel = m.channel();
    nextHops = m.nextHops();
    send(OpenNegotiation.offer(local, config.gracefulRestart(), !everEstablished));
    become(State.OPEN_SENT);
    timers.startSingleTimer(HoldExpired.class, new HoldExpired(), openHold);
    // The first UPDATEs are built while the peer's OPEN is on its way, assuming it accepts what
    // ours offered (most routers do): the router gets its routes the moment it is Established.
    nextHops = nextHops.withIpv6ForIpv4(local.extendedNextHop());
    prepare(OFFERED, local.families());
    return this;
  }

  /** A fresh Adj-RIB-Out for these options and families, and the UPDATEs that fill it. */
  private void prepare(BgpCodec.Options options, Set<Integer> families) {
    this.families = families;
    rib = new AdjRibOut(options);
    pending.clear();
    queue(rib.advance(routes.routes(wanted, families, nextHops, draining)));
  }

  // ------------------------------------------------------------------ receiving

  private Behavior<Command> onReceived(BgpMessage m) {
    if (m instanceof BgpMessage.Notification n) {
      lastError = "NOTIFICATION from peer: " + n;
      getContext().getLog().warn("{}: {}", config.label(), lastError);
      ending = true;
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
    OpenNegotiation.Outcome outcome = OpenNegotiation.negotiate(local, o);
    if (outcome instanceof OpenNegotiation.Refused r) {
      return fail(r.notification(), r.reason());
    }
    OpenNegotiation.Agreed agreed = (OpenNegotiation.Agreed) outcome;
    hold = Duration.ofSeconds(agreed.holdSeconds());
    Connector.agreed(channel, agreed.options());
    peerGracefulRestart = agreed.peerGracefulRestart();
    // What was prepared in OpenSent holds unless the peer took less than ours offered: fewer
    // options, fewer families, or no IPv6 next hop for IPv4 routes.
    if (!agreed.options().equals(rib.options())
        || !agreed.families().equals(families)
        || agreed.ipv6ForIpv4() != nextHops.ipv6ForIpv4()) {
      nextHops = nextHops.withIpv6ForIpv4(agreed.ipv6ForIpv4());
      prepare(agreed.options(), agreed.families());
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
      sendAll(OutboundRoutes.endOfRib(families)); // RFC 4724 §2: the peer may be waiting for it
    }
    if (stopping != null) {
      return onStop(new Stop(stopping));
    }
    return this;
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
      sendAll(rib.advance(routes.routes(wanted, families, nextHops, draining)));
    } else if (rib != null) { // OpenSent or OpenConfirm: queued behind what was prepared
      queue(rib.advance(routes.routes(wanted, families, nextHops, draining)));
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
    if (ending) {
      return this; // the first reason stands
    }
    lastError = why;
    getContext().getLog().warn("{}: {} — sending {}", config.label(), why, n);
    if (channel != null && channel.isActive()) {
      ending = true;
      timers.cancel("keepalive");
      timers.cancel(HoldExpired.class);
      channel.writeAndFlush(n).addListener(ChannelFutureListener.CLOSE);
    }
    return this; // Closed follows
  }

  /**
   * Whether a message of {@code from} still counts: it comes over the current connection, and no
   * NOTIFICATION has ended that connection yet. After one, the FSM is Idle (RFC 4271 §8.2.2) and
   * whatever the peer had already sent (a KEEPALIVE right behind a refused OPEN) is ignored, so the
   * reason given stays the real one.
   */
  private boolean live(Channel from) {
    return from == channel && !ending;
  }

  private Behavior<Command> onClosed() {
    timers.cancel("keepalive");
    timers.cancel(HoldExpired.class);
    channel = null;
    ending = false;
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
      getContext().getLog().info("{}: restarting; the peer keeps our routes stale", config.label());
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
          .info("{}: draining for {} (GRACEFUL_SHUTDOWN, RFC 8326)", config.label(), m.drainTime());
      sendAll(rib.advance(routes.routes(wanted, families, nextHops, draining)));
      timers.startSingleTimer("drain", new DrainTimeOver(m.replyTo()), m.drainTime());
    }
    return this;
  }

  private Behavior<Command> finishStop() {
    stopping.tell(Done.getInstance());
    return Behaviors.stopped();
  }
}
