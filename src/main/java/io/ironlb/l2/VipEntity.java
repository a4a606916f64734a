package io.ironlb.l2;

import io.ironlb.cluster.CborSerializable;
import io.ironlb.cluster.StayPutAllocation;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * One per group of addresses ({@link #groupOf}), sharded over the speakers: collects each node's
 * eligibility reports for the group's addresses and sends every reporting node's Announcer the
 * newest {@link Assignment}s (with that node's interfaces), in one message per node per change.
 * Failover does not wait for this entity — Announcers act on their own reachability view — the
 * entity confirms afterwards, when a node's report changes or the node is removed. The decisions
 * are {@link VipGroup}'s.
 */
public final class VipEntity {
  private VipEntity() {}

  public static final EntityTypeKey<Command> TYPE =
      EntityTypeKey.create(Command.class, "ironlb-vip");

  /**
   * The number of groups addresses are spread over. Every node must use the same number (an address
   * must have one entity cluster-wide), so it is a constant, not a setting. At 10,000 addresses a
   * group holds about 100, and a report or an assignment message about 10 KB.
   */
  public static final int GROUPS = 100;

  /** The group (entity id) of an address: the same on every node. */
  public static String groupOf(String vip) {
    // String.hashCode is specified by the JLS, so every JVM agrees.
    return Integer.toString(Math.floorMod(vip.hashCode(), GROUPS));
  }

  /** Everything a VIP entity understands. */
  public sealed interface Command extends CborSerializable {}

  /**
   * One node's reports on addresses of this group (address → report), and where its Announcer is. A
   * batch may hold any subset of the group's addresses; an empty one still tells the entity the
   * node has spoken (the answer to {@link Speaker.ReportWanted}).
   */
  public record Eligibility(
      String node, Map<String, VipState.Report> reports, ActorRef<Announcer.Command> announcer)
      implements Command {

    public Eligibility {
      reports = Map.copyOf(reports);
    }

    /** One report. */
    public Eligibility(String vip, VipState.Report report, ActorRef<Announcer.Command> announcer) {
      this(report.node(), Map.of(vip, report), announcer);
    }
  }

  /** A node left the cluster (MemberRemoved): forget its reports. */
  public record NodeRemoved(String node) implements Command {}

  /** A member left the cluster (removed after leaving, or downed and removed). */
  private record MemberGone(org.apache.pekko.cluster.Member member) implements Command {}

  /** The speakers registered when this entity started. */
  private record SpeakersFound(Receptionist.Listing listing) implements Command {}

  /** Time to check the first decisions that wait for reports. */
  private record DecideDue() implements Command {}

  /** How often first decisions that wait for reports are checked. */
  private static final java.time.Duration DECIDE_CHECK = java.time.Duration.ofMillis(250);

  /** An address's current assignment (as its owner receives it), for the status API and tests. */
  public record GetAssignment(String vip, ActorRef<Optional<Assignment>> replyTo)
      implements Command {}

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

  public static Behavior<Command> create(String group, VipState.Spread spread) {
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
          // Ask every speaker for its reports: the ones they sent to this entity's previous home
          // (a dead node's shard) are lost, and an entity that ranks without the report of the
          // node announcing an address hands it to another while the first keeps answering (the
          // chaos harness saw two nodes answer for 7.6 s after a kill).
          ctx.getSystem()
              .receptionist()
              .tell(
                  Receptionist.find(
                      Speaker.KEY,
                      ctx.messageAdapter(Receptionist.Listing.class, SpeakersFound::new)));
          return Behaviors.withTimers(
              timers -> running(group, new VipGroup(spread), cluster, ctx.getSelf(), timers));
        });
  }

  private static Behavior<Command> running(
      String group,
      VipGroup decisions,
      Cluster cluster,
      ActorRef<Command> self,
      TimerScheduler<Command> timers) {
    Map<String, ActorRef<Announcer.Command>> announcers = new HashMap<>();
    java.util.function.Consumer<Map<String, List<Assignment>>> send =
        out -> {
          out.forEach(
              (node, assignments) -> {
                ActorRef<Announcer.Command> a = announcers.get(node);
                if (a != null) {
                  a.tell(new Announcer.Assign(assignments));
                }
              });
          if (decisions.waiting() && !timers.isTimerActive("decide")) {
            timers.startSingleTimer("decide", new DecideDue(), DECIDE_CHECK);
          }
        };
    return Behaviors.receive(Command.class)
        .onMessage(
            Eligibility.class,
            m -> {
              announcers.put(m.node(), m.announcer());
              send.accept(
                  decisions.report(m.node(), m.reports(), upSpeakers(cluster), System.nanoTime()));
              return Behaviors.same();
            })
        .onMessage(
            NodeRemoved.class,
            m -> {
              send.accept(decisions.remove(m.node()));
              announcers.remove(m.node());
              return Behaviors.same();
            })
        .onMessage(
            MemberGone.class,
            m -> {
              // Forget the node only if its reports came from this incarnation: a node restarted
              // under the same name may have reported before the old one was removed.
              String node = MembershipView.nodeName(m.member()).orElse(null);
              ActorRef<Announcer.Command> a = node == null ? null : announcers.get(node);
              if (a != null && addressOf(a, cluster).equals(m.member().address())) {
                send.accept(decisions.remove(node));
                announcers.remove(node);
              }
              return Behaviors.same();
            })
        .onMessage(
            DecideDue.class,
            m -> {
              send.accept(decisions.decideDue(upSpeakers(cluster), System.nanoTime()));
              return Behaviors.same();
            })
        .onMessage(
            SpeakersFound.class,
            m -> {
              for (ActorRef<Speaker.Command> speaker :
                  m.listing().getServiceInstances(Speaker.KEY)) {
                speaker.tell(new Speaker.ReportWanted(group, self));
              }
              return Behaviors.same();
            })
        .onMessage(
            GetAssignment.class,
            m -> {
              m.replyTo().tell(decisions.assignment(m.vip()));
              return Behaviors.same();
            })
        .build();
  }

  /**
   * The node names of the speakers that are Up and reachable now (an unreachable one cannot answer,
   * and waiting for it would only delay a first decision by {@link VipGroup#FIRST_DECISION_LIMIT}).
   */
  private static Set<String> upSpeakers(Cluster cluster) {
    Set<String> names = new HashSet<>();
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
