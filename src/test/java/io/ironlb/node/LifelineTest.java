package io.ironlb.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlb.l2.Speaker;
import io.ironlb.source.ClusterFixture;
import io.ironlb.source.Snapshot;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, finding 7: a node whose Speaker (or any essential actor) stops is not left Up and ready
 * with part of it dead; its lifeline reports not ready and takes the node down.
 */
class LifelineTest {
  private ActorSystem<Void> system;
  private ActorTestKit kit;

  @AfterEach
  void stop() {
    if (kit != null) {
      kit.shutdownTestKit();
    }
  }

  private void start() {
    system = ClusterFixture.member("lifeline", List.of("speaker", "node=node-a"), null);
    kit = ActorTestKit.create(system);
  }

  @Test
  void aNodeWhoseSnapshotStreamFailsGoesDown() {
    start();
    TestProbe<String> lost = kit.createTestProbe();
    ActorRef<Lifeline.Command> lifeline = kit.spawn(Lifeline.create(lost.ref()::tell));
    TestProbe<Speaker.Command> speaker = kit.createTestProbe();
    ActorRef<NodeFeed.Command> feed =
        kit.spawn(
            NodeFeed.create(
                "node-a",
                true,
                Source.<Snapshot>failed(new IllegalStateException("the API server went away")),
                new NodeFeed.FromServiceStatus(),
                speaker.ref(),
                null));
    lifeline.tell(new Lifeline.Watch(feed, "the node feed"));
    assertThat(lost.receiveMessage(Duration.ofSeconds(10))).isEqualTo("the node feed");
    assertThat(Lifeline.Health.get(system).lost()).isEqualTo("the node feed");
    assertThat(new NodeReadiness(Adapter.toClassic(system)).get().toCompletableFuture().join())
        .as("/ready")
        .isFalse();
  }

  @Test
  void aNodeWithAllItsActorsIsReadyAndAnActorThatThrowsIsALoss() {
    start();
    TestProbe<String> lost = kit.createTestProbe();
    ActorRef<Lifeline.Command> lifeline = kit.spawn(Lifeline.create(lost.ref()::tell));
    ActorRef<String> fragile =
        kit.spawn(
            Behaviors.receiveMessage(
                m -> {
                  throw new IllegalStateException(m);
                }));
    lifeline.tell(new Lifeline.Watch(fragile, "the link responder on eth0"));
    lost.expectNoMessage(Duration.ofMillis(300));
    assertThat(new NodeReadiness(Adapter.toClassic(system)).get().toCompletableFuture().join())
        .isTrue();
    fragile.tell("a bug");
    assertThat(lost.receiveMessage(Duration.ofSeconds(10))).isEqualTo("the link responder on eth0");
  }
}
