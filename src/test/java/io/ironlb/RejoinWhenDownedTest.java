package io.ironlb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 5: a node the cluster downs joins again in the same process, as a new incarnation,
 * and only a planned stop ends it. Two real cluster nodes on loopback.
 */
class RejoinWhenDownedTest {

  private final List<ActorSystem<Void>> systems = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    systems.forEach(ActorSystem::terminate);
  }

  /** A node's settings as NodeBoot gives them, on loopback, without exiting the test's JVM. */
  private static Config node(String role) {
    return ConfigFactory.parseString(
            """
            pekko.coordinated-shutdown.exit-jvm = off
            pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
            pekko.remote.artery.canonical.port = 0
            """)
        .withFallback(
            NodeBoot.settings(
                NodeBoot.HostPort.parse("127.0.0.1:0"),
                List.of(role),
                List.of(),
                NodeBoot.HostPort.parse("127.0.0.1:0"),
                false));
  }

  private ActorSystem<Void> start(String name, Config config) {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "ironlb", config);
    systems.add(system);
    return system;
  }

  private static Optional<Member> member(ActorSystem<?> observer, Address address) {
    return StreamSupport.stream(Cluster.get(observer).state().getMembers().spliterator(), false)
        .filter(m -> m.address().equals(address))
        .findFirst();
  }

  @Test
  void aDownedNodeJoinsAgainAsANewIncarnationAndOnlyAPlannedStopEndsIt() {
    ActorSystem<Void> first = start("first", node("first"));
    Cluster.get(first).manager().tell(Join.create(Cluster.get(first).selfMember().address()));
    Address seed = Cluster.get(first).selfMember().address();

    List<ActorSystem<Void>> incarnations = new CopyOnWriteArrayList<>();
    List<Config> settingsGiven = new CopyOnWriteArrayList<>();
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                NodeBoot.runUntilStopped(
                    node("second"),
                    new NodeBoot.HostPort("127.0.0.1", 0),
                    List.of(),
                    settings -> {
                      settingsGiven.add(settings);
                      ActorSystem<Void> s = start("second", settings);
                      incarnations.add(s);
                      return s;
                    },
                    s -> {
                      Cluster.get(s).manager().tell(Join.create(seed));
                      return true;
                    }));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !incarnations.isEmpty() && isUp(first, incarnations.get(0)));
    ActorSystem<Void> downed = incarnations.get(0);
    Cluster.get(first).manager().tell(new Down(Cluster.get(downed).selfMember().address()));

    // The downed incarnation ends; a new one (new uid) is Up in the first node's view.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> incarnations.size() == 2 && isUp(first, incarnations.get(1)));
    assertThat(downed.whenTerminated().isCompleted()).isTrue();
    // Not a first seed: the new incarnation joins with the node's own settings.
    assertThat(settingsGiven).hasSize(2).allMatch(c -> c.equals(settingsGiven.get(0)));
    assertThat(exit).isNotDone();
    assertThat(Cluster.get(incarnations.get(1)).selfMember().uniqueAddress().longUid())
        .isNotEqualTo(Cluster.get(downed).selfMember().uniqueAddress().longUid());

    // A planned stop (leaving) ends the loop with the status for it.
    CoordinatedShutdown.get(incarnations.get(1)).runAll(CoordinatedShutdown.clusterLeavingReason());
    assertThat(exit).succeedsWithin(Duration.ofSeconds(60)).isEqualTo(0);
    assertThat(incarnations).hasSize(2);
  }

  private static boolean isUp(ActorSystem<?> observer, ActorSystem<?> node) {
    return member(observer, Cluster.get(node).selfMember().address())
        .filter(
            m ->
                m.status() == MemberStatus.up()
                    && m.uniqueAddress().equals(Cluster.get(node).selfMember().uniqueAddress()))
        .isPresent();
  }

  /**
   * Only the first seed ever forms a cluster: rejoining, it waits a day, not 15 s, for another seed
   * to answer, so a first seed cut off never forms one of its own. The others ask every 3 s.
   */
  @Test
  void aRejoiningFirstSeedWaitsForTheOthersAndTheOthersAskOften() {
    List<String> seeds = List.of("10.222.0.1:7355", "10.222.0.2:7355", "10.222.0.3:7355");
    NodeBoot.HostPort first = NodeBoot.HostPort.parse(seeds.get(0));
    NodeBoot.HostPort other = NodeBoot.HostPort.parse(seeds.get(1));
    NodeBoot.HostPort status = NodeBoot.HostPort.parse("127.0.0.1:7473");
    Config firstSettings = NodeBoot.settings(first, List.of("speaker"), seeds, status, true);
    Config otherSettings = NodeBoot.settings(other, List.of("speaker"), seeds, status, true);
    assertThat(firstSettings.getDuration("pekko.cluster.seed-node-timeout"))
        .isEqualTo(Duration.ofSeconds(15));
    assertThat(otherSettings.getDuration("pekko.cluster.seed-node-timeout"))
        .isEqualTo(NodeBoot.JOIN_RETRY);
    assertThat(
            NodeBoot.rejoining(firstSettings, first, seeds)
                .getDuration("pekko.cluster.seed-node-timeout"))
        .isEqualTo(Duration.ofDays(1));
    assertThat(NodeBoot.rejoining(otherSettings, other, seeds)).isSameAs(otherSettings);
  }

  @Test
  void withWhenDownedExitTheLoopEndsWithTheDowningStatus() {
    Config exit =
        ConfigFactory.parseString("ironlb.cluster.when-downed = exit").withFallback(node("x"));
    assertThat(NodeBoot.rejoinsWhenDowned(exit)).isFalse();
    assertThat(NodeBoot.rejoinsWhenDowned(node("x"))).isTrue();
    // Pekko's own override: a downed node exits with -1 (255).
    assertThat(NodeBoot.exitStatus(exit, Optional.of(CoordinatedShutdown.clusterDowningReason())))
        .isEqualTo(-1);
    assertThat(NodeBoot.exitStatus(exit, Optional.of(CoordinatedShutdown.jvmExitReason())))
        .isZero();
    assertThat(
            NodeBoot.exitStatus(
                exit, Optional.of(io.ironlb.node.Lifeline.EssentialActorStopped.INSTANCE)))
        .isEqualTo(70);
    assertThat(NodeBoot.exitStatus(exit, Optional.of(NodeBoot.StatusPortUnavailable.INSTANCE)))
        .isEqualTo(1);
  }

  @Test
  void aMisspelledWhenDownedNamesTheSetting() {
    Config bad =
        ConfigFactory.parseString("ironlb.cluster.when-downed = restart").withFallback(node("x"));
    assertThatThrownBy(() -> NodeBoot.rejoinsWhenDowned(bad))
        .hasMessageContaining("ironlb.cluster.when-downed")
        .hasMessageContaining("restart");
  }

  /** Only a node that rejoins keeps its JVM when downed; SIGTERM and the rest still exit it. */
  @Test
  void theNodesSettingsKeepTheJvmOnlyWhenDowned() {
    Config c =
        NodeBoot.settings(
            NodeBoot.HostPort.parse("10.222.0.1:7355"),
            List.of("speaker"),
            List.of(),
            NodeBoot.HostPort.parse("127.0.0.1:7473"),
            true);
    assertThat(c.getBoolean("pekko.coordinated-shutdown.exit-jvm")).isTrue();
    assertThat(
            c.getBoolean(
                "pekko.coordinated-shutdown.reason-overrides"
                    + ".\"org.apache.pekko.actor.CoordinatedShutdown$ClusterDowningReason$\""
                    + ".exit-jvm"))
        .isFalse();
  }
}
