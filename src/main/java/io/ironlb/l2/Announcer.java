package io.ironlb.l2;

import io.ironlb.cluster.CborSerializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

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

  /** A VIP entity's newest decisions for addresses of its group. */
  public record Assign(List<Assignment> assignments) implements Command, CborSerializable {
    public Assign {
      assignments = List.copyOf(assignments);
    }

    /** One decision. */
    public Assign(Assignment assignment) {
      this(List.of(assignment));
    }
  }

  /** The address is gone (its Service deleted or no longer on layer 2). */
  public record Unassign(String vip, long epoch) implements Command, CborSerializable {}

  /**
   * This node's view of the speakers.
   *
   * @param members node names in the cluster's address order (for keep-majority's tie-break)
   * @param unreachable the members this node's failure detector cannot reach
   * @param leaving members on their way out (a planned stop): skipped as announcers at once, so
   *     their successor answers before they withdraw, but not counted against the majority
   * @param gone members that are downed, removed or shutting down; when this node is among them it
   *     never announces again
   * @param losing this node is on the side the split-brain resolver will down ({@link
   *     Fence#toBeDowned}): it fences itself at once
   * @param incarnations each member's incarnation (its unique address's uid): a node that comes
   *     back under the same name is a new process that announces nothing yet
   */
  public record MembershipChanged(
      List<String> members,
      Set<String> unreachable,
      Set<String> leaving,
      Set<String> gone,
      boolean losing,
      Map<String, Long> incarnations)
      implements Command {

    public MembershipChanged(
        List<String> members,
        Set<String> unreachable,
        Set<String> leaving,
        Set<String> gone,
        boolean losing) {
      this(members, unreachable, leaving, gone, losing, Map.of());
    }

    /** A view from the unreachable set alone, judged by keep-majority as a clean split. */
    public MembershipChanged(List<String> members, Set<String> unreachable) {
      this(members, unreachable, Set.of(), Set.of());
    }

    public MembershipChanged(List<String> members, Set<String> unreachable, Set<String> leaving) {
      this(members, unreachable, leaving, Set.of());
    }

    public MembershipChanged(
        List<String> members, Set<String> unreachable, Set<String> leaving, Set<String> gone) {
      this(
          members,
          unreachable,
          leaving,
          gone,
          Fence.shouldFence(
              members,
              unreachable,
              (x, y) -> Integer.compare(members.indexOf(x), members.indexOf(y))));
    }
  }

  /** Withdraw everything before the process leaves; replies when done. */
  public record PlannedStop(ActorRef<Done> replyTo) implements Command {}

  /** For the status API and tests. */
  public record GetState(ActorRef<State> replyTo) implements Command {}

  /** Time for the next planned move waiting for its turn. */
  private record StartWaiting() implements Command {}

  /**
   * What changed in what this node announces, told to the observer after each message that changed
   * something: deltas, so that a mass failover of thousands of addresses costs the observer
   * thousands of small messages, not thousands of copies of the whole set.
   *
   * @param tookOver the started addresses that are failovers — a candidate ranked before this node
   *     became unreachable — each with the time from this node's failure detector marking it
   *     unreachable to this announcement
   */
  public record Change(
      Set<String> started, Set<String> stopped, boolean fenced, Map<String, Duration> tookOver) {
    public Change(Set<String> started, Set<String> stopped, boolean fenced) {
      this(started, stopped, fenced, Map.of());
    }
  }

  /**
   * What this node announces, whether it is fenced, for every address it has an assignment for the
   * node that announces it in this node's view (absent when nobody can), and the addresses whose
   * newest assignment is a planned move.
   */
  public record State(
      Set<String> announced, boolean fenced, Map<String, String> owners, Set<String> moving) {
    public State(Set<String> announced, boolean fenced) {
      this(announced, fenced, Map.of());
    }

    public State(Set<String> announced, boolean fenced, Map<String, String> owners) {
      this(announced, fenced, owners, Set.of());
    }
  }

  /** How often a node takes over one address in a planned move, unless configured otherwise. */
  public static final Duration PLANNED_MOVE_INTERVAL = Duration.ofMillis(100);

  private final String self;
  private final ActorRef<LinkCommand> link;
  private final ActorRef<Change> observer;
  private final TimerScheduler<Command> timers;

  /**
   * Planned moves to this node start one per this interval: a rebalance of thousands of addresses
   * is a trickle of gratuitous ARP and cache updates on the segment, not a burst, and the old owner
   * answers for each address until its turn has come.
   */
  private final long plannedMoveNanos;

  /** When (System.nanoTime) the next planned move may start. */
  private long nextPlannedMove;

  /** Planned moves waiting for their turn, oldest first. */
  private final Set<String> waiting = new java.util.LinkedHashSet<>();

  private final Map<String, Assignment> assignments = new HashMap<>();

  /** A counter of the messages that matter for ordering: assignments and membership changes. */
  private long clock;

  /** When (on {@link #clock}) each address's newest assignment arrived. */
  private final Map<String, Long> assignedAt = new HashMap<>();

  /** Each member's incarnation, and when (on {@link #clock}) it replaced an earlier one. */
  private final Map<String, Long> incarnation = new HashMap<>();

  private final Map<String, Long> reincarnatedAt = new HashMap<>();
  private final Map<String, Set<String>> announced = new HashMap<>();
  private List<String> members;
  private Set<String> memberSet;
  private Set<String> unreachable = Set.of();

  /** When each unreachable member was first seen unreachable (System.nanoTime). */
  private final Map<String, Long> unreachableSince = new HashMap<>();

  private Set<String> unavailable = Set.of();
  private boolean fenced;

  /** The most members this node knew of while fenced: a fence lifts only for a majority of them. */
  private int knownWhenFenced;

  private boolean fenceChanged;
  private boolean stopping;

  /**
   * This node is leaving the cluster: it keeps what it announces until its planned stop (so no
   * request goes unanswered while its successors take over) but starts nothing new.
   */
  private boolean leaving;

  public static Behavior<Command> create(String self, ActorRef<LinkCommand> link) {
    return create(self, link, null, PLANNED_MOVE_INTERVAL);
  }

  /**
   * @param observer hears every {@link Change} (the Speaker), or null
   * @param plannedMoveInterval planned moves to this node start one per this interval
   */
  public static Behavior<Command> create(
      String self,
      ActorRef<LinkCommand> link,
      ActorRef<Change> observer,
      Duration plannedMoveInterval) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new Announcer(ctx, timers, self, link, observer, plannedMoveInterval)));
  }

  private Announcer(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      String self,
      ActorRef<LinkCommand> link,
      ActorRef<Change> observer,
      Duration plannedMoveInterval) {
    super(ctx);
    this.timers = timers;
    this.self = self;
    this.link = link;
    this.observer = observer;
    this.plannedMoveNanos = plannedMoveInterval.toNanos();
    this.nextPlannedMove = System.nanoTime();
    this.members = List.of(self);
    this.memberSet = Set.of(self);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Assign.class, this::onAssign)
        .onMessage(Unassign.class, this::onUnassign)
        .onMessage(MembershipChanged.class, this::onMembership)
        .onMessage(PlannedStop.class, this::onPlannedStop)
        .onMessage(StartWaiting.class, m -> startWaiting())
        .onMessage(
            GetState.class,
            m -> {
              m.replyTo().tell(state());
              return this;
            })
        .build();
  }

  private Behavior<Command> onAssign(Assign m) {
    List<String> vips = new ArrayList<>(m.assignments().size());
    clock++;
    // One boxed clock for the whole batch, and an unchanged assignment keeps the object already
    // held: the 15 s refresh repeats every assignment, and objects replaced at that pace outlive
    // the young generation, fill the old one and cost the node full collections.
    Long now = clock;
    for (Assignment a : m.assignments()) {
      Assignment before = assignments.get(a.vip());
      if (before != null && before.epoch() > a.epoch()) {
        continue; // an older decision overtaken by a newer one
      }
      if (!a.equals(before)) {
        assignments.put(a.vip(), a);
      }
      assignedAt.put(a.vip(), now);
      vips.add(a.vip());
    }
    return vips.isEmpty() ? this : reconcile(vips);
  }

  private Behavior<Command> onUnassign(Unassign m) {
    Assignment before = assignments.get(m.vip());
    if (before != null && before.epoch() <= m.epoch()) {
      assignments.remove(m.vip());
      assignedAt.remove(m.vip());
    }
    return reconcile(List.of(m.vip()));
  }

  private Behavior<Command> onMembership(MembershipChanged m) {
    clock++;
    m.incarnations()
        .forEach(
            (name, uid) -> {
              Long before = incarnation.put(name, uid);
              if (before != null && !before.equals(uid)) {
                // Restarted under the same name: a fresh process that announces nothing until an
                // entity assigns it something. Older assignments naming it skip it.
                reincarnatedAt.put(name, clock);
              }
            });
    members = m.members().contains(self) ? List.copyOf(m.members()) : withSelf(m.members());
    memberSet = Set.copyOf(members);
    unreachable = Set.copyOf(m.unreachable());
    long now = System.nanoTime();
    unreachableSince.keySet().retainAll(unreachable);
    unreachable.forEach(n -> unreachableSince.putIfAbsent(n, now));
    Set<String> skip = new java.util.HashSet<>(m.unreachable());
    skip.addAll(m.leaving());
    skip.addAll(m.gone());
    skip.remove(self);
    unavailable = Set.copyOf(skip);
    // A node that is downed, removed or shutting down never announces again, and one that is
    // leaving starts nothing new: both states only ever end with the process (DESIGN: a node on
    // its way out sends nothing more). Latched, whatever later views say.
    if (m.gone().contains(self) && !stopping) {
      getContext().getLog().info("this node is down or shutting down: it announces nothing more");
      stopping = true;
    }
    leaving |= m.leaving().contains(self);
    long reachable = members.stream().filter(n -> !unreachable.contains(n)).count();
    // While any member is downed (and not yet removed), the resolver is acting: its decisions
    // arrive one member at a time, so the view can show the other side downed before this node.
    // A fence stays up until that is over (the chaos harness's pair cut caught a fence lifted in
    // that gap, and one gratuitous ARP for an address another node owned).
    boolean downingUnderWay = !m.gone().isEmpty();
    boolean nowFenced =
        fenced
            ? downingUnderWay || !Fence.mayLift(m.losing(), reachable, knownWhenFenced)
            : m.losing();
    knownWhenFenced = nowFenced ? Math.max(knownWhenFenced, members.size()) : 0;
    if (nowFenced != fenced) {
      if (nowFenced) {
        getContext()
            .getLog()
            .warn(
                "fenced: the split-brain resolver will down this node ({} of {} members unreachable"
                    + " in its view); withdrawing every address",
                unreachable.size(),
                members.size());
      } else {
        getContext().getLog().info("fence lifted: a majority is reachable again");
      }
      fenced = nowFenced;
      fenceChanged = true;
    }
    return reconcileAll();
  }

  private List<String> withSelf(List<String> others) {
    List<String> all = new ArrayList<>(others);
    all.add(self);
    return all;
  }

  private Behavior<Command> onPlannedStop(PlannedStop m) {
    stopping = true;
    reconcileAll();
    m.replyTo().tell(Done.getInstance());
    return this;
  }

  private Behavior<Command> reconcileAll() {
    Set<String> vips = new TreeSet<>(assignments.keySet());
    vips.addAll(announced.keySet());
    return reconcile(vips);
  }

  /**
   * Brings what is announced for these addresses in line with what should be: an assignment costs
   * the work of its own address, so thousands arriving at once cost linear time.
   */
  private Behavior<Command> reconcile(java.util.Collection<String> vips) {
    Set<String> started = new TreeSet<>();
    Set<String> stopped = new TreeSet<>();
    Map<String, Duration> tookOver = new HashMap<>();
    for (String vip : vips) {
      Assignment a = assignments.get(vip);
      Set<String> have = announced.get(vip);
      boolean active = a != null && !fenced && !stopping;
      boolean first = active && self.equals(a.announcer(c -> canAnnounce(c, vip)));
      // The node handing over keeps what it announces until the entity has seen the new owner
      // announce; it never starts an address on that account.
      boolean keep = active && have != null && self.equals(a.handingOver());
      Set<String> want = first || keep ? a.interfaces() : null;
      if (first && have == null && !leaving && planned(a) && !turnFor(vip)) {
        continue;
      }
      if (want == null && have != null) {
        link.tell(new LinkCommand.Withdraw(vip));
        announced.remove(vip);
        stopped.add(vip);
      } else if (want != null && !want.equals(have) && !(leaving && have == null)) {
        link.tell(new LinkCommand.Announce(vip, want));
        announced.put(vip, want);
        if (have == null) {
          started.add(vip);
          Long since = failedOwnerSince(a);
          if (since != null) {
            tookOver.put(vip, Duration.ofNanos(System.nanoTime() - since));
          }
        }
      }
    }
    logChanges(started, stopped);
    if (observer != null && (!started.isEmpty() || !stopped.isEmpty() || fenceChanged)) {
      observer.tell(new Change(started, stopped, fenced, tookOver));
    }
    fenceChanged = false;
    return this;
  }

  /**
   * Whether starting this address is a planned move: the node handing it over still answers in this
   * node's view. If it is gone, unreachable or leaving, starting is a failover and waits for
   * nothing.
   */
  private boolean planned(Assignment a) {
    String holder = a.handingOver();
    return holder != null && !holder.equals(self) && canAnnounce(holder, a.vip());
  }

  /** Whether a planned move may start now; if not, it waits for its turn. */
  private boolean turnFor(String vip) {
    long now = System.nanoTime();
    if (now - nextPlannedMove >= 0) {
      nextPlannedMove = now + plannedMoveNanos;
      waiting.remove(vip);
      return true;
    }
    waiting.add(vip);
    if (!timers.isTimerActive("waiting")) {
      timers.startSingleTimer(
          "waiting", new StartWaiting(), Duration.ofNanos(nextPlannedMove - now));
    }
    return false;
  }

  /**
   * The oldest waiting moves, until one of them starts (those that are no longer planned moves —
   * reassigned, or their holder gone — are settled on the way).
   */
  private Behavior<Command> startWaiting() {
    while (!waiting.isEmpty() && System.nanoTime() - nextPlannedMove >= 0) {
      String vip = waiting.iterator().next();
      waiting.remove(vip);
      reconcile(List.of(vip));
    }
    if (!waiting.isEmpty() && !timers.isTimerActive("waiting")) {
      timers.startSingleTimer(
          "waiting",
          new StartWaiting(),
          Duration.ofNanos(Math.max(0, nextPlannedMove - System.nanoTime())));
    }
    return this;
  }

  /** Addresses named in one log line; a mass failover's full list is at debug level. */
  private static final int LOGGED_ADDRESSES = 8;

  /**
   * One line per change, not one per address: a mass failover of thousands of addresses would
   * otherwise write thousands of lines on the Announcer's thread while they are being taken over.
   */
  private void logChanges(Set<String> started, Set<String> stopped) {
    var log = getContext().getLog();
    if (!started.isEmpty()) {
      log.info("announcing {} address(es): {}", started.size(), named(started));
      log.debug("announcing {}", started);
    }
    if (!stopped.isEmpty()) {
      log.info(
          "withdrawing {} address(es){}: {}",
          stopped.size(),
          fenced ? " (fenced)" : stopping ? " (stopping)" : "",
          named(stopped));
      log.debug("withdrawing {}", stopped);
    }
  }

  private static String named(Set<String> vips) {
    String first = String.join(", ", vips.stream().limit(LOGGED_ADDRESSES).toList());
    return vips.size() <= LOGGED_ADDRESSES
        ? first
        : first + " and " + (vips.size() - LOGGED_ADDRESSES) + " more";
  }

  /**
   * For an address this node starts announcing: when the last of the unreachable candidates ranked
   * before this node became unreachable in this node's view (the failure that handed the address
   * on), or null when none is unreachable (a new address, a planned hand-over, a removed owner).
   */
  private Long failedOwnerSince(Assignment a) {
    Long latest = null;
    for (String c : a.candidates()) {
      if (c.equals(self)) {
        break;
      }
      Long since = unreachableSince.get(c);
      if (since != null && (latest == null || since > latest)) {
        latest = since;
      }
    }
    return latest;
  }

  /**
   * Whether a candidate can announce in this node's view: this node always (the fence and planned
   * stop are checked apart); another only while it is a member that is neither unreachable nor
   * leaving, and that has not come back as a new process since the address's assignment was made. A
   * dead owner is downed and removed some seconds after it became unreachable; until its VIP entity
   * forgets it, it is still first in the ranking and must not count as available again just because
   * it left the unreachable set — nor when it is started again and rejoins under its old name
   * before the entity has confirmed the successor (the chaos harness saw every address withdrawn
   * for 14 s that way).
   */
  private boolean canAnnounce(String candidate, String vip) {
    return candidate.equals(self)
        || (memberSet.contains(candidate)
            && !unavailable.contains(candidate)
            && reincarnatedAt.getOrDefault(candidate, 0L) < assignedAt.getOrDefault(vip, 0L));
  }

  private State state() {
    Map<String, String> owners = new java.util.TreeMap<>();
    // A fenced or stopping node does not announce, whatever the ranking says.
    boolean silent = fenced || stopping;
    for (Assignment a : assignments.values()) {
      String owner = a.announcer(c -> canAnnounce(c, a.vip()) && !(silent && c.equals(self)));
      String holder = a.handingOver();
      if (holder != null
          && (holder.equals(self)
              ? !silent && announced.containsKey(a.vip())
              : canAnnounce(holder, a.vip()))) {
        // During a planned move the owner is the node handing over, until the entity has seen
        // the new one announce: every node's view moves at once, when the move is done.
        owner = holder;
      }
      if (owner != null) {
        owners.put(a.vip(), owner);
      }
    }
    Set<String> moving = new java.util.TreeSet<>();
    for (Assignment a : assignments.values()) {
      if (a.handingOver() != null) {
        moving.add(a.vip());
      }
    }
    return new State(Set.copyOf(announced.keySet()), fenced, owners, Set.copyOf(moving));
  }
}
