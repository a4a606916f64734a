package io.ironlb.l2;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A VIP entity's state and decisions, without the actor: the latest eligibility report of each
 * node, the ranking derived from them ({@link Election}, current owner first while it stays
 * eligible), and the epoch, which increases whenever the ranking or a node's interfaces change.
 */
public final class VipState {

  /**
   * One node's eligibility for this address.
   *
   * @param announcing whether the node announces the address right now: the entity keeps that node
   *     first, so stickiness survives the entity itself restarting (a shard moving with a dead
   *     node) with no memory of the owner
   */
  public record Report(
      String node, boolean eligible, Set<String> interfaces, long preference, boolean announcing) {
    public Report(String node, boolean eligible, Set<String> interfaces, long preference) {
      this(node, eligible, interfaces, preference, false);
    }
  }

  private final String vip;
  private final Map<String, Report> reports = new HashMap<>();
  private List<String> ranking = List.of();
  private Map<String, Set<String>> interfaces = Map.of();
  private long epoch;

  /**
   * Epochs start from the wall clock (in microseconds), so that an entity restarted elsewhere — a
   * shard moving with a dead node — issues epochs above its previous incarnation's. Otherwise
   * Announcers still holding the old, higher epoch would ignore it (two nodes announcing). Clocks
   * need only agree to within the seconds a shard takes to move.
   */
  public VipState(String vip) {
    this(vip, System.currentTimeMillis() * 1000);
  }

  VipState(String vip, long firstEpoch) {
    this.vip = vip;
    this.epoch = firstEpoch - 1;
  }

  /** Records a report; returns true when the assignment changed (and the epoch moved on). */
  public boolean report(Report r) {
    reports.put(r.node(), r);
    return recompute();
  }

  /** Forgets a node that left the cluster; returns true when the assignment changed. */
  public boolean remove(String node) {
    return reports.remove(node) != null && recompute();
  }

  private boolean recompute() {
    Map<String, Long> prefs = new HashMap<>();
    Map<String, Set<String>> ifs = new HashMap<>();
    for (Report r : reports.values()) {
      if (r.eligible()) {
        prefs.put(r.node(), r.preference());
        ifs.put(r.node(), Set.copyOf(r.interfaces()));
      }
    }
    String owner = ranking.isEmpty() ? null : ranking.get(0);
    if (owner == null || !prefs.containsKey(owner) || !announcing(owner)) {
      // Whoever actually announces stays first (the previous owner first if it still does).
      owner =
          reports.values().stream()
              .filter(r -> r.eligible() && r.announcing())
              .map(Report::node)
              .sorted()
              .findFirst()
              .orElse(owner);
    }
    List<String> next = Election.rank(prefs.keySet(), vip, prefs, owner);
    if (next.equals(ranking) && ifs.equals(interfaces)) {
      return false;
    }
    ranking = next;
    interfaces = ifs;
    epoch++;
    return true;
  }

  private boolean announcing(String node) {
    Report r = reports.get(node);
    return r != null && r.announcing();
  }

  /** The assignment as one node receives it (with its own interfaces). */
  public Assignment assignmentFor(String node) {
    return new Assignment(vip, ranking, interfaces.getOrDefault(node, Set.of()), epoch);
  }

  /** Every node that reported, so each hears the new assignment (and non-candidates withdraw). */
  public Set<String> reporters() {
    return Set.copyOf(reports.keySet());
  }

  public List<String> ranking() {
    return ranking;
  }

  public Optional<String> owner() {
    return ranking.isEmpty() ? Optional.empty() : Optional.of(ranking.get(0));
  }

  public long epoch() {
    return epoch;
  }
}
