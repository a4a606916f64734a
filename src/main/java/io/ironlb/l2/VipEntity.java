package io.ironlb.l2;

import io.ironlb.cluster.CborSerializable;
import io.ironlb.cluster.StayPutAllocation;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * One per address, sharded over the speakers: collects each node's eligibility report and sends
 * every reporting node's Announcer the newest {@link Assignment} (with that node's interfaces).
 * Failover does not wait for this entity — Announcers act on their own reachability view — the
 * entity confirms afterwards, when a node's report changes or the node is removed.
 */
public final class VipEntity {
  private VipEntity() {}

  public static final EntityTypeKey<Command> TYPE =
      EntityTypeKey.create(Command.class, "ironlb-vip");

  /** Everything a VIP entity understands. */
  public sealed interface Command extends CborSerializable {}

  /** A node's eligibility for this address, and where its Announcer is. */
  public record Eligibility(VipState.Report report, ActorRef<Announcer.Command> announcer)
      implements Command {}

  /** A node left the cluster (MemberRemoved): forget its report. */
  public record NodeRemoved(String node) implements Command {}

  /** A member left the cluster (removed after leaving, or downed and removed). */
  private record MemberGone(org.apache.pekko.cluster.Member member) implements Command {}

  /** The speakers registered when this entity started. */
  private record SpeakersFound(Receptionist.Listing listing) implements Command {}

  /** End of the first-decision grace period. */
  private record Settled() implements Command {}

  /**
   * A new entity (first start, or restarted after its shard moved with a dead node) waits this long
   * for the nodes' reports before its first decision, so it hears who is announcing before it
   * ranks: speakers re-send their reports whenever membership changes.
   */
  static final java.time.Duration GRACE = java.time.Duration.ofSeconds(1);

  /**
   * After {@link #GRACE}, a new entity waits on (checking every 250 ms) until every Up speaker has
   * reported, for at most this long: an entity that ranks without the report of the node that
   * announces the address hands it to another node while the first keeps announcing.
   */
  static final java.time.Duration MAX_GRACE = java.time.Duration.ofSeconds(5);

  /** The current ranking, for the status API and tests. */
  public record GetAssignment(ActorRef<Assignment> replyTo) implements Command {}

  /** The setting that chooses the {@link VipState.Spread}. */
  public static final String SPREAD_SETTING = "ironlb.layer2.spread";

  /** The spread this node's configuration asks for ({@code balanced} when it says nothing). */
  public static VipState.Spread spread(com.typesafe.config.Config config) {
    return config.hasPath(SPREAD_SETTING)
        ? VipState.Spread.parse(SPREAD_SETTING, config.getString(SPREAD_SETTING))
        : VipState.Spread.BALANCED;
  }

  /** Registers the entity type on this node (role {@code speaker}). */
  public static void init(ActorSystem<?> system) {
    VipState.Spread spread = spread(system.settings().config());
    ClusterSharding.get(system)
        .init(
            Entity.of(TYPE, ctx -> create(ctx.getEntityId(), spread))
                .withRole("speaker")
                // Entities keep no state across a move; never move them to a node that joins.
                .withAllocationStrategy(new StayPutAllocation()));
  }

  public static Behavior<Command> create(String vip, VipState.Spread spread) {
    return Behaviors.setup(
        ctx -> {
          Cluster cluster = Cluster.get(ctx.getSystem());
          cluster
              .subscriptions()
              .tell(
                  Subscribe.create(
                      ctx.messageAdapter(
                          ClusterEvent.MemberRemoved.class, e -> new MemberGone(e.member())),
                      ClusterEvent.MemberRemoved.class));
          // Ask every speaker for its report: the ones they sent to this entity's previous home
          // (a dead node's shard) are lost, and an entity that ranks without the report of the
          // node announcing the address hands it to another while the first keeps answering (the
          // chaos harness saw two nodes answer for 7.6 s after a kill).
          ctx.getSystem()
              .receptionist()
              .tell(
                  Receptionist.find(
                      Speaker.KEY,
                      ctx.messageAdapter(Receptionist.Listing.class, SpeakersFound::new)));
          return withCluster(vip, spread, cluster, ctx.getSelf());
        });
  }

  private static Behavior<Command> withCluster(
      String vip, VipState.Spread spread, Cluster cluster, ActorRef<Command> self) {
    return Behaviors.withTimers(
        timers -> {
          VipState state = new VipState(vip, spread);
          Map<String, ActorRef<Announcer.Command>> announcers = new HashMap<>();
          boolean[] settled = {false};
          long born = System.nanoTime();
          timers.startSingleTimer(new Settled(), GRACE);
          Runnable publish =
              () -> {
                if (!settled[0]) {
                  return;
                }
                for (String node : state.reporters()) {
                  ActorRef<Announcer.Command> a = announcers.get(node);
                  if (a != null) {
                    a.tell(new Announcer.Assign(state.assignmentFor(node)));
                  }
                }
              };
          return Behaviors.receive(Command.class)
              .onMessage(
                  Eligibility.class,
                  m -> {
                    announcers.put(m.report().node(), m.announcer());
                    if (state.report(m.report())) {
                      publish.run();
                    } else if (settled[0]) {
                      // An unchanged report (a new incarnation's, or the speakers' periodic
                      // refresh) is answered with the current assignment: an assignment lost on
                      // the way (Artery drops what overflows its queue to a peer, and a mass
                      // change sends thousands at once) would otherwise stay lost, and that node
                      // would be no standby for the address until its ranking next changed.
                      m.announcer()
                          .tell(new Announcer.Assign(state.assignmentFor(m.report().node())));
                    }
                    return Behaviors.same();
                  })
              .onMessage(
                  NodeRemoved.class,
                  m -> {
                    boolean changed = state.remove(m.node());
                    announcers.remove(m.node());
                    if (changed) {
                      publish.run();
                    }
                    return Behaviors.same();
                  })
              .onMessage(
                  MemberGone.class,
                  m -> {
                    // Forget the node only if its report came from this incarnation: a node
                    // restarted under the same name may have reported before the old one was
                    // removed.
                    String node = MembershipView.nodeName(m.member()).orElse(null);
                    ActorRef<Announcer.Command> a = node == null ? null : announcers.get(node);
                    if (a != null && addressOf(a, cluster).equals(m.member().address())) {
                      announcers.remove(node);
                      if (state.remove(node)) {
                        publish.run();
                      }
                    }
                    return Behaviors.same();
                  })
              .onMessage(
                  Settled.class,
                  m -> {
                    if (settled[0]) {
                      return Behaviors.same();
                    }
                    boolean late = System.nanoTime() - born >= MAX_GRACE.toNanos();
                    if (!late && !state.reporters().containsAll(upSpeakers(cluster))) {
                      timers.startSingleTimer(new Settled(), java.time.Duration.ofMillis(250));
                      return Behaviors.same();
                    }
                    settled[0] = true;
                    publish.run();
                    return Behaviors.same();
                  })
              .onMessage(
                  SpeakersFound.class,
                  m -> {
                    for (ActorRef<Speaker.Command> speaker :
                        m.listing().getServiceInstances(Speaker.KEY)) {
                      speaker.tell(new Speaker.ReportWanted(vip, self));
                    }
                    return Behaviors.same();
                  })
              .onMessage(
                  GetAssignment.class,
                  m -> {
                    m.replyTo().tell(state.assignmentFor(state.owner().orElse("")));
                    return Behaviors.same();
                  })
              .build();
        });
  }

  /**
   * The node names of the speakers that are Up and reachable now (an unreachable one cannot answer,
   * and waiting for it would only delay the first decision by {@link #MAX_GRACE}).
   */
  private static java.util.Set<String> upSpeakers(Cluster cluster) {
    java.util.Set<String> names = new java.util.HashSet<>();
    var state = cluster.state();
    for (org.apache.pekko.cluster.Member m : state.getMembers()) {
      if (m.status() == org.apache.pekko.cluster.MemberStatus.up()
          && m.hasRole(MembershipView.SPEAKER_ROLE)
          && !state.getUnreachable().contains(m)) {
        MembershipView.nodeName(m).ifPresent(names::add);
      }
    }
    return names;
  }

  private static Address addressOf(ActorRef<?> ref, Cluster cluster) {
    Address a = ref.path().address();
    return a.hasLocalScope() ? cluster.selfMember().address() : a;
  }
}
