package io.ironlb.l2;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlb.source.ClusterFixture;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
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
    vip.tell(new VipEntity.Eligibility(new VipState.Report("node-b", true, Set.of(), 0), b.ref()));
    assertThat(a.expectMessageClass(Announcer.Assign.class).assignment().candidates())
        .containsExactly("node-a", "node-b");
    assertThat(b.expectMessageClass(Announcer.Assign.class).assignment())
        .isEqualTo(
            new Assignment("10.0.0.1", List.of("node-a", "node-b"), Set.of(), first.epoch() + 1));
    vip.tell(new VipEntity.NodeRemoved("node-a"));
    assertThat(b.expectMessageClass(Announcer.Assign.class).assignment().candidates())
        .containsExactly("node-b");
    a.expectNoMessage(Duration.ofMillis(200));
  }
}
