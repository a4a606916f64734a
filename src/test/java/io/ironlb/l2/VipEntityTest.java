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
    // The one Up speaker is node-a: an address's first decision waits for its report.
    system = ClusterFixture.member("speaker-1", List.of("speaker", "node=node-a"), null);
    kit = ActorTestKit.create(system);
    VipEntity.init(system);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static EntityRef<VipEntity.Command> entityOf(String vip) {
    return ClusterSharding.get(system).entityRefFor(VipEntity.TYPE, VipEntity.groupOf(vip));
  }

  private static Assignment only(TestProbe<Announcer.Command> announcer) {
    List<Assignment> got =
        announcer.expectMessageClass(Announcer.Assign.class, Duration.ofSeconds(20)).assignments();
    assertThat(got).hasSize(1);
    return got.get(0);
  }

  @Test
  void reportsBecomeAssignmentsForEveryReportingAnnouncer() {
    EntityRef<VipEntity.Command> vip = entityOf("10.0.0.1");
    TestProbe<Announcer.Command> a = kit.createTestProbe();
    TestProbe<Announcer.Command> b = kit.createTestProbe();
    vip.tell(
        new VipEntity.Eligibility(
            "10.0.0.1", new VipState.Report("node-a", true, Set.of("eth0"), 0), a.ref()));
    Assignment first = only(a);
    assertThat(first.candidates()).containsExactly("node-a");
    assertThat(first.interfaces()).containsExactly("eth0");
    // node-a announces; node-b, MetalLB's first choice for 10.0.0.1, joins: a planned move, in
    // which node-a keeps answering until node-b announces.
    vip.tell(
        new VipEntity.Eligibility(
            "10.0.0.1", new VipState.Report("node-a", true, Set.of("eth0"), 0, true), a.ref()));
    only(a); // the unchanged report is answered
    vip.tell(
        new VipEntity.Eligibility(
            "10.0.0.1", new VipState.Report("node-b", true, Set.of(), 0), b.ref()));
    assertThat(only(a).candidates()).containsExactly("node-b", "node-a");
    assertThat(only(b))
        .isEqualTo(
            new Assignment(
                "10.0.0.1", List.of("node-b", "node-a"), Set.of(), first.epoch() + 1, "node-a"));
    vip.tell(
        new VipEntity.Eligibility(
            "10.0.0.1", new VipState.Report("node-b", true, Set.of(), 0, true), b.ref()));
    assertThat(only(a).handingOver())
        .as("node-b announces: the move is done and node-a withdraws")
        .isNull();
    only(b);
    vip.tell(new VipEntity.NodeRemoved("node-a"));
    assertThat(only(b).candidates()).containsExactly("node-b");
    a.expectNoMessage(Duration.ofMillis(200));
  }

  /** Three addresses of one group in one batch: each node hears of all three in one message. */
  @Test
  void aBatchOfReportsIsAnsweredWithOneMessagePerNode() {
    List<String> vips = new java.util.ArrayList<>();
    String group = VipEntity.groupOf("10.0.1.0");
    for (int i = 0; vips.size() < 3; i++) {
      String v = "10.0.1." + i;
      if (VipEntity.groupOf(v).equals(group)) {
        vips.add(v);
      }
    }
    TestProbe<Announcer.Command> a = kit.createTestProbe();
    java.util.Map<String, VipState.Report> reports = new java.util.HashMap<>();
    vips.forEach(v -> reports.put(v, new VipState.Report("node-a", true, Set.of(), 0)));
    entityOf(vips.get(0)).tell(new VipEntity.Eligibility("node-a", reports, a.ref()));
    List<Assignment> got =
        a.expectMessageClass(Announcer.Assign.class, Duration.ofSeconds(20)).assignments();
    assertThat(got).extracting(Assignment::vip).containsExactlyInAnyOrderElementsOf(vips);
    assertThat(got).allSatisfy(x -> assertThat(x.candidates()).containsExactly("node-a"));
    a.expectNoMessage(Duration.ofMillis(200));
    // The status API's question, answered from the same state.
    TestProbe<java.util.Optional<Assignment>> asked = kit.createTestProbe();
    entityOf(vips.get(1)).tell(new VipEntity.GetAssignment(vips.get(1), asked.ref()));
    assertThat(asked.receiveMessage())
        .hasValueSatisfying(x -> assertThat(x.vip()).isEqualTo(vips.get(1)));
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
      EntityRef<VipEntity.Command> vip = entityOf("10.0.0.2");
      TestProbe<Announcer.Command> a = kit.createTestProbe();
      TestProbe<Announcer.Command> b = kit.createTestProbe();
      // node-b's report reaches the entity through the shard region; node-a's (the node that
      // took the address over) was lost with the entity's previous home, so only asking brings it,
      // and the entity decides nothing before node-a, an Up speaker, has spoken.
      vip.tell(
          new VipEntity.Eligibility(
              "10.0.0.2", new VipState.Report("node-b", true, Set.of(), 0), b.ref()));
      Speaker.ReportWanted asked =
          (Speaker.ReportWanted)
              speaker
                  .fishForMessage(
                      Duration.ofSeconds(20),
                      m ->
                          m instanceof Speaker.ReportWanted w
                                  && w.group().equals(VipEntity.groupOf("10.0.0.2"))
                              ? FishingOutcomes.complete()
                              : FishingOutcomes.continueAndIgnore())
                  .get(0);
      b.expectNoMessage(Duration.ofMillis(300));
      asked
          .replyTo()
          .tell(
              new VipEntity.Eligibility(
                  "10.0.0.2", new VipState.Report("node-a", true, Set.of(), 0, true), a.ref()));
      // node-a keeps answering: first, or (when node-b is MetalLB's choice) handing over to it.
      assertThat(keeper(only(b))).isEqualTo("node-a");
      assertThat(keeper(only(a))).isEqualTo("node-a");
    } finally {
      system.receptionist().tell(Receptionist.deregister(Speaker.KEY, speaker.ref()));
    }
  }

  /** The node that answers for the address now: the one handing over, else the first. */
  private static String keeper(Assignment a) {
    return a.handingOver() != null ? a.handingOver() : a.candidates().get(0);
  }
}
