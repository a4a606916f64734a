package io.ironlb.l2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class VipStateTest {

  private static VipState.Report eligible(String node) {
    return new VipState.Report(node, true, Set.of(), 0);
  }

  @Test
  void rankingFollowsMetallbAndKeepsTheOwnerWhenNodesJoin() {
    VipState s = new VipState("10.0.0.1", 1);
    assertThat(s.report(eligible("node-a"))).isTrue();
    assertThat(s.owner()).contains("node-a");
    // node-b would win MetalLB's hash election for 10.0.0.1, but node-a owns it: no move.
    assertThat(s.report(eligible("node-b"))).isTrue();
    assertThat(s.ranking()).containsExactly("node-a", "node-b");
    assertThat(s.report(eligible("node-c"))).isTrue();
    assertThat(s.ranking()).containsExactly("node-a", "node-b", "node-c");
    assertThat(s.epoch()).isEqualTo(3);
  }

  @Test
  void anOwnerThatBecomesIneligibleHandsOverInHashOrder() {
    VipState s = new VipState("10.0.0.1", 1);
    s.report(eligible("node-b"));
    s.report(eligible("node-a"));
    s.report(eligible("node-c"));
    assertThat(s.ranking()).containsExactly("node-b", "node-a", "node-c");
    s.report(new VipState.Report("node-b", false, Set.of(), 0));
    assertThat(s.ranking()).containsExactly("node-a", "node-c");
    assertThat(s.remove("node-b")).as("already out of the ranking").isFalse();
    assertThat(s.remove("node-a")).isTrue();
    assertThat(s.owner()).contains("node-c");
  }

  @Test
  void unchangedReportsDoNotMoveTheEpochButInterfaceChangesDo() {
    VipState s = new VipState("10.0.0.1", 1);
    s.report(eligible("node-a"));
    long e = s.epoch();
    assertThat(s.report(eligible("node-a"))).isFalse();
    assertThat(s.epoch()).isEqualTo(e);
    assertThat(s.report(new VipState.Report("node-a", true, Set.of("eth1"), 0))).isTrue();
    assertThat(s.assignmentFor("node-a").interfaces()).containsExactly("eth1");
    assertThat(s.assignmentFor("node-b").interfaces()).isEmpty();
  }

  @Test
  void aRestartedEntityKeepsWhoeverAnnounces() {
    // node-b would win the hash election for 10.0.0.1, but node-a is the one announcing.
    VipState fresh = new VipState("10.0.0.1", 1);
    fresh.report(eligible("node-b"));
    fresh.report(new VipState.Report("node-a", true, Set.of(), 0, true));
    assertThat(fresh.ranking()).containsExactly("node-a", "node-b");
    // A dead owner's stale claim holds only until it is removed.
    fresh.report(new VipState.Report("node-b", true, Set.of(), 0, true));
    assertThat(fresh.owner()).contains("node-a");
    fresh.remove("node-a");
    assertThat(fresh.owner()).contains("node-b");
  }

  @Test
  void noEligibleNodeMeansNobodyAnnounces() {
    VipState s = new VipState("10.0.0.1", 1);
    s.report(eligible("node-a"));
    s.report(new VipState.Report("node-a", false, Set.of(), 0));
    assertThat(s.owner()).isEmpty();
    assertThat(s.assignmentFor("node-a").candidates()).isEmpty();
    assertThat(s.reporters()).containsExactly("node-a");
  }
}
