package io.ironlb.l2;

import java.util.Collection;
import java.util.Comparator;
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
   * Whether a fenced node may lift its fence: it is no longer on the losing side, and it reaches at
   * least half of the members it knew when the fence went up (so members that vanished from its
   * view while it was cut off do not count as a majority regained).
   *
   * @param knownWhenFenced the most members this node knew of while fenced
   */
  public static <M> boolean mayLift(
      Collection<M> members, Set<M> unreachable, Comparator<M> order, int knownWhenFenced) {
    long reachable = members.stream().filter(m -> !unreachable.contains(m)).count();
    return !shouldFence(members, unreachable, order) && reachable * 2 >= knownWhenFenced;
  }
}
