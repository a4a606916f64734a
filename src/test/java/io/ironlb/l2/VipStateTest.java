package io.ironlb.l2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class VipStateTest {

  private static VipState.Report announcing(String node) {
    return new VipState.Report(node, true, Set.of(), 0, true);
  }

  private static VipState balanced() {
    return new VipState("10.0.0.1", VipState.Spread.BALANCED, 1);
  }

  @Test
  void balancedMovesAnAddressToMetallbsChoiceWithoutAGap() {
    // MetalLB's ranking for 10.0.0.1 over these three nodes: node-b, node-a, node-c.
    VipState s = balanced();
    s.report(announcing("node-a"));
    assertThat(s.ranking()).containsExactly("node-a");
    assertThat(s.handingOver()).isEmpty();
    // node-b joins: it is ranked first, and node-a keeps answering, second in line, until it has.
    assertThat(s.report(eligible("node-b"))).isTrue();
    assertThat(s.ranking()).containsExactly("node-b", "node-a");
    assertThat(s.handingOver()).contains("node-a");
    assertThat(s.assignmentFor("node-a").handingOver()).isEqualTo("node-a");
    // A third node joining changes the order behind the two, not the move.
    s.report(eligible("node-c"));
    assertThat(s.ranking()).containsExactly("node-b", "node-a", "node-c");
    assertThat(s.handingOver()).contains("node-a");
    // node-b announces: the move is done, node-a may withdraw.
    long before = s.epoch();
    assertThat(s.report(announcing("node-b"))).isTrue();
    assertThat(s.handingOver()).isEmpty();
    assertThat(s.epoch()).isGreaterThan(before);
    assertThat(s.ranking()).containsExactly("node-b", "node-a", "node-c");
    // node-a's withdrawal is no news.
    assertThat(s.report(eligible("node-a"))).isFalse();
  }

  @Test
  void balancedMovesNothingWhenTheHolderIsMetallbsChoiceOrNobodyAnnounces() {
    VipState s = balanced();
    s.report(announcing("node-b"));
    s.report(eligible("node-a"));
    s.report(eligible("node-c"));
    assertThat(s.ranking()).containsExactly("node-b", "node-a", "node-c");
    assertThat(s.handingOver()).isEmpty();
    // Nobody announcing (a cold start): MetalLB's order, nothing to hand over.
    VipState cold = balanced();
    cold.report(eligible("node-c"));
    cold.report(eligible("node-a"));
    cold.report(eligible("node-b"));
    assertThat(cold.ranking()).containsExactly("node-b", "node-a", "node-c");
    assertThat(cold.handingOver()).isEmpty();
  }

  @Test
  void balancedFailureDuringAMoveLeavesTheHolderFirst() {
    VipState s = balanced();
    s.report(announcing("node-c"));
    s.report(eligible("node-b"));
    assertThat(s.ranking()).containsExactly("node-b", "node-c");
    // node-b dies before it announces: removed, the holder is first again with no move.
    assertThat(s.remove("node-b")).isTrue();
    assertThat(s.ranking()).containsExactly("node-c");
    assertThat(s.handingOver()).isEmpty();
    // The holder dies instead: node-a, eligible all along, is MetalLB's next; no move pending.
    VipState t = balanced();
    t.report(announcing("node-c"));
    t.report(eligible("node-a"));
    t.report(eligible("node-b"));
    assertThat(t.ranking()).containsExactly("node-b", "node-c", "node-a");
    t.remove("node-c");
    assertThat(t.ranking()).containsExactly("node-b", "node-a");
    assertThat(t.handingOver()).isEmpty();
  }

  @Test
  void balancedRestartedEntityHandsOverFromWhoeverAnnounces() {
    // Both announce (an entity restarted mid-move): MetalLB's choice keeps it, no move.
    VipState both = balanced();
    both.report(announcing("node-a"));
    both.report(announcing("node-b"));
    assertThat(both.ranking()).containsExactly("node-b", "node-a");
    assertThat(both.handingOver()).isEmpty();
    // Only node-c announces: it hands over to node-b.
    VipState one = balanced();
    one.report(eligible("node-a"));
    one.report(eligible("node-b"));
    one.report(announcing("node-c"));
    assertThat(one.ranking()).containsExactly("node-b", "node-c", "node-a");
    assertThat(one.handingOver()).contains("node-c");
  }

  @Test
  void spreadSettingIsParsedOrNamedInTheError() {
    assertThat(VipState.Spread.parse("ironlb.layer2.spread", "sticky"))
        .isEqualTo(VipState.Spread.STICKY);
    assertThat(VipState.Spread.parse("ironlb.layer2.spread", "balanced"))
        .isEqualTo(VipState.Spread.BALANCED);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> VipState.Spread.parse("ironlb.layer2.spread", "even"))
        .hasMessage("ironlb.layer2.spread: \"even\" is not a spread; use balanced or sticky");
  }

  private static VipState.Report eligible(String node) {
    return new VipState.Report(node, true, Set.of(), 0);
  }

  @Test
  void rankingFollowsMetallbAndKeepsTheOwnerWhenNodesJoin() {
    VipState s = new VipState("10.0.0.1", VipState.Spread.STICKY, 1);
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
    VipState s = new VipState("10.0.0.1", VipState.Spread.STICKY, 1);
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
    VipState s = new VipState("10.0.0.1", VipState.Spread.STICKY, 1);
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
    VipState fresh = new VipState("10.0.0.1", VipState.Spread.STICKY, 1);
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
    VipState s = new VipState("10.0.0.1", VipState.Spread.STICKY, 1);
    s.report(eligible("node-a"));
    s.report(new VipState.Report("node-a", false, Set.of(), 0));
    assertThat(s.owner()).isEmpty();
    assertThat(s.assignmentFor("node-a").candidates()).isEmpty();
    assertThat(s.reporters()).containsExactly("node-a");
  }
}
