package io.ironlb.l2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One VIP entity's decisions over a group of addresses, batched per node. */
class VipGroupTest {
  private static final Set<String> AB = Set.of("node-a", "node-b");

  private static VipState.Report eligible(String node) {
    return new VipState.Report(node, true, Set.of(), 0);
  }

  private static VipState.Report announcing(String node) {
    return new VipState.Report(node, true, Set.of(), 0, true);
  }

  private static List<String> vips(List<Assignment> assignments) {
    return assignments.stream().map(Assignment::vip).sorted().toList();
  }

  @Test
  void anAddressIsFirstDecidedOnceEveryUpSpeakerHasReported() {
    VipGroup g = new VipGroup(VipState.Spread.BALANCED);
    // node-a announces 10.0.0.1 already (an entity restarted after its node died): deciding on
    // node-b's report alone would hand it to node-b, MetalLB's first choice, while node-a answers.
    assertThat(g.report("node-b", Map.of("10.0.0.1", eligible("node-b")), AB, 0)).isEmpty();
    assertThat(g.waiting()).isTrue();
    assertThat(g.assignment("10.0.0.1")).isEmpty();
    Map<String, List<Assignment>> out =
        g.report("node-a", Map.of("10.0.0.1", announcing("node-a")), AB, 1);
    assertThat(out).containsOnlyKeys("node-a", "node-b");
    Assignment toB = out.get("node-b").get(0);
    assertThat(toB.candidates()).containsExactly("node-b", "node-a");
    assertThat(toB.handingOver()).as("node-a keeps answering until node-b has").isEqualTo("node-a");
    assertThat(g.waiting()).isFalse();
  }

  @Test
  void aSilentSpeakerDelaysTheFirstDecisionOnlyUpToTheLimit() {
    VipGroup g = new VipGroup(VipState.Spread.BALANCED);
    g.report("node-a", Map.of("10.0.0.1", eligible("node-a")), AB, 0);
    assertThat(g.decideDue(AB, VipGroup.FIRST_DECISION_LIMIT - 1)).isEmpty();
    Map<String, List<Assignment>> out = g.decideDue(AB, VipGroup.FIRST_DECISION_LIMIT);
    assertThat(out).containsOnlyKeys("node-a");
    assertThat(out.get("node-a").get(0).candidates()).containsExactly("node-a");
    // A speaker that goes unreachable is not waited for.
    VipGroup h = new VipGroup(VipState.Spread.BALANCED);
    h.report("node-a", Map.of("10.0.0.1", eligible("node-a")), AB, 0);
    assertThat(h.decideDue(Set.of("node-a"), 1)).containsOnlyKeys("node-a");
  }

  @Test
  void aBatchIsAnsweredPerNodeWithChangesToAllAndTheRestToTheReporter() {
    VipGroup g = new VipGroup(VipState.Spread.STICKY);
    Set<String> onlyA = Set.of("node-a");
    Map<String, List<Assignment>> first =
        g.report(
            "node-a",
            Map.of("10.0.0.1", announcing("node-a"), "10.0.0.2", announcing("node-a")),
            onlyA,
            0);
    assertThat(vips(first.get("node-a"))).containsExactly("10.0.0.1", "10.0.0.2");
    // node-b reports on both: the rankings change, so both nodes hear of both, one list each.
    Map<String, List<Assignment>> joined =
        g.report(
            "node-b",
            Map.of("10.0.0.1", eligible("node-b"), "10.0.0.2", eligible("node-b")),
            onlyA,
            1);
    assertThat(joined).containsOnlyKeys("node-a", "node-b");
    assertThat(vips(joined.get("node-b"))).containsExactly("10.0.0.1", "10.0.0.2");
    // The same reports again (a refresh): answered to the reporter only, nothing changed.
    Map<String, List<Assignment>> refresh =
        g.report(
            "node-b",
            Map.of("10.0.0.1", eligible("node-b"), "10.0.0.2", eligible("node-b")),
            onlyA,
            2);
    assertThat(refresh).containsOnlyKeys("node-b");
    assertThat(refresh.get("node-b"))
        .allSatisfy(a -> assertThat(a.candidates()).containsExactly("node-a", "node-b"));
    // node-a leaves: node-b hears that it is first for both.
    Map<String, List<Assignment>> gone = g.remove("node-a");
    assertThat(gone).containsOnlyKeys("node-b");
    assertThat(gone.get("node-b"))
        .allSatisfy(a -> assertThat(a.candidates()).containsExactly("node-b"));
    assertThat(g.remove("node-a")).isEmpty();
  }
}
