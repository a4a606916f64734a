package io.ironlb.l2;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The decisions of one VIP entity, without the actor: a {@link VipState} for each address of its
 * group, which of them have had their first decision, and for every batch of reports or membership
 * change, the assignments to send — one list per node, so that a change of thousands of addresses
 * costs each node one message per group, not one per address.
 *
 * <p>An address's first decision waits until every Up speaker has reported on it (every speaker
 * reports every layer-2 address, eligible or not), so that it ranks knowing who announces the
 * address already: an entity that restarted elsewhere (its node died) must not hand an address to a
 * second node while the first keeps answering. A speaker that never reports (overloaded, or
 * partitioned but not yet unreachable) delays it by at most {@link #FIRST_DECISION_LIMIT}.
 */
final class VipGroup {

  /** How long an address's first decision waits at most for every Up speaker's report. */
  static final long FIRST_DECISION_LIMIT = java.time.Duration.ofSeconds(5).toNanos();

  private final VipState.Spread spread;
  private final Map<String, VipState> states = new HashMap<>();

  /** Addresses not yet decided, each with when (nanoTime) its first report arrived. */
  private final Map<String, Long> undecided = new TreeMap<>();

  VipGroup(VipState.Spread spread) {
    this.spread = spread;
  }

  /**
   * Records a batch of one node's reports.
   *
   * @param upSpeakers the speakers that are Up and reachable now
   * @param now System.nanoTime
   * @return node → the assignments to send it: for addresses whose assignment changed (or that were
   *     decided now), to every node that reported on them; for the others, the current one to the
   *     reporting node (a report is answered, so an assignment lost on the way is sent again)
   */
  Map<String, List<Assignment>> report(
      String node, Map<String, VipState.Report> reports, Set<String> upSpeakers, long now) {
    List<String> changed = new ArrayList<>();
    List<Assignment> answers = new ArrayList<>();
    for (var e : reports.entrySet()) {
      String vip = e.getKey();
      VipState state = states.get(vip);
      if (state == null) {
        state = new VipState(vip, spread);
        states.put(vip, state);
        undecided.put(vip, now);
      }
      boolean moved = state.report(e.getValue());
      if (undecided.containsKey(vip)) {
        if (ready(vip, upSpeakers, now)) {
          undecided.remove(vip);
          changed.add(vip);
        }
      } else if (moved) {
        changed.add(vip);
      } else {
        answers.add(state.assignmentFor(node));
      }
    }
    Map<String, List<Assignment>> out = fanOut(changed);
    if (!answers.isEmpty()) {
      out.computeIfAbsent(node, n -> new ArrayList<>()).addAll(answers);
    }
    return out;
  }

  /** Forgets a node that left the cluster: the assignments that changed, per node. */
  Map<String, List<Assignment>> remove(String node) {
    List<String> changed = new ArrayList<>();
    states.forEach(
        (vip, state) -> {
          if (state.remove(node) && !undecided.containsKey(vip)) {
            changed.add(vip);
          }
        });
    return fanOut(changed);
  }

  /** The first decisions that are due now (every Up speaker reported, or the limit passed). */
  Map<String, List<Assignment>> decideDue(Set<String> upSpeakers, long now) {
    List<String> due = new ArrayList<>();
    for (String vip : undecided.keySet()) {
      if (ready(vip, upSpeakers, now)) {
        due.add(vip);
      }
    }
    due.forEach(undecided::remove);
    return fanOut(due);
  }

  /** Whether some address still waits for its first decision. */
  boolean waiting() {
    return !undecided.isEmpty();
  }

  /** The current assignment of an address (as its owner receives it), once decided. */
  Optional<Assignment> assignment(String vip) {
    VipState state = states.get(vip);
    if (state == null || undecided.containsKey(vip)) {
      return Optional.empty();
    }
    return Optional.of(state.assignmentFor(state.owner().orElse("")));
  }

  private boolean ready(String vip, Set<String> upSpeakers, long now) {
    return states.get(vip).reporters().containsAll(upSpeakers)
        || now - undecided.get(vip) >= FIRST_DECISION_LIMIT;
  }

  /** Every node that reported on each address gets that address's assignment. */
  private Map<String, List<Assignment>> fanOut(Collection<String> vips) {
    Map<String, List<Assignment>> out = new TreeMap<>();
    for (String vip : vips) {
      VipState state = states.get(vip);
      for (String node : state.reporters()) {
        out.computeIfAbsent(node, n -> new ArrayList<>()).add(state.assignmentFor(node));
      }
    }
    return out;
  }
}
