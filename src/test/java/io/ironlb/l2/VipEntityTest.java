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
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** VIP entities under Cluster Sharding on a one-node speaker cluster. */
class VipEntityTest {
  private static ActorSystem<Void> system;
  private static ActorTestKit kit;

  @BeforeAll
  static void start() {
    system = ClusterFixture.member("speaker-1", List.of("speaker"), null);
    kit = ActorTestKit.create(system);
    VipEntity.init(system);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void reportsBecomeAssignmentsForEveryReportingAnnouncer() {
    EntityRef<VipEntity.Command> vip =
        ClusterSharding.get(system).entityRefFor(VipEntity.TYPE, "10.0.0.1");
    TestProbe<Announcer.Command> a = kit.createTestProbe();
    TestProbe<Announcer.Command> b = kit.createTestProbe();
    vip.tell(
        new VipEntity.Eligibility(new VipState.Report("node-a", true, Set.of("eth0"), 0), a.ref()));
    Assignment first =
        a.expectMessageClass(Announcer.Assign.class, Duration.ofSeconds(20)).assignment();
    assertThat(first.candidates()).containsExactly("node-a");
    assertThat(first.interfaces()).containsExactly("eth0");
    // node-a announces; node-b, MetalLB's first choice for 10.0.0.1, joins: a planned move, in
    // which node-a keeps answering until node-b announces.
    vip.tell(
        new VipEntity.Eligibility(
            new VipState.Report("node-a", true, Set.of("eth0"), 0, true), a.ref()));
    a.expectMessageClass(Announcer.Assign.class); // the unchanged report is answered
    vip.tell(new VipEntity.Eligibility(new VipState.Report("node-b", true, Set.of(), 0), b.ref()));
    assertThat(a.expectMessageClass(Announcer.Assign.class).assignment().candidates())
        .containsExactly("node-b", "node-a");
    assertThat(b.expectMessageClass(Announcer.Assign.class).assignment())
        .isEqualTo(
            new Assignment(
                "10.0.0.1", List.of("node-b", "node-a"), Set.of(), first.epoch() + 1, "node-a"));
    vip.tell(
        new VipEntity.Eligibility(new VipState.Report("node-b", true, Set.of(), 0, true), b.ref()));
    assertThat(a.expectMessageClass(Announcer.Assign.class).assignment().handingOver())
        .as("node-b announces: the move is done and node-a withdraws")
        .isNull();
    b.expectMessageClass(Announcer.Assign.class);
    vip.tell(new VipEntity.NodeRemoved("node-a"));
    assertThat(b.expectMessageClass(Announcer.Assign.class).assignment().candidates())
        .containsExactly("node-b");
    a.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aNewEntityAsksEverySpeakerAndKeepsTheNodeThatAnnounces() {
    TestProbe<Speaker.Command> speaker = kit.createTestProbe();
    TestProbe<Receptionist.Registered> registered = kit.createTestProbe();
    system.receptionist().tell(Receptionist.register(Speaker.KEY, speaker.ref(), registered.ref()));
    registered.expectMessageClass(Receptionist.Registered.class);
    // The cluster receptionist lists a registration once it is in its replicated registry.
    TestProbe<Receptionist.Listing> listing = kit.createTestProbe();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              system.receptionist().tell(Receptionist.find(Speaker.KEY, listing.ref()));
              return listing
                  .expectMessageClass(Receptionist.Listing.class)
                  .getServiceInstances(Speaker.KEY)
                  .contains(speaker.ref());
            });
    try {
      EntityRef<VipEntity.Command> vip =
          ClusterSharding.get(system).entityRefFor(VipEntity.TYPE, "10.0.0.2");
      TestProbe<Announcer.Command> a = kit.createTestProbe();
      TestProbe<Announcer.Command> b = kit.createTestProbe();
      // node-b's report reaches the entity through the shard region; node-a's (the node that
      // took the address over) was lost with the entity's previous home, so only asking brings it.
      vip.tell(
          new VipEntity.Eligibility(new VipState.Report("node-b", true, Set.of(), 0), b.ref()));
      Speaker.ReportWanted asked =
          (Speaker.ReportWanted)
              speaker
                  .fishForMessage(
                      Duration.ofSeconds(20),
                      m ->
                          m instanceof Speaker.ReportWanted w && w.vip().equals("10.0.0.2")
                              ? FishingOutcomes.complete()
                              : FishingOutcomes.continueAndIgnore())
                  .get(0);
      asked
          .replyTo()
          .tell(
              new VipEntity.Eligibility(
                  new VipState.Report("node-a", true, Set.of(), 0, true), a.ref()));
      Assignment toB =
          b.expectMessageClass(Announcer.Assign.class, Duration.ofSeconds(20)).assignment();
      // node-a keeps answering: first, or (when node-b is MetalLB's choice) handing over to it.
      assertThat(keeper(toB)).isEqualTo("node-a");
      assertThat(keeper(a.expectMessageClass(Announcer.Assign.class).assignment()))
          .isEqualTo("node-a");
    } finally {
      system.receptionist().tell(Receptionist.deregister(Speaker.KEY, speaker.ref()));
    }
  }

  /** The node that answers for the address now: the one handing over, else the first. */
  private static String keeper(Assignment a) {
    return a.handingOver() != null ? a.handingOver() : a.candidates().get(0);
  }
}
