package io.ironlb.l2;

import io.ironlb.config.ClusterResources;
import io.ironlb.config.ServiceKey;
import io.ironlb.metrics.NodeMetrics;
import io.ironlb.serving.Allocated;
import io.ironlb.source.AnnouncementWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * This node's layer 2: from the view the node feeds it ({@link Serve}), sends this node's
 * eligibility for every address to the VIP entities; runs the node's {@link Announcer} (and its
 * membership view); records what it announces (ServiceL2Status, events, MetalLB's gauges); and
 * withdraws everything on a planned stop once the cluster has seen the node leave.
 */
public final class Speaker extends AbstractBehavior<Speaker.Command> {

  /** Everything a Speaker understands. */
  public sealed interface Command {}

  /**
   * Every speaker registers under this key, so that a VIP entity that starts (first start, or its
   * shard moved with a dead node) can ask each one for its report instead of waiting for reports
   * that were sent to its previous home and lost.
   */
  public static final org.apache.pekko.actor.typed.receptionist.ServiceKey<Command> KEY =
      org.apache.pekko.actor.typed.receptionist.ServiceKey.create(Command.class, "ironlb-speaker");

  /** A VIP entity that started asks for this node's reports on the addresses of its group. */
  public record ReportWanted(String group, ActorRef<VipEntity.Command> replyTo)
      implements Command, io.ironlb.cluster.CborSerializable {}

  /** Withdraw every address before the process leaves (CoordinatedShutdown); replies when done. */
  public record PlannedStop(ActorRef<org.apache.pekko.Done> replyTo) implements Command {}

  /**
   * What this node should serve now: the configuration and Services, and every Service's addresses
   * (allocated, or read back from the Services' status). Replaces the previous view.
   */
  public record Serve(ClusterResources resources, Map<ServiceKey, Allocated> allocated)
      implements Command {}

  /** Who announces each address in this node's view, for {@code /v1/services}. */
  public record GetOwners(ActorRef<Owners> replyTo) implements Command {}

  /**
   * @param owners address → the node that announces it
   * @param interfaces address → the interfaces this node answers on, for the addresses it owns
   */
  public record Owners(Map<String, String> owners, Map<String, List<String>> interfaces) {}

  /** This node's layer-2 state, for {@code /v1/l2}. */
  public record GetLayer2(ActorRef<Layer2Status> replyTo) implements Command {}

  /**
   * @param fenced this node cannot reach a majority and announces nothing
   * @param announcing the addresses this node answers for, sorted
   * @param moving the addresses in a planned move in this node's view (the old owner answers until
   *     the new one has announced), sorted: a rebalance is over when every node's list is empty
   */
  public record Layer2Status(
      String node,
      boolean fenced,
      List<String> announcing,
      List<String> interfaces,
      List<String> moving) {}

  /**
   * The Announcer's state, asked for a question about it ({@link GetOwners}, {@link GetLayer2}):
   * {@code answer} replies, inside this actor.
   */
  private record AnnouncerStateArrived(
      Announcer.State state, java.util.function.Consumer<Announcer.State> answer)
      implements Command {}

  private record AnnouncerChanged(Announcer.Change change) implements Command {}

  /** Time to tell the writer and the metrics what this node announces (debounced). */
  private record RecordAnnouncements() implements Command {}

  /**
   * Announcement records (ServiceL2Status objects, events, gauges) lag the announcements by at most
   * this: a mass failover of thousands of addresses becomes a few passes, not thousands.
   */
  private static final Duration RECORD_DELAY = Duration.ofMillis(200);

  private record Refresh() implements Command {}

  /** Membership changed: a VIP entity may have restarted elsewhere and forgotten every report. */
  private record MembersChanged(ClusterEvent.MemberEvent event) implements Command {}

  /** A planned stop waited long enough for the others to see this node leave. */
  private record HandoverTimedOut() implements Command {}

  private static final Duration REFRESH = Duration.ofSeconds(15);
  private static final Duration RESEND_AFTER_HANDOFF = Duration.ofSeconds(2);

  /**
   * How long a planned stop waits for the cluster to move this node to Exiting before it withdraws
   * anyway (a leader that cannot reach convergence, say).
   */
  public static final Duration HANDOVER_LIMIT = Duration.ofSeconds(5);

  private final String node;
  private final boolean standalone;
  private final List<String> interfaces;
  private final BiConsumer<String, VipEntity.Command> entities;
  private final ActorRef<Announcer.Command> announcer;
  private final TimerScheduler<Command> timers;

  private ClusterResources resources;
  private Map<ServiceKey, Allocated> allocated;
  private final Set<String> announcing = new java.util.HashSet<>();
  private boolean fenced;
  private final Map<String, VipState.Report> sent = new HashMap<>();
  private final List<ActorRef<org.apache.pekko.Done>> stopping = new ArrayList<>();
  private final AnnouncementWriter writer;
  private Map<ServiceKey, List<String>> owned;
  private final SpeakerMetrics metrics;

  /**
   * @param standalone nodes are members of the Pekko cluster, not Kubernetes Nodes
   * @param interfaces the interfaces this node's responders serve, for the status API
   * @param link this node's link responders
   * @param entities sends a message to the VIP entity of a group of addresses ({@link
   *     VipEntity#groupOf}; Cluster Sharding's entityRefFor)
   * @param writer where this node's announcements are recorded (ServiceL2Status, events)
   */
  public static Behavior<Command> create(
      String node,
      boolean standalone,
      List<String> interfaces,
      ActorRef<LinkCommand> link,
      BiConsumer<String, VipEntity.Command> entities,
      AnnouncementWriter writer) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  ActorRef<Announcer.Change> observer =
                      ctx.messageAdapter(Announcer.Change.class, AnnouncerChanged::new);
                  ActorRef<Announcer.Command> announcer =
                      ctx.spawn(
                          Announcer.create(
                              node,
                              link,
                              observer,
                              plannedMoveInterval(ctx.getSystem().settings().config())),
                          "announcer");
                  ctx.spawn(MembershipView.adapter(announcer), "membership");
                  ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
                  Cluster.get(ctx.getSystem())
                      .subscriptions()
                      .tell(
                          Subscribe.create(
                              ctx.messageAdapter(
                                  ClusterEvent.MemberEvent.class, MembersChanged::new),
                              ClusterEvent.MemberEvent.class));
                  timers.startTimerWithFixedDelay(new Refresh(), REFRESH);
                  return new Speaker(
                      ctx, timers, node, standalone, interfaces, entities, announcer, writer);
                }));
  }

  /** The setting for how many planned moves per second a node takes over. */
  public static final String PLANNED_MOVES_SETTING = "ironlb.layer2.planned-moves-per-second";

  /** One planned move per this interval, from {@link #PLANNED_MOVES_SETTING}. */
  public static Duration plannedMoveInterval(com.typesafe.config.Config config) {
    if (!config.hasPath(PLANNED_MOVES_SETTING)) {
      return Announcer.PLANNED_MOVE_INTERVAL;
    }
    double perSecond = config.getDouble(PLANNED_MOVES_SETTING);
    if (!(perSecond > 0) || perSecond > 1_000_000) {
      throw new IllegalArgumentException(
          PLANNED_MOVES_SETTING + ": " + perSecond + " is not a rate; use a number above 0");
    }
    return Duration.ofNanos(Math.round(1e9 / perSecond));
  }

  private Speaker(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      String node,
      boolean standalone,
      List<String> interfaces,
      BiConsumer<String, VipEntity.Command> entities,
      ActorRef<Announcer.Command> announcer,
      AnnouncementWriter writer) {
    super(ctx);
    this.writer = writer;
    this.metrics = new SpeakerMetrics(NodeMetrics.get(ctx.getSystem()).registry(), node);
    this.timers = timers;
    this.node = node;
    this.standalone = standalone;
    this.interfaces = List.copyOf(interfaces);
    this.entities = entities;
    this.announcer = announcer;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(
            Serve.class,
            m -> {
              resources = m.resources();
              allocated = Map.copyOf(m.allocated());
              report(false);
              recordAnnouncements();
              return this;
            })
        .onMessage(
            AnnouncerChanged.class,
            m -> {
              onAnnouncerChanged(m.change());
              return this;
            })
        .onMessage(
            RecordAnnouncements.class,
            m -> {
              recordAnnouncements();
              return this;
            })
        .onMessage(
            AnnouncerStateArrived.class,
            m -> {
              m.answer().accept(m.state());
              return this;
            })
        .onMessage(Refresh.class, m -> onRefresh())
        .onMessage(MembersChanged.class, this::onMembersChanged)
        .onMessage(
            HandoverTimedOut.class,
            m -> {
              getContext()
                  .getLog()
                  .warn(
                      "not moved to Exiting within {}: withdrawing without confirmed handover",
                      HANDOVER_LIMIT);
              return withdraw();
            })
        .onMessage(GetOwners.class, m -> askAnnouncer(state -> m.replyTo().tell(owners(state))))
        .onMessage(
            GetLayer2.class,
            m ->
                askAnnouncer(
                    state ->
                        m.replyTo()
                            .tell(
                                new Layer2Status(
                                    node,
                                    fenced,
                                    List.copyOf(new TreeSet<>(announcing)),
                                    interfaces,
                                    List.copyOf(new TreeSet<>(state.moving()))))))
        .onMessage(PlannedStop.class, this::onPlannedStop)
        .onMessage(ReportWanted.class, this::onReportWanted)
        .build();
  }

  /**
   * A planned stop withdraws only once the leader has moved this node to Exiting: that needs
   * convergence, i.e. every other node has seen it Leaving, and their Announcers skip a leaving
   * owner. Withdrawing as soon as this node itself is Leaving (when Pekko's cluster-exiting phase
   * starts) leaves a gap of up to a gossip round in which nobody answers — measured in the SIGTERM
   * namespace test.
   */
  private Behavior<Command> onPlannedStop(PlannedStop m) {
    stopping.add(m.replyTo());
    MemberStatus status = Cluster.get(getContext().getSystem()).selfMember().status();
    if (handedOver(status)) {
      return withdraw();
    }
    timers.startSingleTimer("handover", new HandoverTimedOut(), HANDOVER_LIMIT);
    return this;
  }

  private static boolean handedOver(MemberStatus s) {
    return s == MemberStatus.exiting() || s == MemberStatus.removed() || s == MemberStatus.down();
  }

  private Behavior<Command> onMembersChanged(MembersChanged m) {
    report(true);
    // A member's removal moves its shards: reports sent to a VIP entity on the way out are lost
    // with it, and its new incarnation must hear from every node before it ranks. Send them all
    // again once the hand-off is done (the chaos harness saw a new entity rank without one node's
    // report, and two nodes answer one address until the 15 s refresh).
    timers.startSingleTimer("resend", new Refresh(), RESEND_AFTER_HANDOFF);
    if (!stopping.isEmpty()
        && m.event()
            .member()
            .uniqueAddress()
            .equals(Cluster.get(getContext().getSystem()).selfMember().uniqueAddress())
        && handedOver(m.event().member().status())) {
      return withdraw();
    }
    return this;
  }

  /**
   * Answers straight to the entity (not through the shard region, whose routing may still point at
   * the dead home). Before this node has its snapshot and allocations it has nothing to say;
   * afterwards, an address it has no report for is one it is not eligible for.
   */
  private Behavior<Command> onReportWanted(ReportWanted m) {
    if (resources == null) {
      return this;
    }
    Map<String, VipState.Report> mine = new HashMap<>();
    sent.forEach(
        (vip, r) -> {
          if (VipEntity.groupOf(vip).equals(m.group())) {
            mine.put(vip, r);
          }
        });
    // Answered even when empty: the entity waits for every speaker's word before it decides.
    m.replyTo().tell(new VipEntity.Eligibility(node, mine, announcer));
    return this;
  }

  /** Sends reports to the VIP entities, one message per group. */
  private void send(Map<String, VipState.Report> reports) {
    Map<String, Map<String, VipState.Report>> byGroup = new HashMap<>();
    reports.forEach(
        (vip, r) ->
            byGroup.computeIfAbsent(VipEntity.groupOf(vip), g -> new HashMap<>()).put(vip, r));
    byGroup.forEach(
        (group, batch) ->
            entities.accept(group, new VipEntity.Eligibility(node, batch, announcer)));
  }

  private Behavior<Command> withdraw() {
    timers.cancel("handover");
    stopping.forEach(r -> announcer.tell(new Announcer.PlannedStop(r)));
    stopping.clear();
    return this;
  }

  /**
   * Tells the {@link AnnouncementWriter} which Services this node announces (any of their
   * addresses), and emits {@code nodeAssigned} for each it did not announce before: on a change
   * only, never on a resync.
   */
  private void recordAnnouncements() {
    if (resources == null) {
      return;
    }
    Map<ServiceKey, List<String>> now = new java.util.TreeMap<>();
    allocated.forEach(
        (k, a) -> {
          if (a.ips().stream().anyMatch(announcing::contains)) {
            now.put(k, interfacesFor(a.ips().get(0)));
          }
        });
    if (now.equals(owned)) {
      return;
    }
    for (ServiceKey k : now.keySet()) {
      if (owned == null || !owned.containsKey(k)) {
        writer.nodeAssigned(k, node);
      }
    }
    owned = now;
    writer.announcing(node, now);
    metrics.announced(now, allocated);
  }

  /** The interfaces this node answers for an address on: its report's, else all of its own. */
  private List<String> interfacesFor(String vip) {
    VipState.Report mine = sent.get(vip);
    return mine == null || mine.interfaces().isEmpty()
        ? interfaces
        : new ArrayList<>(new TreeSet<>(mine.interfaces()));
  }

  private Behavior<Command> onRefresh() {
    report(true);
    return this;
  }

  /**
   * Sends this node's report for every address whose report changed (all of them when {@code
   * resend}: a VIP entity that moved or restarted has forgotten them), and an ineligible report for
   * addresses that are gone, so that nobody keeps announcing them.
   */
  private void report(boolean resend) {
    if (resources == null) {
      return;
    }
    Map<String, VipState.Report> now = new java.util.TreeMap<>();
    L2Reports.compute(resources, allocated, node, standalone)
        .forEach(
            (vip, r) ->
                now.put(
                    vip,
                    new VipState.Report(
                        r.node(),
                        r.eligible(),
                        r.interfaces(),
                        r.preference(),
                        announcing.contains(vip))));
    Map<String, VipState.Report> changed = new HashMap<>();
    for (var it = sent.keySet().iterator(); it.hasNext(); ) {
      String vip = it.next();
      if (!now.containsKey(vip)) {
        changed.put(vip, new VipState.Report(node, false, Set.of(), 0));
        it.remove();
      }
    }
    // Updated in place, an unchanged report keeping the object already held: the refresh every
    // 15 s would otherwise replace every report, and objects replaced at that pace outlive the
    // young generation and fill the old one.
    for (var e : now.entrySet()) {
      VipState.Report before = sent.get(e.getKey());
      if (!e.getValue().equals(before)) {
        sent.put(e.getKey(), e.getValue());
        changed.put(e.getKey(), e.getValue());
      } else if (resend) {
        changed.put(e.getKey(), before);
      }
    }
    send(changed);
  }

  /**
   * Whether this node announces an address is part of its report for it: only the reports of the
   * addresses that changed are sent again, so a mass change stays linear.
   */
  private void onAnnouncerChanged(Announcer.Change c) {
    announcing.addAll(c.started());
    announcing.removeAll(c.stopped());
    fenced = c.fenced();
    metrics.state(fenced, announcing.size());
    if (!c.tookOver().isEmpty()) {
      Duration longest = java.util.Collections.max(c.tookOver().values());
      metrics.tookOver(c.tookOver().size(), longest);
      getContext()
          .getLog()
          .info(
              "took over {} address(es) from an unreachable owner, {} ms after it became unreachable",
              c.tookOver().size(),
              longest.toMillis());
    }
    Map<String, VipState.Report> changedReports = new HashMap<>();
    for (Set<String> changed : List.of(c.started(), c.stopped())) {
      for (String vip : changed) {
        VipState.Report r = sent.get(vip);
        if (r != null) {
          VipState.Report now =
              new VipState.Report(
                  r.node(), r.eligible(), r.interfaces(), r.preference(), announcing.contains(vip));
          sent.put(vip, now);
          changedReports.put(vip, now);
        }
      }
    }
    send(changedReports);
    if (!timers.isTimerActive("record")) {
      timers.startSingleTimer("record", new RecordAnnouncements(), RECORD_DELAY);
    }
  }

  /**
   * Asks the Announcer for its state and answers with it; when it does not answer in time, with an
   * empty state (nothing announced, this node's fence).
   */
  private Behavior<Command> askAnnouncer(java.util.function.Consumer<Announcer.State> answer) {
    getContext()
        .ask(
            Announcer.State.class,
            announcer,
            Duration.ofSeconds(3),
            Announcer.GetState::new,
            (state, failure) ->
                new AnnouncerStateArrived(
                    state != null ? state : new Announcer.State(Set.of(), fenced, Map.of()),
                    answer));
    return this;
  }

  private Owners owners(Announcer.State state) {
    Map<String, List<String>> mine = new HashMap<>();
    state
        .owners()
        .forEach(
            (vip, owner) -> {
              if (node.equals(owner)) {
                mine.put(vip, interfacesFor(vip));
              }
            });
    return new Owners(Map.copyOf(state.owners()), mine);
  }
}
