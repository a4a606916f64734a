package io.ironlb.cluster;

import java.time.Duration;

/**
 * How long a node the cluster downed waits before its next incarnation joins (with {@code
 * ironlb.cluster.when-downed = rejoin}), without the clock: nothing the first time, so a false
 * downing costs only the join; then 1 s, doubling to at most 15 s, while each incarnation is downed
 * again within a minute of starting. A node the cluster keeps downing (starved, or on a flapping
 * link) otherwise adds a joining member, its gossip and its shard hand-offs to a cluster that is
 * trying to settle, every few seconds. An incarnation that lasted a minute starts the count again.
 * Kubernetes backs off restarting a pod that keeps failing for the same reason.
 */
public final class RejoinBackoff {
  /** The wait after the second downing in a row. */
  static final Duration FIRST = Duration.ofSeconds(1);

  /**
   * The longest wait. The status port is closed while a node waits, so this stays well inside what
   * a liveness probe forgives (the deploy's: every 10 s, three failures): a pod restarted for it
   * would pay the whole JVM start the wait means to spare the cluster ({@code
   * DeployManifestsTest}).
   */
  public static final Duration LONGEST = Duration.ofSeconds(15);

  /** An incarnation that lasted this long was not downed "again". */
  static final Duration SETTLED = Duration.ofMinutes(1);

  private int downedInARow;

  /**
   * Records that an incarnation was downed after {@code lasted}, and says how long to wait before
   * the next one starts.
   */
  public Duration afterDowned(Duration lasted) {
    if (lasted.compareTo(SETTLED) >= 0) {
      downedInARow = 0;
    }
    downedInARow++;
    if (downedInARow == 1) {
      return Duration.ZERO;
    }
    // 1 s << (n - 2), computed without overflowing however long a node keeps being downed.
    int doublings = Math.min(downedInARow - 2, 4);
    Duration wait = FIRST.multipliedBy(1L << doublings);
    return wait.compareTo(LONGEST) > 0 ? LONGEST : wait;
  }
}
