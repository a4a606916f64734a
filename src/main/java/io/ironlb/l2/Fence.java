package io.ironlb.l2;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether this node is on the side of a partition that the split-brain resolver's keep-majority
 * strategy will down, judged from this node's own reachability view. Such a node stops announcing
 * at once instead of waiting to be downed, so two nodes never answer for one address for longer
 * than it takes the failure detector to mark the other side unreachable.
 *
 * <p>Keep-majority (Pekko's SBR): the side with more than half the members survives; on an even
 * split, the side holding the member with the lowest address.
 *
 * <p>A fence, once up, is lifted only by reaching a majority again ({@link #mayLift}): a fenced
 * node's view shrinks as the other side is downed and removed, and a view of one reachable member
 * out of one is no majority of the cluster the node was fenced from.
 */
public final class Fence {
  private Fence() {}

  /**
   * @param members every member (reachable or not), by address
   * @param unreachable the members this node cannot reach
   * @param order the members' address order (Pekko's Member ordering)
   */
  public static <M> boolean shouldFence(
      Collection<M> members, Set<M> unreachable, Comparator<M> order) {
    if (unreachable.isEmpty() || members.isEmpty()) {
      return false;
    }
    long reachable = members.stream().filter(m -> !unreachable.contains(m)).count();
    long others = members.size() - reachable;
    if (reachable != others) {
      return reachable < others;
    }
    M lowest = members.stream().min(order).orElseThrow();
    return unreachable.contains(lowest);
  }

  /**
   * One record of the cluster's reachability table: {@code observer} cannot reach {@code subject}.
   */
  public record Unreachable<M>(M observer, M subject) {}

  /**
   * The members Pekko's split-brain resolver (keep-majority) will down, computed as it computes it
   * from this node's copy of the reachability table — so a node can stop announcing, or take over,
   * at once instead of after {@code stable-after}.
   *
   * <p>A partial partition (two nodes that cannot reach each other while both reach a third) is not
   * a clean split: each of the pair is both an observer and a subject of unreachability, and the
   * resolver downs both ("indirectly connected") and keeps the third. Judged by the gossiped
   * unreachable set alone, the third node sees two of three unreachable and goes silent, while the
   * pair each take over the other's addresses — two nodes answering, and addresses nobody answers,
   * until the resolver acts (found by the chaos harness's pair cut).
   *
   * @param members the members the resolver counts (Up and Leaving), in address order
   * @param records the unreachable (or terminated) observations between them
   * @param self this node: never on the "unreachable" side of its own keep-majority decision, even
   *     when another node's observation of it is in the table (the resolver decides from its own
   *     failure detector's events, which never name itself)
   */
  public static <M> Set<M> toBeDowned(List<M> members, Collection<Unreachable<M>> records, M self) {
    Set<M> in = new HashSet<>(members);
    List<Unreachable<M>> table =
        records.stream()
            .filter(r -> in.contains(r.observer()) && in.contains(r.subject()))
            .toList();
    Set<M> indirect = observers(table);
    indirect.retainAll(subjects(table));
    if (indirect.isEmpty()) {
      return keepMajority(members, without(subjects(table), self));
    }
    // The resolver downs the indirectly connected, then decides on the rest as if the
    // observations between them had not been made (DowningStrategy.nodesToDown).
    Set<M> down = new LinkedHashSet<>(indirect);
    Set<M> cleanUnreachable = subjects(table);
    cleanUnreachable.removeAll(indirect);
    if (!cleanUnreachable.isEmpty()) {
      List<Unreachable<M>> rest =
          table.stream()
              .filter(r -> !(indirect.contains(r.observer()) && indirect.contains(r.subject())))
              .toList();
      Set<M> again = observers(rest);
      again.retainAll(subjects(rest));
      down.addAll(again.isEmpty() ? keepMajority(members, without(subjects(rest), self)) : members);
    }
    return down;
  }

  /** Keep-majority's decision: the unreachable side, or this node's own (reachable) side. */
  private static <M> Set<M> keepMajority(List<M> members, Set<M> unreachable) {
    Set<M> away = new LinkedHashSet<>(members);
    away.retainAll(unreachable);
    if (away.isEmpty()) {
      return Set.of();
    }
    Set<M> here = new LinkedHashSet<>(members);
    here.removeAll(away);
    boolean keepHere =
        here.size() == away.size() ? !away.contains(members.get(0)) : here.size() > away.size();
    return keepHere ? away : here;
  }

  private static <M> Set<M> without(Set<M> set, M self) {
    set.remove(self);
    return set;
  }

  private static <M> Set<M> observers(Collection<Unreachable<M>> table) {
    Set<M> out = new HashSet<>();
    table.forEach(r -> out.add(r.observer()));
    return out;
  }

  private static <M> Set<M> subjects(Collection<Unreachable<M>> table) {
    Set<M> out = new HashSet<>();
    table.forEach(r -> out.add(r.subject()));
    return out;
  }

  /**
   * Whether a fenced node may lift its fence: it is no longer on the losing side, and it reaches at
   * least half of the members it knew when the fence went up (so members that vanished from its
   * view while it was cut off do not count as a majority regained).
   *
   * @param reachable the members this node can reach now, itself included
   * @param knownWhenFenced the most members this node knew of while fenced
   */
  public static boolean mayLift(boolean losing, long reachable, int knownWhenFenced) {
    return !losing && reachable * 2 >= knownWhenFenced;
  }
}
