package io.ironlb.l2;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A VIP entity's state and decisions, without the actor: the latest eligibility report of each
 * node, the ranking derived from them ({@link Election}) and the epoch, which increases whenever
 * the ranking, a planned move or a node's interfaces change.
 *
 * <p>How the ranking treats the node announcing the address now (its holder) is the {@link Spread}:
 * balanced moves the address to MetalLB's first choice through a planned move (the holder keeps
 * answering until the new owner announces); sticky keeps the holder first while it stays eligible.
 */
public final class VipState {

  /** Where addresses go when the set of eligible nodes grows. */
  public enum Spread {
    /**
     * MetalLB's spread: each address belongs to the first node of its hash ranking. When that node
     * is not the one announcing (it joined, restarted or became eligible again), the address moves
     * to it without a gap: the holder keeps answering until the new owner has announced.
     */
    BALANCED,
    /**
     * The holder stays first while it is eligible, so a node that joins takes nothing: no move at
     * all, but after a rolling restart the node restarted last owns nothing.
     */
    STICKY;

    /** The setting's value ({@code balanced} or {@code sticky}), or a message naming it. */
    public static Spread parse(String setting, String value) {
      return switch (value) {
        case "balanced" -> BALANCED;
        case "sticky" -> STICKY;
        default ->
            throw new IllegalArgumentException(
                setting + ": \"" + value + "\" is not a spread; use balanced or sticky");
      };
    }
  }

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
  private final Spread spread;
  private final Map<String, Report> reports = new HashMap<>();
  private List<String> ranking = List.of();
  private String handingOver;
  private Map<String, Set<String>> interfaces = Map.of();
  private long epoch;

  /**
   * Epochs start from the wall clock (in microseconds), so that an entity restarted elsewhere — a
   * shard moving with a dead node — issues epochs above its previous incarnation's. Otherwise
   * Announcers still holding the old, higher epoch would ignore it (two nodes announcing). Clocks
   * need only agree to within the seconds a shard takes to move.
   */
  public VipState(String vip, Spread spread) {
    this(vip, spread, System.currentTimeMillis() * 1000);
  }

  VipState(String vip, Spread spread, long firstEpoch) {
    this.vip = vip;
    this.spread = spread;
    this.epoch = firstEpoch - 1;
  }

  /** Records a report; returns true when the assignment changed (and the epoch moved on). */
  public boolean report(Report r) {
    // An unchanged report (the 15 s refresh) keeps the object already held, so the new one dies
    // young instead of replacing a tenured one.
    if (!r.equals(reports.get(r.node()))) {
      reports.put(r.node(), r);
    }
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
    List<String> next;
    String handover = null;
    if (spread == Spread.STICKY) {
      String owner = ranking.isEmpty() ? null : ranking.get(0);
      if (owner == null || !prefs.containsKey(owner) || !announcing(owner)) {
        // Whoever actually announces stays first (the previous owner first if it still does).
        owner = firstAnnouncing(prefs).orElse(owner);
      }
      next = Election.rank(prefs.keySet(), vip, prefs, owner);
    } else {
      next = Election.rank(prefs.keySet(), vip, prefs, null);
      String holder = holder(prefs);
      if (!next.isEmpty() && holder != null && !announcing(next.get(0))) {
        if (!holder.equals(next.get(0))) {
          // A planned move: the holder keeps answering, second in line (so it stays the owner if
          // the new one fails before it announces), until the new owner reports announcing.
          List<String> moved = new ArrayList<>(next);
          moved.remove(holder);
          moved.add(1, holder);
          next = List.copyOf(moved);
          handover = holder;
        }
      }
    }
    if (next.equals(ranking) && ifs.equals(interfaces) && Objects.equals(handover, handingOver)) {
      return false;
    }
    ranking = next;
    handingOver = handover;
    interfaces = ifs;
    epoch++;
    return true;
  }

  /**
   * The eligible node announcing the address now: the previous owner or holder if it still does
   * (the entity's own memory), else any that reports announcing (an entity that restarted).
   */
  private String holder(Map<String, Long> eligible) {
    for (String n :
        java.util.Arrays.asList(ranking.isEmpty() ? null : ranking.get(0), handingOver)) {
      if (n != null && eligible.containsKey(n) && announcing(n)) {
        return n;
      }
    }
    return firstAnnouncing(eligible).orElse(null);
  }

  private Optional<String> firstAnnouncing(Map<String, Long> eligible) {
    return reports.values().stream()
        .filter(r -> eligible.containsKey(r.node()) && r.announcing())
        .map(Report::node)
        .sorted()
        .findFirst();
  }

  private boolean announcing(String node) {
    Report r = reports.get(node);
    return r != null && r.announcing();
  }

  /** The assignment as one node receives it (with its own interfaces). */
  public Assignment assignmentFor(String node) {
    return new Assignment(
        vip, ranking, interfaces.getOrDefault(node, Set.of()), epoch, handingOver);
  }

  /** During a planned move, the node that keeps answering until the new owner announces. */
  public Optional<String> handingOver() {
    return Optional.ofNullable(handingOver);
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
