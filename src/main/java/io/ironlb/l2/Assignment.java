package io.ironlb.l2;

import io.ironlb.cluster.CborSerializable;
import java.util.List;
import java.util.Set;

/**
 * A VIP entity's decision for one address: the nodes that may announce it, best first, and the
 * interfaces each may use.
 *
 * @param vip the address
 * @param candidates ranked node names
 * @param interfaces interfaces to announce from; empty means every eligible interface
 * @param epoch increases with every new assignment of this address; older ones are ignored
 * @param handingOver during a planned move (a rebalance towards MetalLB's ranking), the node that
 *     announced the address before: it keeps answering until the entity has seen the first
 *     candidate announce, so the move leaves no gap; null otherwise
 */
public record Assignment(
    String vip, List<String> candidates, Set<String> interfaces, long epoch, String handingOver)
    implements CborSerializable {

  public Assignment {
    candidates = List.copyOf(candidates);
    interfaces = Set.copyOf(interfaces);
  }

  /** An assignment with no planned move under way. */
  public Assignment(String vip, List<String> candidates, Set<String> interfaces, long epoch) {
    this(vip, candidates, interfaces, epoch, null);
  }

  /** The first candidate this node can reach (itself always included), or null. */
  public String announcer(Set<String> unreachable) {
    return announcer(c -> !unreachable.contains(c));
  }

  /** The first candidate that can announce, or null. */
  public String announcer(java.util.function.Predicate<String> available) {
    for (String c : candidates) {
      if (available.test(c)) {
        return c;
      }
    }
    return null;
  }
}
