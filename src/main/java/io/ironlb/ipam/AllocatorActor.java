package io.ironlb.ipam;

import io.fabric8.kubernetes.api.model.Service;
import io.ironlb.cluster.CborSerializable;
import io.ironlb.config.ClusterResources;
import io.ironlb.config.ServiceKey;
import io.ironlb.metrics.MetricFamilies;
import io.ironlb.source.Snapshot;
import io.ironlb.source.SnapshotFeed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The allocator: MetalLB's controller as an actor. It owns one {@link Allocator}, fed by the
 * snapshot stream it materializes itself (so the stream lives exactly as long as this incarnation,
 * on whichever node runs it), and writes only what differs from what the snapshot shows.
 *
 * <p>On start — a process start or a singleton failover — the first snapshot is reconciled with
 * {@link Allocator#reconcileAll}, which re-records every Service's existing addresses before
 * allocating new ones: no address changes and none is handed out twice.
 */
public final class AllocatorActor extends AbstractBehavior<AllocatorActor.Command> {
  /** The cluster role that hosts the allocator singleton. */
  public static final String ROLE = "controller";

  /** Everything this actor understands. */
  public sealed interface Command {}

  /** Asks for the current allocations (the status API and tests). */
  public record GetAllocations(ActorRef<Allocations> replyTo)
      implements Command, CborSerializable {}

  /** Stops the actor (singleton hand-over). */
  public record Stop() implements Command, CborSerializable {}

  /** The allocator's view: each handled Service's addresses or error, and each pool's counts. */
  public record Allocations(
      long generation, Map<String, Allocation> services, List<PoolCounts> pools)
      implements CborSerializable {}

  /** One Service's allocation. */
  public record Allocation(List<String> ips, String pool, String error) {}

  private record StreamStarted(ActorRef<SnapshotFeed.Ack> ackTo) implements Command {}

  private record SnapshotArrived(Snapshot snapshot, ActorRef<SnapshotFeed.Ack> ackTo)
      implements Command {}

  private record StreamEnded() implements Command {}

  private record StreamFailed(Throwable cause) implements Command {}

  private record WriteDone(ServiceKey key, Written written, Throwable failure) implements Command {}

  private record PoolWriteDone(PoolCounts counts, Throwable failure) implements Command {}

  private record RetryWrites() implements Command {}

  /** What this actor has asked to be written for a Service. */
  private record Written(List<String> ips, String pool) {}

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final StatusWriter writer;
  private final String loadBalancerClass;
  private final ActorRef<Topic.Command<Allocations>> topic;
  private Map<String, Allocation> published = Map.of();

  /** Asked before the first snapshot: answered once there is something true to say. */
  private final List<ActorRef<Allocations>> waiting = new java.util.ArrayList<>();

  private Allocator allocator;
  private ClusterResources configuration;
  private Snapshot last;
  private final Map<ServiceKey, ServiceRequest> requests = new HashMap<>();
  private final Map<ServiceKey, Allocator.Decision> decided = new TreeMap<>();
  private final Map<ServiceKey, Written> written = new HashMap<>();

  /** Writes refused in a row, for the retry backoff. */
  private int failedWrites;

  private final Map<String, PoolCounts> poolsWritten = new HashMap<>();
  private final PoolMetrics poolMetrics;

  /**
   * @param source the snapshots; materialized when this actor starts, cancelled when it stops
   * @param loadBalancerClass the class handled; null for Services without one
   */
  public static Behavior<Command> create(
      Source<Snapshot, ?> source, StatusWriter writer, String loadBalancerClass) {
    return create(source, writer, loadBalancerClass, null);
  }

  /**
   * @param topic where every change of the allocations is published (standalone speakers read them
   *     there; in Kubernetes they read Service statuses), or null
   */
  public static Behavior<Command> create(
      Source<Snapshot, ?> source,
      StatusWriter writer,
      String loadBalancerClass,
      ActorRef<Topic.Command<Allocations>> topic) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  SnapshotFeed.run(
                      ctx,
                      source,
                      StreamStarted::new,
                      (ackTo, snapshot) -> new SnapshotArrived(snapshot, ackTo),
                      new StreamEnded(),
                      StreamFailed::new);
                  return new AllocatorActor(ctx, timers, writer, loadBalancerClass, topic);
                }));
  }

  /**
   * Starts the allocator as a Cluster Singleton on the nodes with role {@code controller},
   * restarting it with backoff if its source fails. Returns the proxy.
   */
  public static ActorRef<Command> singleton(
      ActorSystem<?> system,
      java.util.function.Supplier<Source<Snapshot, ?>> source,
      StatusWriter writer,
      String loadBalancerClass) {
    return singleton(system, source, writer, loadBalancerClass, null);
  }

  /**
   * As {@link #singleton(ActorSystem, java.util.function.Supplier, StatusWriter, String)},
   * publishing to a topic.
   */
  public static ActorRef<Command> singleton(
      ActorSystem<?> system,
      java.util.function.Supplier<Source<Snapshot, ?>> source,
      StatusWriter writer,
      String loadBalancerClass,
      ActorRef<Topic.Command<Allocations>> topic) {
    Behavior<Command> behavior =
        Behaviors.supervise(
                Behaviors.<Command>setup(
                    ctx -> create(source.get(), writer, loadBalancerClass, topic)))
            .onFailure(
                SupervisorStrategy.restartWithBackoff(
                    Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
    return ClusterSingleton.get(system)
        .init(
            SingletonActor.of(behavior, "ironlb-allocator")
                .withStopMessage(new Stop())
                .withSettings(ClusterSingletonSettings.create(system).withRole(ROLE)));
  }

  private AllocatorActor(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      StatusWriter writer,
      String loadBalancerClass,
      ActorRef<Topic.Command<Allocations>> topic) {
    super(ctx);
    this.ctx = ctx;
    this.timers = timers;
    this.writer = writer;
    this.loadBalancerClass = loadBalancerClass;
    this.topic = topic;
    this.poolMetrics = new PoolMetrics(MetricFamilies.get(ctx.getSystem()));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(StreamStarted.class, m -> ack(m.ackTo()))
        .onMessage(SnapshotArrived.class, this::onSnapshot)
        .onMessage(WriteDone.class, this::onWriteDone)
        .onMessage(PoolWriteDone.class, this::onPoolWriteDone)
        .onMessage(RetryWrites.class, m -> retry())
        .onMessage(GetAllocations.class, this::onGet)
        .onMessage(StreamEnded.class, m -> Behaviors.stopped())
        .onMessage(
            StreamFailed.class,
            m -> {
              throw new IllegalStateException("snapshot source failed", m.cause());
            })
        .onMessage(Stop.class, m -> Behaviors.stopped())
        .build();
  }

  private Behavior<Command> ack(ActorRef<SnapshotFeed.Ack> ackTo) {
    ackTo.tell(SnapshotFeed.Ack.INSTANCE);
    return this;
  }

  private Behavior<Command> onSnapshot(SnapshotArrived m) {
    Snapshot s = m.snapshot();
    ClusterResources res = s.resources();
    Map<ServiceKey, ServiceRequest> now = new HashMap<>();
    for (Service svc : res.services()) {
      ServiceRequest r = ServiceRequest.of(svc);
      now.put(r.key(), r);
    }
    List<Allocator.Decision> decisions;
    if (allocator == null) {
      allocator = new Allocator(Pools.from(res), loadBalancerClass);
      decisions = allocator.reconcileAll(now.values());
      ctx.getLog().info("allocator started: {} Services, {} pools", now.size(), res.pools().size());
    } else if (!configuration.sameConfigurationAs(res)) {
      decisions = allocator.reconfigure(Pools.from(res), now.values());
      ctx.getLog().info("configuration changed: {} Services reprocessed", now.size());
    } else {
      boolean freed = false;
      for (ServiceKey gone : Set.copyOf(requests.keySet())) {
        if (!now.containsKey(gone)) {
          freed |= !allocator.addressesOf(gone).isEmpty();
          allocator.remove(gone);
          decided.remove(gone);
          written.remove(gone);
          requests.remove(gone);
        }
      }
      decisions = new ArrayList<>();
      List<ServiceRequest> sorted =
          now.values().stream().sorted((a, b) -> a.key().compareTo(b.key())).toList();
      for (ServiceRequest r : sorted) {
        if (!r.withoutStatus().equals(requests.get(r.key()))) {
          freed |= !allocator.addressesOf(r.key()).isEmpty();
          decisions.add(allocator.reconcile(r));
        }
      }
      if (freed) {
        // Addresses may have come free: Services still waiting for one need not wait for their
        // own next change (MetalLB's do).
        for (ServiceRequest r : sorted) {
          Allocator.Decision d = decided.get(r.key());
          if (d != null && d.handled() && d.error() != null && d.ips().isEmpty()) {
            decisions.add(allocator.reconcile(r));
          }
        }
      }
    }
    configuration = res;
    last = s;
    requests.keySet().retainAll(now.keySet());
    decided.keySet().retainAll(now.keySet());
    now.forEach((k, r) -> requests.put(k, r.withoutStatus()));
    for (Allocator.Decision d : decisions) {
      Allocator.Decision before = decided.put(d.key(), d);
      boolean changed =
          before == null
              || !before.ips().equals(d.ips())
              || !Objects.equals(before.error(), d.error());
      if (d.handled() && changed) {
        for (Allocator.ServiceEvent e : d.events()) {
          writer.event(d.key(), e.warning(), e.reason(), e.message());
        }
      }
    }
    syncWrites();
    publish();
    m.ackTo().tell(SnapshotFeed.Ack.INSTANCE);
    return this;
  }

  private void publish() {
    Allocations now = allocations();
    waiting.forEach(w -> w.tell(now));
    waiting.clear();
    if (topic == null) {
      return;
    }
    if (!now.services().equals(published)) {
      published = now.services();
      topic.tell(Topic.publish(now));
    }
  }

  /** Writes every handled Service whose observed status differs from the decision. */
  private void syncWrites() {
    for (Service svc : last.resources().services()) {
      ServiceKey key = ServiceKey.of(svc);
      Allocator.Decision d = decided.get(key);
      if (d == null || !d.handled()) {
        continue;
      }
      String observedPool = observedPool(svc);
      String pool = d.ips().isEmpty() ? null : d.pool() != null ? d.pool() : observedPool;
      Written want = new Written(d.ips(), pool);
      Written observed = new Written(observedIps(svc), observedPool);
      if (observed.equals(want)) {
        written.remove(key);
        continue;
      }
      if (want.equals(written.get(key))) {
        continue; // in flight, or written and not yet seen by the source
      }
      written.put(key, want);
      ctx.pipeToSelf(
          writer.writeService(svc, want.ips(), want.pool()),
          (ok, failure) -> new WriteDone(key, want, failure));
    }
    List<PoolCounts> all = allocator.counts();
    Map<String, Long> servicesPerPool = new HashMap<>();
    decided.forEach(
        (k, d) -> {
          if (d.handled() && d.pool() != null && !d.ips().isEmpty()) {
            servicesPerPool.merge(d.pool(), 1L, Long::sum);
          }
        });
    poolMetrics.record(all, servicesPerPool);
    for (PoolCounts counts : all) {
      if (!counts.equals(poolsWritten.get(counts.pool()))) {
        // Counted as written now, so the next snapshot does not write it again while it is in
        // flight; forgotten if the write fails, so the retry writes it.
        poolsWritten.put(counts.pool(), counts);
        ctx.pipeToSelf(
            writer.writePool(counts), (ok, failure) -> new PoolWriteDone(counts, failure));
      }
    }
  }

  private Behavior<Command> onWriteDone(WriteDone m) {
    if (m.failure() != null) {
      ctx.getLog()
          .warn("status write for {} failed, will retry: {}", m.key(), m.failure().toString());
      written.remove(m.key(), m.written());
      retryLater();
    } else {
      failedWrites = 0;
    }
    return this;
  }

  private Behavior<Command> onPoolWriteDone(PoolWriteDone m) {
    if (m.failure() != null) {
      ctx.getLog()
          .warn(
              "status write for IPAddressPool {} failed, will retry: {}",
              m.counts().pool(),
              m.failure().toString());
      poolsWritten.remove(m.counts().pool(), m.counts());
      retryLater();
    }
    return this;
  }

  /**
   * The writer already retries what the API server could not take; what it gave up on (a refusal)
   * is tried again from the newest state, backing off to once a minute while refusals continue.
   */
  private void retryLater() {
    failedWrites++;
    long seconds = Math.min(60, 1L << Math.min(failedWrites - 1, 6));
    if (!timers.isTimerActive(RetryWrites.class)) {
      timers.startSingleTimer(RetryWrites.class, new RetryWrites(), Duration.ofSeconds(seconds));
    }
  }

  private Behavior<Command> retry() {
    if (last != null) {
      syncWrites();
    }
    return this;
  }

  private Behavior<Command> onGet(GetAllocations m) {
    // An empty answer before the first snapshot would read as "nothing is allocated".
    if (last == null) {
      waiting.add(m.replyTo());
    } else {
      m.replyTo().tell(allocations());
    }
    return this;
  }

  private Allocations allocations() {
    Map<String, Allocation> out = new TreeMap<>();
    decided.forEach(
        (k, d) -> {
          if (d.handled()) {
            out.put(k.toString(), new Allocation(d.ips(), d.pool(), d.error()));
          }
        });
    return new Allocations(
        last == null ? 0 : last.generation(),
        out,
        allocator == null ? List.of() : allocator.counts());
  }

  private static List<String> observedIps(Service svc) {
    if (svc.getStatus() == null || svc.getStatus().getLoadBalancer() == null) {
      return List.of();
    }
    var ingress = svc.getStatus().getLoadBalancer().getIngress();
    return ingress == null
        ? List.of()
        : ingress.stream().map(i -> i.getIp()).filter(Objects::nonNull).toList();
  }

  private static String observedPool(Service svc) {
    Map<String, String> a = svc.getMetadata().getAnnotations();
    return a == null ? null : a.get(ServiceRequest.ALLOCATED_FROM_POOL);
  }
}
