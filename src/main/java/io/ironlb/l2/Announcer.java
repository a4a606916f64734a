package io.ironlb.l2;

import io.ironlb.cluster.CborSerializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One per node. Announces an address iff this node is the first reachable candidate of the newest
 * {@link Assignment} for it and the node is not fenced. It acts on its own reachability view at
 * once: when the owner becomes unreachable, the first reachable standby announces without waiting
 * for the split-brain resolver, removal or shard hand-off (DESIGN: failover must not wait for
 * downing). When its view puts it on the side keep-majority will down, it withdraws everything
 * ({@link Fence}).
 */
public final class Announcer extends AbstractBehavior<Announcer.Command> {

  /** Everything the Announcer understands. */
  public sealed interface Command {}

  /** A VIP entity's newest decision for an address. */
  public record Assign(Assignment assignment) implements Command, CborSerializable {}

  /** The address is gone (its Service deleted or no longer on layer 2). */
  public record Unassign(String vip, long epoch) implements Command, CborSerializable {}

  /**
   * This node's view of the speakers.
   *
   * @param members node names in the cluster's address order (for keep-majority's tie-break)
   * @param unreachable the members this node's failure detector cannot reach
   * @param leaving members on their way out (a planned stop): skipped as announcers at once, so
   *     their successor answers before they withdraw, but not counted against the majority
   */
  public record MembershipChanged(
      List<String> members, Set<String> unreachable, Set<String> leaving) implements Command {
    public MembershipChanged(List<String> members, Set<String> unreachable) {
      this(members, unreachable, Set.of());
    }
  }

  /** Withdraw everything before the process leaves; replies when done. */
  public record PlannedStop(ActorRef<Done> replyTo) implements Command {}

  /** For the status API and tests. */
  public record GetState(ActorRef<State> replyTo) implements Command {}

  /**
   * What this node announces, whether it is fenced, and for every address it has an assignment for,
   * the node that announces it in this node's view (absent when nobody can).
   */
  public record State(Set<String> announced, boolean fenced, Map<String, String> owners) {
    public State(Set<String> announced, boolean fenced) {
      this(announced, fenced, Map.of());
    }
  }

  private final String self;
  private final ActorRef<LinkCommand> link;
  private final ActorRef<State> observer;
  private final Map<String, Assignment> assignments = new HashMap<>();
  private final Map<String, Set<String>> announced = new HashMap<>();
  private List<String> members;
  private Set<String> unreachable = Set.of();
  private Set<String> unavailable = Set.of();
  private boolean fenced;
  private boolean stopping;

  public static Behavior<Command> create(String self, ActorRef<LinkCommand> link) {
    return create(self, link, null);
  }

  /** With an observer that hears every change of {@link State} (the status API). */
  public static Behavior<Command> create(
      String self, ActorRef<LinkCommand> link, ActorRef<State> observer) {
    return Behaviors.setup(ctx -> new Announcer(ctx, self, link, observer));
  }

  private Announcer(
      ActorContext<Command> ctx,
      String self,
      ActorRef<LinkCommand> link,
      ActorRef<State> observer) {
    super(ctx);
    this.self = self;
    this.link = link;
    this.observer = observer;
    this.members = List.of(self);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Assign.class, this::onAssign)
        .onMessage(Unassign.class, this::onUnassign)
        .onMessage(MembershipChanged.class, this::onMembership)
        .onMessage(PlannedStop.class, this::onPlannedStop)
        .onMessage(
            GetState.class,
            m -> {
              m.replyTo().tell(state());
              return this;
            })
        .build();
  }

  private Behavior<Command> onAssign(Assign m) {
    Assignment a = m.assignment();
    Assignment before = assignments.get(a.vip());
    if (before != null && before.epoch() > a.epoch()) {
      return this; // an older decision overtaken by a newer one
    }
    assignments.put(a.vip(), a);
    return reconcile();
  }

  private Behavior<Command> onUnassign(Unassign m) {
    Assignment before = assignments.get(m.vip());
    if (before != null && before.epoch() <= m.epoch()) {
      assignments.remove(m.vip());
    }
    return reconcile();
  }

  private Behavior<Command> onMembership(MembershipChanged m) {
    members = m.members().contains(self) ? List.copyOf(m.members()) : withSelf(m.members());
    unreachable = Set.copyOf(m.unreachable());
    Set<String> skip = new java.util.HashSet<>(m.unreachable());
    skip.addAll(m.leaving());
    skip.remove(self);
    unavailable = Set.copyOf(skip);
    boolean nowFenced =
        Fence.shouldFence(
            members,
            unreachable,
            (x, y) -> Integer.compare(members.indexOf(x), members.indexOf(y)));
    if (nowFenced != fenced) {
      if (nowFenced) {
        getContext()
            .getLog()
            .warn(
                "fenced: this node cannot reach a majority ({} of {} unreachable); withdrawing every address",
                unreachable.size(),
                members.size());
      } else {
        getContext().getLog().info("fence lifted: a majority is reachable again");
      }
      fenced = nowFenced;
    }
    return reconcile();
  }

  private List<String> withSelf(List<String> others) {
    List<String> all = new ArrayList<>(others);
    all.add(self);
    return all;
  }

  private Behavior<Command> onPlannedStop(PlannedStop m) {
    stopping = true;
    reconcile();
    m.replyTo().tell(Done.getInstance());
    return this;
  }

  /** Brings what is announced in line with what should be. */
  private Behavior<Command> reconcile() {
    Map<String, Set<String>> wanted = new HashMap<>();
    if (!fenced && !stopping) {
      Set<String> skip = skipped();
      for (Assignment a : assignments.values()) {
        if (self.equals(a.announcer(skip))) {
          wanted.put(a.vip(), a.interfaces());
        }
      }
    }
    for (String vip : new TreeSet<>(announced.keySet())) {
      if (!wanted.containsKey(vip)) {
        getContext()
            .getLog()
            .info("withdrawing {}{}", vip, fenced ? " (fenced)" : stopping ? " (stopping)" : "");
        link.tell(new LinkCommand.Withdraw(vip));
        announced.remove(vip);
      }
    }
    for (var e : new java.util.TreeMap<>(wanted).entrySet()) {
      if (!Objects.equals(announced.get(e.getKey()), e.getValue())) {
        getContext().getLog().info("announcing {}", e.getKey());
        link.tell(new LinkCommand.Announce(e.getKey(), e.getValue()));
        announced.put(e.getKey(), e.getValue());
      }
    }
    if (observer != null) {
      observer.tell(state());
    }
    return this;
  }

  /**
   * The candidates that cannot announce in this node's view: unreachable or leaving members, and
   * nodes that are no longer members at all. A dead owner is downed and removed some seconds after
   * it became unreachable; until its VIP entity forgets it, it is still first in the ranking and
   * must not count as available again just because it left the unreachable set.
   */
  private Set<String> skipped() {
    Set<String> skip = new java.util.HashSet<>(unavailable);
    for (Assignment a : assignments.values()) {
      for (String c : a.candidates()) {
        if (!members.contains(c)) {
          skip.add(c);
        }
      }
    }
    skip.remove(self);
    return skip;
  }

  private State state() {
    Map<String, String> owners = new java.util.TreeMap<>();
    // A fenced or stopping node does not announce, whatever the ranking says.
    Set<String> skip = new java.util.HashSet<>(skipped());
    if (fenced || stopping) {
      skip.add(self);
    }
    for (Assignment a : assignments.values()) {
      String owner = a.announcer(skip);
      if (owner != null) {
        owners.put(a.vip(), owner);
      }
    }
    return new State(Set.copyOf(announced.keySet()), fenced, owners);
  }
}
