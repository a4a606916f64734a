package io.ironlb.bgp;

import io.ironlb.bgp.bfd.BfdSession;
import io.ironlb.bgp.bfd.BfdStateMachine;
import io.ironlb.bgp.session.PeerAs;
import io.ironlb.bgp.wire.IpPrefix;
import io.ironlb.config.BGPPeer;
import io.ironlb.config.ClusterResources;
import io.ironlb.config.ServiceKey;
import io.ironlb.serving.Allocated;
import io.ironlb.source.AnnouncementWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * A node's BGP side: one {@link PeerSession} child per BGPPeer that selects this node, each told
 * what to announce ({@link AdvertisementPlanner}). A change to one peer's definition replaces only
 * that session; a change that does not alter a session's definition — a new Service, an
 * advertisement — never resets it, it only changes what the session announces.
 */
public final class BgpSupervisor extends AbstractBehavior<BgpSupervisor.Command> {

  /** Everything a BgpSupervisor understands. */
  public sealed interface Command {}

  /** This node's BGP side, for the status API (registered with the Receptionist). */
  public static final org.apache.pekko.actor.typed.receptionist.ServiceKey<Command> KEY =
      org.apache.pekko.actor.typed.receptionist.ServiceKey.create(Command.class, "ironlb-bgp");

  /** The node's current view: configuration, Services, endpoints and allocations. */
  public record Plan(ClusterResources resources, Map<ServiceKey, Allocated> allocations)
      implements Command {}

  /** The sessions' states, for {@code /v1/bgp/peers}. */
  public record GetPeers(ActorRef<List<PeerSession.Status>> replyTo) implements Command {}

  /**
   * The process is stopping: sessions with graceful restart close quietly so their peers keep the
   * routes (RFC 4724; the process is expected back); the others drain (RFC 8326) and close with
   * Cease. Replies when all are done.
   */
  public record PlannedStop(ActorRef<Done> replyTo) implements Command {}

  /**
   * Takes this node out of BGP for good (maintenance): every session drains (RFC 8326) and closes,
   * graceful restart or not, and none starts again until the process restarts. Replies when done.
   */
  public record Drain(ActorRef<Done> replyTo) implements Command {}

  private record Child(PeerConfig config, ActorRef<PeerSession.Command> session) {}

  /** A session stopped; unless it was told to, it crashed. */
  private record SessionStopped(String name, ActorRef<PeerSession.Command> session)
      implements Command {}

  /** Time to start a crashed session again. */
  private record Respawn(String name) implements Command {}

  /** A crashed session comes back after 1 s, doubling per crash in a row up to this. */
  private static final Duration MAX_RESPAWN = Duration.ofSeconds(30);

  private final Function<PeerConfig, Behavior<PeerSession.Command>> sessions;
  private final TimerScheduler<Command> timers;

  /** What each session was last told to announce, to tell a respawned one. */
  private final Map<String, Map<IpPrefix, AdvertisementPlanner.Announcement>> plans =
      new HashMap<>();

  /** The sessions the newest plan wants, by BGPPeer name. */
  private Map<String, PeerConfig> wantedSessions = Map.of();

  /** Crashes in a row per session, for the backoff. */
  private final Map<String, Integer> crashes = new HashMap<>();

  private final String node;
  private final Inet4Address defaultRouterId;
  private final boolean missingSlicesMeanServed;
  private final BgpMetrics metrics;
  private final AnnouncementWriter writer;
  private final Consumer<Set<String>> advertised;
  private Set<String> advertisedNow = Set.of();
  private final Duration drainTime;
  private boolean drained;
  private Plan last;
  private Map<ServiceKey, List<String>> statuses;
  private final Map<String, Child> children = new HashMap<>();
  private int generation;

  /**
   * @param defaultRouterId the BGP identifier when a BGPPeer names none (MetalLB: the node's IPv4)
   */
  public static Behavior<Command> create(
      String node,
      Inet4Address defaultRouterId,
      boolean missingSlicesMeanServed,
      BgpMetrics metrics,
      AnnouncementWriter writer) {
    return create(node, defaultRouterId, missingSlicesMeanServed, metrics, writer, a -> {});
  }

  /**
   * @param advertised told every address this node advertises, whenever the set changes ({@code
   *     --local-vips} installs them so the kernel accepts the traffic the routers send here). Left
   *     as they are on a stop: a graceful restart keeps the routes at the routers, and the next
   *     start removes what is no longer wanted.
   */
  public static Behavior<Command> create(
      String node,
      Inet4Address defaultRouterId,
      boolean missingSlicesMeanServed,
      BgpMetrics metrics,
      AnnouncementWriter writer,
      Consumer<Set<String>> advertised) {
    return create(
        node,
        defaultRouterId,
        missingSlicesMeanServed,
        metrics,
        writer,
        advertised,
        config -> PeerSession.create(config, metrics));
  }

  /** With the behaviour each session runs (tests put a fake session there). */
  static Behavior<Command> create(
      String node,
      Inet4Address defaultRouterId,
      boolean missingSlicesMeanServed,
      BgpMetrics metrics,
      AnnouncementWriter writer,
      Consumer<Set<String>> advertised,
      Function<PeerConfig, Behavior<PeerSession.Command>> sessions) {
    return Behaviors.setup(
        ctx -> {
          ctx.getSystem()
              .receptionist()
              .tell(
                  org.apache.pekko.actor.typed.receptionist.Receptionist.register(
                      KEY, ctx.getSelf()));
          return Behaviors.withTimers(
              timers ->
                  new BgpSupervisor(
                      ctx,
                      timers,
                      node,
                      defaultRouterId,
                      missingSlicesMeanServed,
                      metrics,
                      writer,
                      advertised,
                      sessions));
        });
  }

  private BgpSupervisor(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      String node,
      Inet4Address defaultRouterId,
      boolean missingSlicesMeanServed,
      BgpMetrics metrics,
      AnnouncementWriter writer,
      Consumer<Set<String>> advertised,
      Function<PeerConfig, Behavior<PeerSession.Command>> sessions) {
    super(ctx);
    this.timers = timers;
    this.sessions = sessions;
    this.advertised = advertised;
    this.metrics = metrics;
    this.writer = writer;
    this.drainTime = ctx.getSystem().settings().config().getDuration("ironlb.bgp.drain-time");
    this.node = node;
    this.defaultRouterId = defaultRouterId;
    this.missingSlicesMeanServed = missingSlicesMeanServed;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Plan.class, this::onPlan)
        .onMessage(GetPeers.class, this::onGetPeers)
        .onMessage(SessionStopped.class, this::onSessionStopped)
        .onMessage(Respawn.class, this::onRespawn)
        .onMessage(PlannedStop.class, m -> stopAll(m.replyTo(), false))
        .onMessage(
            Drain.class,
            m -> {
              drained = true;
              getContext().getLog().info("BGP: draining every session for {}", drainTime);
              return stopAll(m.replyTo(), true);
            })
        .build();
  }

  private Behavior<Command> onPlan(Plan m) {
    if (drained) {
      return this; // drained for maintenance: no session until the process restarts
    }
    // The node feed sends its view on every change of either half; the same view plans the same.
    if (last != null
        && m.resources() == last.resources()
        && m.allocations().equals(last.allocations())) {
      return this;
    }
    last = m;
    Map<ServiceKey, Set<String>> byService = new HashMap<>();
    Map<String, Map<IpPrefix, AdvertisementPlanner.Announcement>> plan =
        AdvertisementPlanner.plan(
            m.resources(), m.allocations(), node, missingSlicesMeanServed, byService);
    Map<ServiceKey, List<String>> now = new HashMap<>();
    byService.forEach((k, peers) -> now.put(k, List.copyOf(peers)));
    if (!now.equals(statuses)) {
      statuses = now;
      writer.announcingBgp(node, now);
    }
    Set<String> addresses = new java.util.TreeSet<>();
    for (ServiceKey k : byService.keySet()) {
      Allocated a = m.allocations().get(k);
      if (a != null) {
        addresses.addAll(a.ips());
      }
    }
    if (!addresses.equals(advertisedNow)) {
      advertisedNow = Set.copyOf(addresses);
      advertised.accept(advertisedNow);
    }
    Map<String, PeerConfig> wanted = new HashMap<>();
    for (BGPPeer p : AdvertisementPlanner.peersOf(m.resources(), node)) {
      sessionConfig(p, m.resources()).ifPresent(c -> wanted.put(p.metadata().name(), c));
    }
    for (String name : new ArrayList<>(children.keySet())) {
      Child c = children.get(name);
      if (!c.config().equals(wanted.get(name))) {
        getContext().getLog().info("BGP peer {}: session removed or redefined", name);
        c.session().tell(new PeerSession.Stop(getContext().getSystem().ignoreRef()));
        children.remove(name);
        crashes.remove(name);
      }
    }
    wantedSessions = Map.copyOf(wanted);
    plans.keySet().retainAll(wanted.keySet());
    wanted.forEach(
        (name, config) -> {
          Map<IpPrefix, AdvertisementPlanner.Announcement> routes =
              plan.getOrDefault(name, Map.of());
          plans.put(name, routes);
          if (timers.isTimerActive(new Respawn(name))) {
            return; // crashed: the respawn tells the new session the newest plan
          }
          Child c = children.computeIfAbsent(name, n -> spawn(n, config));
          c.session().tell(new PeerSession.Advertise(routes));
        });
    return this;
  }

  private Child spawn(String name, PeerConfig config) {
    ActorRef<PeerSession.Command> session =
        getContext()
            .spawn(
                sessions.apply(config),
                "peer-" + name.replaceAll("[^A-Za-z0-9-]", "_") + "-" + generation++);
    getContext().watchWith(session, new SessionStopped(name, session));
    return new Child(config, session);
  }

  /**
   * A session that stops while it is still wanted has crashed (a stop on purpose removes it from
   * the children first): start it again after a backoff, with what it was announcing, rather than
   * leave the peer without a session until its BGPPeer changes.
   */
  private Behavior<Command> onSessionStopped(SessionStopped m) {
    Child c = children.get(m.name());
    if (c == null || !c.session().equals(m.session())) {
      return this; // stopped on purpose
    }
    children.remove(m.name());
    int n = crashes.merge(m.name(), 1, Integer::sum);
    Duration delay = Duration.ofSeconds(1L << Math.min(n - 1, 5));
    delay = delay.compareTo(MAX_RESPAWN) > 0 ? MAX_RESPAWN : delay;
    getContext()
        .getLog()
        .error(
            "BGP peer {}: session crashed ({} in a row); starting it again in {}",
            m.name(),
            n,
            delay);
    timers.startSingleTimer(new Respawn(m.name()), new Respawn(m.name()), delay);
    return this;
  }

  private Behavior<Command> onRespawn(Respawn m) {
    PeerConfig config = wantedSessions.get(m.name());
    if (config == null || drained || children.containsKey(m.name())) {
      return this;
    }
    Child c = spawn(m.name(), config);
    children.put(m.name(), c);
    c.session().tell(new PeerSession.Advertise(plans.getOrDefault(m.name(), Map.of())));
    return this;
  }

  /** The session a BGPPeer defines; empty (and logged) when IronLB cannot run it yet. */
  private java.util.Optional<PeerConfig> sessionConfig(BGPPeer p, ClusterResources r) {
    BGPPeer.Spec s = p.spec();
    boolean unnumbered = s.peerAddress() == null || s.peerAddress().isEmpty();
    java.util.Optional<String> password = r.bgpPassword(p);
    if (password.isEmpty() && s.passwordSecretName().isPresent()) {
      // Without its key the router would drop every segment (RFC 2385): wait for the Secret.
      getContext()
          .getLog()
          .warn(
              "BGP peer {}: passwordSecret {} is not readable (missing, wrong type, or no"
                  + " 'password' key); the session waits for it",
              p.metadata().name(),
              s.passwordSecretName().get());
      return java.util.Optional.empty();
    }
    try {
      Inet4Address routerId =
          s.routerID() != null
              ? (Inet4Address) InetAddress.getByName(s.routerID())
              : defaultRouterId;
      Duration hold = s.holdTime() == null ? Duration.ofSeconds(90) : s.holdTime().value();
      Integer keepalive =
          s.keepaliveTime() == null ? null : (int) s.keepaliveTime().value().toSeconds();
      Duration connect = s.connectTime() == null ? null : s.connectTime().value();
      return java.util.Optional.of(
          new PeerConfig(
              unnumbered
                  ? null
                  : new InetSocketAddress(InetAddress.getByName(s.peerAddress()), s.peerPort()),
              s.sourceAddress() == null ? null : InetAddress.getByName(s.sourceAddress()),
              s.localASN() > 0 ? s.localASN() : s.myASN(),
              PeerAs.of(s.peerASN(), s.dynamicASN()),
              routerId,
              (int) hold.toSeconds(),
              keepalive,
              connect,
              password.orElse(null),
              s.ebgpMultiHop(),
              bfd(p, r),
              s.enableGracefulRestart(),
              s.vrf() == null || s.vrf().isEmpty() ? null : s.vrf(),
              unnumbered ? s.iface() : null,
              s.dualStackAddressFamily()));
    } catch (UnknownHostException | ClassCastException e) {
      getContext().getLog().warn("BGP peer {}: {}", p.metadata().name(), e.toString());
      return java.util.Optional.empty();
    }
  }

  /** The peer's BFDProfile (validation made sure it exists), or null when it names none. */
  private static BfdSession.Profile bfd(BGPPeer p, ClusterResources r) {
    String name = p.spec().bfdProfile();
    if (name == null || name.isEmpty()) {
      return null;
    }
    return r.bfdProfile(name)
        .map(
            profile ->
                new BfdSession.Profile(
                    new BfdStateMachine.Settings(
                        profile.spec().transmitInterval() * 1000L,
                        profile.spec().receiveInterval() * 1000L,
                        profile.spec().detectMultiplier(),
                        profile.spec().passiveMode()),
                    profile.spec().minimumTtl()))
        .orElse(null);
  }

  private Behavior<Command> onGetPeers(GetPeers m) {
    List<CompletionStage<PeerSession.Status>> all = new ArrayList<>();
    for (Child c : children.values()) {
      all.add(
          AskPattern.ask(
              c.session(),
              PeerSession.GetStatus::new,
              Duration.ofSeconds(3),
              getContext().getSystem().scheduler()));
    }
    CompletableFuture.allOf(
            all.stream()
                .map(CompletionStage::toCompletableFuture)
                .toArray(CompletableFuture[]::new))
        .handle(
            (ok, e) ->
                all.stream()
                    .map(CompletionStage::toCompletableFuture)
                    .filter(f -> !f.isCompletedExceptionally())
                    .map(CompletableFuture::join)
                    .sorted(java.util.Comparator.comparing(PeerSession.Status::peer))
                    .toList())
        .thenAccept(m.replyTo()::tell);
    return this;
  }

  private Behavior<Command> stopAll(ActorRef<Done> replyTo, boolean drain) {
    List<CompletableFuture<Done>> all = new ArrayList<>();
    for (Child c : children.values()) {
      boolean restart = !drain && c.config().gracefulRestart();
      all.add(
          AskPattern.<PeerSession.Command, Done>ask(
                  c.session(),
                  r -> restart ? new PeerSession.Restart(r) : new PeerSession.Drain(drainTime, r),
                  drainTime.plusSeconds(5),
                  getContext().getSystem().scheduler())
              .toCompletableFuture());
    }
    children.clear();
    timers.cancelAll(); // no crashed session comes back during a stop
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .handle((ok, e) -> Done.getInstance())
        .thenAccept(replyTo::tell);
    return this;
  }
}
