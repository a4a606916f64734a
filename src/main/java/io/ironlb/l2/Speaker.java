package io.ironlb.l2;

import io.fabric8.kubernetes.api.model.Service;
import io.ironlb.bgp.BgpSupervisor;
import io.ironlb.config.ServiceKey;
import io.ironlb.ipam.AllocatorActor;
import io.ironlb.metrics.NodeMetrics;
import io.ironlb.serving.Allocated;
import io.ironlb.source.AnnouncementWriter;
import io.ironlb.source.Snapshot;
import io.ironlb.source.SnapshotFeed;
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
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A speaker node: reads its snapshots and the allocations, sends this node's eligibility for every
 * address to the VIP entities, runs the node's {@link Announcer} (and its membership view), and
 * answers the status API's {@code /v1/services}.
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

  /** A VIP entity that started asks for this node's report on its address. */
  public record ReportWanted(String vip, ActorRef<VipEntity.Command> replyTo)
      implements Command, io.ironlb.cluster.CborSerializable {}

  /** Withdraw every address before the process leaves (CoordinatedShutdown); replies when done. */
  public record PlannedStop(ActorRef<org.apache.pekko.Done> replyTo) implements Command {}

  /** The rows of {@code /v1/services}. */
  public record GetServices(ActorRef<List<ServiceStatus>> replyTo) implements Command {}

  /** This node's layer-2 state, for {@code /v1/l2}. */
  public record GetLayer2(ActorRef<Layer2Status> replyTo) implements Command {}

  /**
   * @param fenced this node cannot reach a majority and announces nothing
   * @param announcing the addresses this node answers for, sorted
   */
  public record Layer2Status(
      String node, boolean fenced, List<String> announcing, List<String> interfaces) {}

  /** One row of {@code /v1/services}. */
  public record ServiceStatus(
      String namespace, String name, List<String> ips, String pool, String error, L2 l2, Bgp bgp) {}

  /** Who announces the Service's first address on layer 2, in this node's view. */
  public record L2(String owner, List<String> interfaces) {}

  /** The nodes announcing the Service over BGP (filled by the BGP work). */
  public record Bgp(List<String> nodes) {}

  private record StreamStarted(ActorRef<SnapshotFeed.Ack> ackTo) implements Command {}

  private record SnapshotArrived(Snapshot snapshot, ActorRef<SnapshotFeed.Ack> ackTo)
      implements Command {}

  private record StreamEnded() implements Command {}

  private record StreamFailed(Throwable cause) implements Command {}

  private record AllocationsChanged(AllocatorActor.Allocations allocations) implements Command {}

  private record AnnouncerChanged(Announcer.Change change) implements Command {}

  /** The Announcer's answer for a pending {@code /v1/services}. */
  private record ServicesWithOwners(ActorRef<List<ServiceStatus>> replyTo, Announcer.State state)
      implements Command {}

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
  private static final Duration ASK_AGAIN = Duration.ofSeconds(2);

  /**
   * How long a planned stop waits for the cluster to move this node to Exiting before it withdraws
   * anyway (a leader that cannot reach convergence, say).
   */
  public static final Duration HANDOVER_LIMIT = Duration.ofSeconds(5);

  private final String node;
  private final boolean standalone;
  private final List<String> interfaces;
  private final BiConsumer<String, VipEntity.Command> entities;
  private final ActorRef<AllocatorActor.Command> allocator;
  private final ActorRef<Announcer.Command> announcer;
  private final TimerScheduler<Command> timers;

  private Snapshot snapshot;
  private AllocatorActor.Allocations allocations;
  private final Set<String> announcing = new java.util.HashSet<>();
  private boolean fenced;
  private Map<String, VipState.Report> sent = new HashMap<>();
  private final List<ActorRef<org.apache.pekko.Done>> stopping = new ArrayList<>();
  private final boolean allocationsFromStatus;
  private final AnnouncementWriter writer;
  private final ActorRef<BgpSupervisor.Command> bgp;
  private Map<ServiceKey, List<String>> owned;
  private final SpeakerMetrics metrics;

  /**
   * @param interfaces the interfaces this node's responders serve, for the status API
   * @param entities sends a message to the VIP entity of an address (Cluster Sharding's
   *     entityRefFor)
   * @param topic the allocator's published allocations, or null to read them back from the
   *     Services' status (Kubernetes mode: the controller wrote them there)
   * @param allocator the allocator singleton's proxy, or null (with a null topic)
   * @param writer where this node's announcements are recorded (ServiceL2Status, events)
   * @param bgp this node's BGP side, told every change of configuration, Services and allocations;
   *     or null
   */
  public static Behavior<Command> create(
      String node,
      boolean standalone,
      List<String> interfaces,
      Source<Snapshot, ?> source,
      ActorRef<LinkCommand> link,
      BiConsumer<String, VipEntity.Command> entities,
      ActorRef<Topic.Command<AllocatorActor.Allocations>> topic,
      ActorRef<AllocatorActor.Command> allocator,
      AnnouncementWriter writer,
      ActorRef<BgpSupervisor.Command> bgp) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  ActorRef<Announcer.Change> observer =
                      ctx.messageAdapter(Announcer.Change.class, AnnouncerChanged::new);
                  ActorRef<Announcer.Command> announcer =
                      ctx.spawn(Announcer.create(node, link, observer), "announcer");
                  ctx.spawn(MembershipView.adapter(announcer), "membership");
                  ctx.getSystem()
                      .receptionist()
                      .tell(
                          org.apache.pekko.actor.typed.receptionist.Receptionist.register(
                              KEY, ctx.getSelf()));
                  Cluster.get(ctx.getSystem())
                      .subscriptions()
                      .tell(
                          Subscribe.create(
                              ctx.messageAdapter(
                                  ClusterEvent.MemberEvent.class, MembersChanged::new),
                              ClusterEvent.MemberEvent.class));
                  if (topic != null) {
                    ActorRef<AllocatorActor.Allocations> updates =
                        ctx.messageAdapter(
                            AllocatorActor.Allocations.class, AllocationsChanged::new);
                    topic.tell(Topic.subscribe(updates));
                  }
                  SnapshotFeed.run(
                      ctx,
                      source,
                      StreamStarted::new,
                      (ackTo, snapshot) -> new SnapshotArrived(snapshot, ackTo),
                      new StreamEnded(),
                      StreamFailed::new);
                  timers.startTimerWithFixedDelay(new Refresh(), REFRESH);
                  if (allocator != null) {
                    timers.startTimerWithFixedDelay("ask", new Refresh(), ASK_AGAIN);
                  }
                  return new Speaker(
                      ctx,
                      timers,
                      node,
                      standalone,
                      interfaces,
                      entities,
                      allocator,
                      announcer,
                      topic == null,
                      writer,
                      bgp);
                }));
  }

  private Speaker(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      String node,
      boolean standalone,
      List<String> interfaces,
      BiConsumer<String, VipEntity.Command> entities,
      ActorRef<AllocatorActor.Command> allocator,
      ActorRef<Announcer.Command> announcer,
      boolean allocationsFromStatus,
      AnnouncementWriter writer,
      ActorRef<BgpSupervisor.Command> bgp) {
    super(ctx);
    this.bgp = bgp;
    this.allocationsFromStatus = allocationsFromStatus;
    this.writer = writer;
    this.metrics = new SpeakerMetrics(NodeMetrics.get(ctx.getSystem()).registry(), node);
    this.timers = timers;
    this.node = node;
    this.standalone = standalone;
    this.interfaces = List.copyOf(interfaces);
    this.entities = entities;
    this.allocator = allocator;
    this.announcer = announcer;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(
            StreamStarted.class,
            m -> {
              m.ackTo().tell(SnapshotFeed.Ack.INSTANCE);
              return this;
            })
        .onMessage(
            SnapshotArrived.class,
            m -> {
              snapshot = m.snapshot();
              if (allocationsFromStatus) {
                allocations = fromStatus(snapshot);
              }
              report(false);
              recordAnnouncements();
              m.ackTo().tell(SnapshotFeed.Ack.INSTANCE);
              return this;
            })
        .onMessage(
            AllocationsChanged.class,
            m -> {
              if (allocations == null) {
                getContext()
                    .getLog()
                    .info("allocations received: {} Services", m.allocations().services().size());
              }
              allocations = m.allocations();
              timers.cancel("ask");
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
            ServicesWithOwners.class,
            m -> {
              m.replyTo().tell(serviceRows(m.state()));
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
        .onMessage(GetServices.class, this::onGetServices)
        .onMessage(
            GetLayer2.class,
            m -> {
              m.replyTo()
                  .tell(
                      new Layer2Status(
                          node, fenced, List.copyOf(new TreeSet<>(announcing)), interfaces));
              return this;
            })
        .onMessage(PlannedStop.class, this::onPlannedStop)
        .onMessage(ReportWanted.class, this::onReportWanted)
        .onMessage(StreamEnded.class, m -> Behaviors.stopped())
        .onMessage(
            StreamFailed.class,
            m -> {
              throw new IllegalStateException("snapshot source failed", m.cause());
            })
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
    if (snapshot == null || allocations == null) {
      return this;
    }
    VipState.Report mine = sent.get(m.vip());
    m.replyTo()
        .tell(
            new VipEntity.Eligibility(
                mine != null ? mine : new VipState.Report(node, false, Set.of(), 0), announcer));
    return this;
  }

  private Behavior<Command> withdraw() {
    timers.cancel("handover");
    stopping.forEach(r -> announcer.tell(new Announcer.PlannedStop(r)));
    stopping.clear();
    return this;
  }

  private static AllocatorActor.Allocations fromStatus(Snapshot snapshot) {
    Map<String, AllocatorActor.Allocation> services = new java.util.TreeMap<>();
    L2Reports.fromStatus(snapshot.resources())
        .forEach(
            (k, a) ->
                services.put(k.toString(), new AllocatorActor.Allocation(a.ips(), a.pool(), null)));
    return new AllocatorActor.Allocations(0, services, List.of());
  }

  /**
   * Tells the {@link AnnouncementWriter} which Services this node announces (any of their
   * addresses), and emits {@code nodeAssigned} for each it did not announce before: on a change
   * only, never on a resync.
   */
  private void recordAnnouncements() {
    if (snapshot == null || allocations == null) {
      return;
    }
    Map<ServiceKey, List<String>> now = new java.util.TreeMap<>();
    allocations
        .services()
        .forEach(
            (k, a) -> {
              if (a.ips().stream().anyMatch(announcing::contains)) {
                now.put(ServiceKey.parse(k), interfacesFor(a.ips().get(0)));
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
    metrics.announced(now, allocations);
  }

  /** The interfaces this node answers for an address on: its report's, else all of its own. */
  private List<String> interfacesFor(String vip) {
    VipState.Report mine = sent.get(vip);
    return mine == null || mine.interfaces().isEmpty()
        ? interfaces
        : new ArrayList<>(new TreeSet<>(mine.interfaces()));
  }

  private Behavior<Command> onRefresh() {
    // Asked on every refresh, not only until the first answer: the topic delivers at most once,
    // and a node that subscribed after a publish would otherwise keep stale allocations.
    if (allocator != null) {
      allocator.tell(
          new AllocatorActor.GetAllocations(
              getContext()
                  .messageAdapter(AllocatorActor.Allocations.class, AllocationsChanged::new)));
    }
    report(true);
    return this;
  }

  /**
   * Sends this node's report for every address whose report changed (all of them when {@code
   * resend}: a VIP entity that moved or restarted has forgotten them), and an ineligible report for
   * addresses that are gone, so that nobody keeps announcing them.
   */
  private void report(boolean resend) {
    if (snapshot == null || allocations == null) {
      return;
    }
    Map<ServiceKey, Allocated> allocated = allocated();
    if (bgp != null) {
      bgp.tell(new BgpSupervisor.Plan(snapshot.resources(), allocated));
    }
    Map<String, VipState.Report> now = new java.util.TreeMap<>();
    L2Reports.compute(snapshot.resources(), allocated, node, standalone)
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
    for (String vip : sent.keySet()) {
      if (!now.containsKey(vip)) {
        entities.accept(
            vip,
            new VipEntity.Eligibility(new VipState.Report(node, false, Set.of(), 0), announcer));
      }
    }
    for (var e : now.entrySet()) {
      if (resend || !e.getValue().equals(sent.get(e.getKey()))) {
        entities.accept(e.getKey(), new VipEntity.Eligibility(e.getValue(), announcer));
      }
    }
    sent = now;
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
    for (Set<String> changed : List.of(c.started(), c.stopped())) {
      for (String vip : changed) {
        VipState.Report r = sent.get(vip);
        if (r != null) {
          VipState.Report now =
              new VipState.Report(
                  r.node(), r.eligible(), r.interfaces(), r.preference(), announcing.contains(vip));
          sent.put(vip, now);
          entities.accept(vip, new VipEntity.Eligibility(now, announcer));
        }
      }
    }
    if (!timers.isTimerActive("record")) {
      timers.startSingleTimer("record", new RecordAnnouncements(), RECORD_DELAY);
    }
  }

  private Behavior<Command> onGetServices(GetServices m) {
    // Who announces each address is the Announcer's view: ask it, then answer.
    getContext()
        .ask(
            Announcer.State.class,
            announcer,
            Duration.ofSeconds(3),
            Announcer.GetState::new,
            (state, failure) ->
                new ServicesWithOwners(
                    m.replyTo(),
                    state != null ? state : new Announcer.State(Set.of(), fenced, Map.of())));
    return this;
  }

  /**
   * Service → the nodes announcing it over BGP: the planner run for every speaker in the cluster
   * (each node's rules are a function of the shared configuration and Services).
   */
  /** The allocator's (or the Service statuses') answer, keyed as the planners read it. */
  private Map<ServiceKey, Allocated> allocated() {
    Map<ServiceKey, Allocated> allocated = new HashMap<>();
    allocations
        .services()
        .forEach((k, a) -> allocated.put(ServiceKey.parse(k), new Allocated(a.ips(), a.pool())));
    return allocated;
  }

  private Map<ServiceKey, List<String>> bgpNodes() {
    Map<ServiceKey, List<String>> out = new HashMap<>();
    if (allocations == null || snapshot.resources().bgpPeers().isEmpty()) {
      return out;
    }
    Map<ServiceKey, Allocated> allocated = allocated();
    Set<String> nodes = new TreeSet<>();
    Cluster.get(getContext().getSystem())
        .state()
        .getMembers()
        .forEach(m -> MembershipView.nodeName(m).ifPresent(nodes::add));
    for (String n : nodes) {
      for (ServiceKey k :
          io.ironlb.bgp.AdvertisementPlanner.announcedServices(
              snapshot.resources(), allocated, n, standalone)) {
        out.computeIfAbsent(k, x -> new ArrayList<>()).add(n);
      }
    }
    return out;
  }

  private List<ServiceStatus> serviceRows(Announcer.State state) {
    List<ServiceStatus> rows = new ArrayList<>();
    if (snapshot != null) {
      Map<ServiceKey, List<String>> bgpNodes = bgpNodes();
      for (Service svc : snapshot.resources().services()) {
        if (svc.getSpec() == null || !"LoadBalancer".equals(svc.getSpec().getType())) {
          continue;
        }
        ServiceKey key = ServiceKey.of(svc);
        AllocatorActor.Allocation a =
            allocations == null ? null : allocations.services().get(key.toString());
        List<String> ips = a == null ? List.of() : a.ips();
        String owner = ips.isEmpty() ? null : state.owners().get(ips.get(0));
        List<String> ifs = node.equals(owner) ? interfacesFor(ips.get(0)) : List.of();
        rows.add(
            new ServiceStatus(
                key.namespace(),
                key.name(),
                ips,
                a == null ? null : a.pool(),
                a == null ? "not allocated yet" : a.error(),
                new L2(owner, ifs),
                new Bgp(bgpNodes.getOrDefault(key, List.of()))));
      }
    }
    return rows;
  }
}
