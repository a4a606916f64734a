package io.ironlb.node;

import io.fabric8.kubernetes.api.model.Service;
import io.ironlb.bgp.AdvertisementPlanner;
import io.ironlb.bgp.BgpSupervisor;
import io.ironlb.config.ClusterResources;
import io.ironlb.config.ServiceKey;
import io.ironlb.ipam.AllocatorActor;
import io.ironlb.l2.L2Reports;
import io.ironlb.l2.MembershipView;
import io.ironlb.l2.Speaker;
import io.ironlb.serving.Allocated;
import io.ironlb.source.Snapshot;
import io.ironlb.source.SnapshotFeed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.stream.javadsl.Source;

/**
 * What this node should serve: joins the snapshot stream (configuration, Services, endpoints,
 * nodes) with the allocations, and on every change tells both protocols — the layer-2 {@link
 * Speaker} and the {@link BgpSupervisor} — the same view. Answers the status API's {@code
 * /v1/services} from that view and the Speaker's owners. Its snapshot stream failing stops it, and
 * the node's {@link Lifeline} takes the node down.
 */
public final class NodeFeed extends AbstractBehavior<NodeFeed.Command> {

  /** Everything a NodeFeed understands. */
  public sealed interface Command {}

  /** This node's feed, for the status API (found through the Receptionist, local only). */
  public static final org.apache.pekko.actor.typed.receptionist.ServiceKey<Command> KEY =
      org.apache.pekko.actor.typed.receptionist.ServiceKey.create(Command.class, "ironlb-feed");

  /** The rows of {@code /v1/services}. */
  public record GetServices(ActorRef<List<ServiceStatus>> replyTo) implements Command {}

  /** One row of {@code /v1/services}. */
  public record ServiceStatus(
      String namespace, String name, List<String> ips, String pool, String error, L2 l2, Bgp bgp) {}

  /** Who announces the Service's first address on layer 2, in this node's view. */
  public record L2(String owner, List<String> interfaces) {}

  /** The nodes announcing the Service over BGP. */
  public record Bgp(List<String> nodes) {}

  /** Where the allocations come from. */
  public sealed interface AllocationSource {}

  /**
   * Standalone: the allocator singleton publishes on {@code topic}; it is also asked, since a topic
   * delivers at most once and a node that subscribed after a publish would keep stale allocations.
   */
  public record FromAllocator(
      ActorRef<Topic.Command<AllocatorActor.Allocations>> topic,
      ActorRef<AllocatorActor.Command> allocator)
      implements AllocationSource {}

  /** Kubernetes: the controller wrote them in the Services' status; the snapshot carries them. */
  public record FromServiceStatus() implements AllocationSource {}

  private record StreamStarted(ActorRef<SnapshotFeed.Ack> ackTo) implements Command {}

  private record SnapshotArrived(Snapshot snapshot, ActorRef<SnapshotFeed.Ack> ackTo)
      implements Command {}

  private record StreamEnded() implements Command {}

  private record StreamFailed(Throwable cause) implements Command {}

  private record AllocationsChanged(AllocatorActor.Allocations allocations) implements Command {}

  private record AskAllocator() implements Command {}

  private record RowsWithOwners(ActorRef<List<ServiceStatus>> replyTo, Speaker.Owners owners)
      implements Command {}

  /** How often the allocator is asked until it first answers, and after that. */
  private static final Duration ASK_FIRST = Duration.ofSeconds(2);

  private static final Duration ASK_AGAIN = Duration.ofSeconds(15);

  private final String node;
  private final boolean standalone;
  private final ActorRef<Speaker.Command> speaker;
  private final ActorRef<BgpSupervisor.Command> bgp;
  private final ActorRef<AllocatorActor.Command> allocator;
  private final boolean allocationsFromStatus;
  private final TimerScheduler<Command> timers;
  private Snapshot snapshot;
  private AllocatorActor.Allocations allocations;

  /**
   * @param standalone nodes are members of the Pekko cluster, not Kubernetes Nodes
   * @param bgp this node's BGP side, or null
   */
  public static Behavior<Command> create(
      String node,
      boolean standalone,
      Source<Snapshot, ?> snapshots,
      AllocationSource allocations,
      ActorRef<Speaker.Command> speaker,
      ActorRef<BgpSupervisor.Command> bgp) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  ActorRef<AllocatorActor.Command> allocator = null;
                  if (allocations instanceof FromAllocator a) {
                    allocator = a.allocator();
                    a.topic()
                        .tell(
                            Topic.subscribe(
                                ctx.messageAdapter(
                                    AllocatorActor.Allocations.class, AllocationsChanged::new)));
                    timers.startTimerWithFixedDelay("ask", new AskAllocator(), ASK_FIRST);
                    timers.startTimerWithFixedDelay(new AskAllocator(), ASK_AGAIN);
                  }
                  ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
                  SnapshotFeed.run(
                      ctx,
                      snapshots,
                      StreamStarted::new,
                      (ackTo, snapshot) -> new SnapshotArrived(snapshot, ackTo),
                      new StreamEnded(),
                      StreamFailed::new);
                  return new NodeFeed(
                      ctx,
                      timers,
                      node,
                      standalone,
                      speaker,
                      bgp,
                      allocator,
                      allocations instanceof FromServiceStatus);
                }));
  }

  private NodeFeed(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      String node,
      boolean standalone,
      ActorRef<Speaker.Command> speaker,
      ActorRef<BgpSupervisor.Command> bgp,
      ActorRef<AllocatorActor.Command> allocator,
      boolean allocationsFromStatus) {
    super(ctx);
    this.timers = timers;
    this.node = node;
    this.standalone = standalone;
    this.speaker = speaker;
    this.bgp = bgp;
    this.allocator = allocator;
    this.allocationsFromStatus = allocationsFromStatus;
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
                allocations = fromStatus(snapshot.resources());
              }
              fanOut();
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
              // The periodic ask (a safety net for a lost publication) mostly brings what this
              // node already serves: planning 6,000 addresses again for nothing cost every node
              // CPU every 15 s.
              boolean same =
                  allocations != null && allocations.services().equals(m.allocations().services());
              // The same Services keep the map already held (10,000 entries at 10,000 Services):
              // one replaced every 15 s outlives the young generation and fills the old one.
              allocations =
                  same
                      ? new AllocatorActor.Allocations(
                          m.allocations().generation(),
                          allocations.services(),
                          m.allocations().pools())
                      : m.allocations();
              timers.cancel("ask");
              if (!same) {
                fanOut();
              }
              return this;
            })
        .onMessage(AskAllocator.class, m -> askAllocator())
        .onMessage(GetServices.class, this::onGetServices)
        .onMessage(
            RowsWithOwners.class,
            m -> {
              m.replyTo().tell(rows(m.owners()));
              return this;
            })
        .onMessage(StreamEnded.class, m -> Behaviors.stopped())
        .onMessage(
            StreamFailed.class,
            m -> {
              throw new IllegalStateException("snapshot source failed", m.cause());
            })
        .build();
  }

  private Behavior<Command> askAllocator() {
    allocator.tell(
        new AllocatorActor.GetAllocations(
            getContext()
                .messageAdapter(AllocatorActor.Allocations.class, AllocationsChanged::new)));
    return this;
  }

  /** Both protocols get the same view; each ignores a view it has already planned. */
  private void fanOut() {
    if (snapshot == null || allocations == null) {
      return;
    }
    Map<ServiceKey, Allocated> allocated = allocated();
    speaker.tell(new Speaker.Serve(snapshot.resources(), allocated));
    if (bgp != null) {
      bgp.tell(new BgpSupervisor.Plan(snapshot.resources(), allocated));
    }
  }

  /** The allocator's (or the Service statuses') answer, keyed as the planners read it. */
  private Map<ServiceKey, Allocated> allocated() {
    Map<ServiceKey, Allocated> allocated = new HashMap<>();
    allocations
        .services()
        .forEach((k, a) -> allocated.put(ServiceKey.parse(k), new Allocated(a.ips(), a.pool())));
    return allocated;
  }

  private static AllocatorActor.Allocations fromStatus(ClusterResources resources) {
    Map<String, AllocatorActor.Allocation> services = new java.util.TreeMap<>();
    L2Reports.fromStatus(resources)
        .forEach(
            (k, a) ->
                services.put(k.toString(), new AllocatorActor.Allocation(a.ips(), a.pool(), null)));
    return new AllocatorActor.Allocations(0, services, List.of());
  }

  private Behavior<Command> onGetServices(GetServices m) {
    // Who announces each address is the Speaker's view (its Announcer's): ask, then answer.
    getContext()
        .ask(
            Speaker.Owners.class,
            speaker,
            Duration.ofSeconds(3),
            Speaker.GetOwners::new,
            (owners, failure) ->
                new RowsWithOwners(
                    m.replyTo(), owners != null ? owners : new Speaker.Owners(Map.of(), Map.of())));
    return this;
  }

  /**
   * Service → the nodes announcing it over BGP: the planner run for every speaker in the cluster
   * (each node's rules are a function of the shared configuration and Services).
   */
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
        .forEach(member -> MembershipView.nodeName(member).ifPresent(nodes::add));
    for (String n : nodes) {
      for (ServiceKey k :
          AdvertisementPlanner.announcedServices(snapshot.resources(), allocated, n, standalone)) {
        out.computeIfAbsent(k, x -> new ArrayList<>()).add(n);
      }
    }
    return out;
  }

  private List<ServiceStatus> rows(Speaker.Owners owners) {
    List<ServiceStatus> rows = new ArrayList<>();
    if (snapshot == null) {
      return rows;
    }
    Map<ServiceKey, List<String>> bgpNodes = bgpNodes();
    for (Service svc : snapshot.resources().services()) {
      if (svc.getSpec() == null || !"LoadBalancer".equals(svc.getSpec().getType())) {
        continue;
      }
      ServiceKey key = ServiceKey.of(svc);
      AllocatorActor.Allocation a =
          allocations == null ? null : allocations.services().get(key.toString());
      List<String> ips = a == null ? List.of() : a.ips();
      String owner = ips.isEmpty() ? null : owners.owners().get(ips.get(0));
      List<String> interfaces =
          node.equals(owner) ? owners.interfaces().getOrDefault(ips.get(0), List.of()) : List.of();
      rows.add(
          new ServiceStatus(
              key.namespace(),
              key.name(),
              ips,
              a == null ? null : a.pool(),
              a == null ? "not allocated yet" : a.error(),
              new L2(owner, interfaces),
              new Bgp(bgpNodes.getOrDefault(key, List.of()))));
    }
    return rows;
  }
}
