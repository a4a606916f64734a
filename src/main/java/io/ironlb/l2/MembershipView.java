package io.ironlb.l2;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

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

  /** The view, from the members and the unreachable ones. */
  public static Announcer.MembershipChanged view(
      Iterable<Member> members, Set<Member> unreachable) {
    return view(members, unreachable, null, false, false);
  }

  /**
   * The view, with this node's own state: {@code self} downed, removed after it had joined, or the
   * cluster extension shutting down, puts this node in {@link Announcer.MembershipChanged#gone()}.
   * (Before it joins, Pekko reports this node's own status as Removed too.)
   */
  public static Announcer.MembershipChanged view(
      Iterable<Member> members,
      Set<Member> unreachable,
      Member self,
      boolean joined,
      boolean shuttingDown) {
    List<Member> sorted = new ArrayList<>();
    StreamSupport.stream(members.spliterator(), false)
        .filter(m -> m.hasRole(SPEAKER_ROLE))
        .filter(m -> m.status() != MemberStatus.joining() && m.status() != MemberStatus.removed())
        .forEach(sorted::add);
    sorted.sort(Member.ordering());
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
    return new Announcer.MembershipChanged(names, away, leaving, gone);
  }

  /** An actor that keeps {@code announcer} informed; one per node. */
  public static Behavior<ClusterEvent.ClusterDomainEvent> adapter(
      ActorRef<Announcer.Command> announcer) {
    return Behaviors.setup(
        ctx -> {
          Cluster cluster = Cluster.get(ctx.getSystem());
          boolean[] joined = {false};
          cluster
              .subscriptions()
              .tell(Subscribe.create(ctx.getSelf(), ClusterEvent.ClusterDomainEvent.class));
          return Behaviors.receive(ClusterEvent.ClusterDomainEvent.class)
              .onAnyMessage(
                  e -> {
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
                                || cluster.isTerminated()));
                    return Behaviors.same();
                  })
              .build();
        });
  }
}
