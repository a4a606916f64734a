package io.ironlb.l2;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.Reachability;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Turns this node's view of the Pekko cluster into the Announcer's {@link
 * Announcer.MembershipChanged}: speaker members by node name (the {@code node=NAME} role), in
 * address order, with those this node cannot reach and those leaving. Reachability comes from this
 * node's own failure detector, so a takeover never waits for the split-brain resolver.
 */
public final class MembershipView {
  public static final String SPEAKER_ROLE = "speaker";
  public static final String NODE_ROLE_PREFIX = "node=";

  private MembershipView() {}

  public static Optional<String> nodeName(Member m) {
    return m.getRoles().stream()
        .filter(r -> r.startsWith(NODE_ROLE_PREFIX))
        .map(r -> r.substring(NODE_ROLE_PREFIX.length()))
        .findFirst();
  }

  /** The view, from the members and the unreachable ones (judged as a clean split). */
  public static Announcer.MembershipChanged view(
      Iterable<Member> members, Set<Member> unreachable) {
    return view(members, unreachable, null, false, false, null);
  }

  /**
   * The view, with this node's own state and the cluster's reachability table. {@code self} downed,
   * removed after it had joined, or the cluster extension shutting down, puts this node in {@link
   * Announcer.MembershipChanged#gone()} (before it joins, Pekko reports this node's own status as
   * Removed too). With the table, the members the split-brain resolver will down ({@link
   * Fence#toBeDowned}) count as unreachable, and {@code losing} says whether this node is among
   * them; without it, the gossiped unreachable set is judged as a clean split.
   *
   * @param table the reachability table's unreachable records, or null when none was seen yet
   */
  public static Announcer.MembershipChanged view(
      Iterable<Member> members,
      Set<Member> unreachable,
      Member self,
      boolean joined,
      boolean shuttingDown,
      List<Fence.Unreachable<UniqueAddress>> table) {
    List<Member> all = new ArrayList<>();
    members.forEach(all::add);
    all.sort(Member.ordering());
    List<Member> sorted =
        all.stream()
            .filter(m -> m.hasRole(SPEAKER_ROLE))
            .filter(
                m -> m.status() != MemberStatus.joining() && m.status() != MemberStatus.removed())
            .toList();
    List<String> names = new ArrayList<>();
    Set<String> leaving = new HashSet<>();
    Set<String> gone = new HashSet<>();
    for (Member m : sorted) {
      nodeName(m)
          .ifPresent(
              n -> {
                names.add(n);
                MemberStatus s = m.status();
                if (s == MemberStatus.leaving() || s == MemberStatus.exiting()) {
                  leaving.add(n);
                } else if (s == MemberStatus.down()) {
                  gone.add(n);
                }
              });
    }
    String selfName = self == null ? null : nodeName(self).orElse(null);
    if (self != null) {
      MemberStatus s = self.status();
      if (shuttingDown || s == MemberStatus.down() || joined && s == MemberStatus.removed()) {
        nodeName(self).ifPresent(gone::add);
      } else if (s == MemberStatus.leaving() || s == MemberStatus.exiting()) {
        nodeName(self).ifPresent(leaving::add);
      }
    }
    Set<String> away = new HashSet<>();
    for (Member m : unreachable) {
      nodeName(m).filter(names::contains).ifPresent(away::add);
    }
    if (table == null || self == null) {
      return new Announcer.MembershipChanged(names, away, leaving, gone);
    }
    // The resolver counts every member (all roles) that is Up or Leaving, in address order.
    List<UniqueAddress> counted =
        all.stream()
            .filter(m -> m.status() == MemberStatus.up() || m.status() == MemberStatus.leaving())
            .map(Member::uniqueAddress)
            .toList();
    Set<UniqueAddress> doomed = Fence.toBeDowned(counted, table, self.uniqueAddress());
    for (Member m : all) {
      if (doomed.contains(m.uniqueAddress())) {
        nodeName(m).filter(names::contains).ifPresent(away::add);
      }
    }
    if (selfName != null) {
      away.remove(selfName);
    }
    Map<String, Long> incarnations = new HashMap<>();
    for (Member m : sorted) {
      nodeName(m).ifPresent(n -> incarnations.put(n, m.uniqueAddress().longUid()));
    }
    return new Announcer.MembershipChanged(
        names, away, leaving, gone, doomed.contains(self.uniqueAddress()), incarnations);
  }

  /** The unreachable (or terminated) records of a reachability table. */
  static List<Fence.Unreachable<UniqueAddress>> table(Reachability reachability) {
    List<Fence.Unreachable<UniqueAddress>> out = new ArrayList<>();
    for (Reachability.Record r : CollectionConverters.asJava(reachability.records())) {
      if (r.status() != Reachability.Reachable$.MODULE$) {
        out.add(new Fence.Unreachable<>(r.observer(), r.subject()));
      }
    }
    return out;
  }

  /** An actor that keeps {@code announcer} informed; one per node. */
  public static Behavior<ClusterEvent.ClusterDomainEvent> adapter(
      ActorRef<Announcer.Command> announcer) {
    return Behaviors.setup(ctx -> new Adapter(ctx, announcer));
  }

  /**
   * Builds its own picture of the cluster from the events alone. Reading {@code Cluster.state()}
   * instead raced with the cluster's read view, which is updated by another actor from the same
   * events: the last event (a leaver's removal) could be answered with the state from before it,
   * and with no later event the Announcer kept a removed member for good.
   */
  private static final class Adapter extends AbstractBehavior<ClusterEvent.ClusterDomainEvent> {
    private final ActorRef<Announcer.Command> announcer;
    private final Cluster cluster;
    private final UniqueAddress selfAddress;
    private final Map<UniqueAddress, Member> members = new HashMap<>();
    private List<Fence.Unreachable<UniqueAddress>> table = List.of();
    private boolean joined;
    private boolean shuttingDown;

    /**
     * The view last told: an unchanged one is not told again. Pekko publishes the reachability
     * table whenever any observer's record in it changes, and under load that is several times a
     * second; each view costs the Announcer a pass over every address it knows (a sixth of an idle
     * node's CPU with 6,000 addresses, by a flight recording).
     */
    private Announcer.MembershipChanged told;

    Adapter(
        ActorContext<ClusterEvent.ClusterDomainEvent> ctx, ActorRef<Announcer.Command> announcer) {
      super(ctx);
      this.announcer = announcer;
      this.cluster = Cluster.get(ctx.getSystem());
      this.selfAddress = cluster.selfMember().uniqueAddress();
      // Typed subscriptions replay the current state as events first.
      cluster
          .subscriptions()
          .tell(Subscribe.create(ctx.getSelf(), ClusterEvent.ClusterDomainEvent.class));
    }

    @Override
    public Receive<ClusterEvent.ClusterDomainEvent> createReceive() {
      return newReceiveBuilder().onAnyMessage(this::onEvent).build();
    }

    private Behavior<ClusterEvent.ClusterDomainEvent> onEvent(ClusterEvent.ClusterDomainEvent e) {
      if (e instanceof ClusterEvent.MemberRemoved r) {
        members.remove(r.member().uniqueAddress());
      } else if (e instanceof ClusterEvent.MemberEvent m) {
        members.put(m.member().uniqueAddress(), m.member());
      } else if (e instanceof ClusterEvent.ReachabilityChanged r) {
        // Pekko publishes the whole table on every change of it (the event the resolver itself
        // decides from), after the UnreachableMember and ReachableMember events of the same
        // change. Both the unreachable set and the resolver's prediction come from this one table:
        // read from the per-member events, they were a step apart, and the view in between (a
        // member reachable again, judged by the old table) was one no node should act on.
        table = table(r.reachability());
      } else if (e instanceof ClusterEvent.ClusterShuttingDown$) {
        shuttingDown = true;
      } else {
        return this; // leader, role leader and seen changes say nothing the Announcer uses
      }
      Member self = members.get(selfAddress);
      if (self != null
          && self.status() != MemberStatus.joining()
          && self.status() != MemberStatus.removed()) {
        joined = true;
      }
      // Removed after it had joined: this node is out of the cluster for good.
      boolean removed = joined && self == null;
      Set<Member> unreachable = new HashSet<>();
      for (Fence.Unreachable<UniqueAddress> r : table) {
        Member m = members.get(r.subject());
        if (m != null && !r.subject().equals(selfAddress)) {
          unreachable.add(m);
        }
      }
      Announcer.MembershipChanged now =
          view(
              members.values(),
              unreachable,
              self != null ? self : cluster.selfMember(),
              joined,
              shuttingDown || removed || cluster.isTerminated(),
              table);
      if (!now.equals(told)) {
        told = now;
        announcer.tell(now);
      }
      return this;
    }
  }
}
