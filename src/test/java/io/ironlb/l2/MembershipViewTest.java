package io.ironlb.l2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlb.source.ClusterFixture;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Leave;
import org.junit.jupiter.api.Test;

/** Real cluster events on a two-member in-JVM cluster become the Announcer's view. */
class MembershipViewTest {

  @Test
  void membersByNodeNameAndALeaverIsMarkedLeavingThenGone() {
    ActorSystem<Void> one = ClusterFixture.member("n1", List.of("speaker", "node=node-a"), null);
    ActorSystem<Void> two = ClusterFixture.member("n2", List.of("speaker", "node=node-b"), one);
    ActorTestKit kit = ActorTestKit.create(one);
    try {
      TestProbe<Announcer.Command> announcer = kit.createTestProbe();
      kit.spawn(MembershipView.adapter(announcer.ref()));
      announcer.fishForMessage(
          Duration.ofSeconds(30),
          m ->
              m instanceof Announcer.MembershipChanged c && c.members().size() == 2
                  ? FishingOutcomes.complete()
                  : FishingOutcomes.continueAndIgnore());
      // A Leave sent before the member has been welcomed is dropped (a dead letter), so the leaver
      // must first see itself Up.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Cluster.get(two).selfMember().status() == MemberStatus.up());
      Cluster.get(two).manager().tell(Leave.create(Cluster.get(two).selfMember().address()));
      List<Announcer.Command> seen =
          announcer.fishForMessage(
              Duration.ofSeconds(30),
              m ->
                  m instanceof Announcer.MembershipChanged c
                          && c.members().equals(List.of("node-a"))
                      ? FishingOutcomes.complete()
                      : FishingOutcomes.continueAndCollect());
      assertThat(seen)
          .anySatisfy(
              m -> assertThat(((Announcer.MembershipChanged) m).leaving()).contains("node-b"));
      Announcer.MembershipChanged last = (Announcer.MembershipChanged) seen.get(seen.size() - 1);
      assertThat(last.unreachable()).isEmpty();
      assertThat(last.leaving()).isEqualTo(Set.of());
    } finally {
      ActorTestKit.shutdown(two);
      kit.shutdownTestKit();
    }
  }

  @Test
  void aViewThatDidNotChangeIsNotToldAgain() {
    ActorSystem<Void> one = ClusterFixture.member("n1", List.of("speaker", "node=node-a"), null);
    ActorTestKit kit = ActorTestKit.create(one);
    try {
      TestProbe<Announcer.Command> announcer = kit.createTestProbe();
      var adapter = kit.spawn(MembershipView.adapter(announcer.ref()));
      announcer.fishForMessage(
          Duration.ofSeconds(30),
          m ->
              m instanceof Announcer.MembershipChanged c && c.members().equals(List.of("node-a"))
                  ? FishingOutcomes.complete()
                  : FishingOutcomes.continueAndIgnore());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Cluster.get(one).selfMember().status() == MemberStatus.up());
      announcer.expectNoMessage(Duration.ofMillis(300)); // whatever was on its way has arrived
      // The same member reported Up again (as Pekko republishes state): nothing new to tell.
      adapter.tell(
          new org.apache.pekko.cluster.ClusterEvent.MemberUp(Cluster.get(one).selfMember()));
      announcer.expectNoMessage(Duration.ofMillis(500));
    } finally {
      kit.shutdownTestKit();
    }
  }
}
