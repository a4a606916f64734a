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
import org.apache.pekko.actor.typed.javadsl.Behaviors;
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
    return Behaviors.setup(
        ctx -> {
          Cluster cluster = Cluster.get(ctx.getSystem());
          boolean[] joined = {false};
          List<List<Fence.Unreachable<UniqueAddress>>> table = new ArrayList<>(List.of(List.of()));
          cluster
              .subscriptions()
              .tell(Subscribe.create(ctx.getSelf(), ClusterEvent.ClusterDomainEvent.class));
          return Behaviors.receive(ClusterEvent.ClusterDomainEvent.class)
              .onAnyMessage(
                  e -> {
                    // Pekko publishes the whole table on every change of it (the event the
                    // resolver itself decides from).
                    if (e instanceof ClusterEvent.ReachabilityChanged r) {
                      table.set(0, table(r.reachability()));
                    }
                    var state = cluster.state();
                    Member self = cluster.selfMember();
                    joined[0] |=
                        self.status() != MemberStatus.removed()
                            && self.status() != MemberStatus.joining();
                    announcer.tell(
                        view(
                            state.getMembers(),
                            state.getUnreachable(),
                            self,
                            joined[0],
                            e instanceof ClusterEvent.ClusterShuttingDown$
                                || cluster.isTerminated(),
                            table.get(0)));
                    return Behaviors.same();
                  })
              .build();
        });
  }
}
