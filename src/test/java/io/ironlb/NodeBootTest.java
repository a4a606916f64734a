package io.ironlb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Pekko settings every kind of node gets. */
class NodeBootTest {

  private static Config settings(boolean speaker) {
    return NodeBoot.settings(
        NodeBoot.HostPort.parse("10.222.0.1:7355"),
        List.of(speaker ? "speaker" : "controller"),
        List.of(),
        NodeBoot.HostPort.parse("127.0.0.1:7473"),
        speaker);
  }

  /**
   * Issue 14: one split-brain setting for every component. Controllers and speakers are members of
   * one cluster, and the resolver only decides alike on every member when its settings are the
   * same; only the failure detector is faster on speakers.
   */
  @Test
  void controllersAndSpeakersResolveSplitBrainsAlike() {
    Config speaker = settings(true);
    Config controller = settings(false);
    assertThat(controller.getConfig("pekko.cluster.split-brain-resolver").root().unwrapped())
        .isEqualTo(speaker.getConfig("pekko.cluster.split-brain-resolver").root().unwrapped());
    assertThat(controller.getString("pekko.cluster.downing-provider-class"))
        .isEqualTo(speaker.getString("pekko.cluster.downing-provider-class"))
        .contains("SplitBrainResolver");
    assertThat(controller.getDuration("pekko.cluster.split-brain-resolver.stable-after"))
        .isEqualTo(speaker.getDuration("pekko.cluster.split-brain-resolver.stable-after"));
    assertThat(speaker.getDuration("pekko.cluster.failure-detector.acceptable-heartbeat-pause"))
        .isLessThan(
            controller.getDuration("pekko.cluster.failure-detector.acceptable-heartbeat-pause"));
  }

  /**
   * A lean speaker: no cluster MBeans and no Flight Recorder events unless an operator sets them on
   * (docs/operations.md), for every kind of node.
   */
  @Test
  void noMBeansNorFlightRecorderEventsByDefault() {
    for (boolean speaker : new boolean[] {true, false}) {
      Config node = settings(speaker);
      assertThat(node.getBoolean("pekko.cluster.jmx.enabled")).isFalse();
      assertThat(node.getBoolean("pekko.java-flight-recorder.enabled")).isFalse();
    }
  }

  /**
   * {@code ironlb.cluster.failover = quick} halves the heartbeat interval and shortens the
   * acceptable pause and the reaper; everything else (watchers, start-up grace, the resolver)
   * stays.
   */
  @Test
  void quickFailoverChangesOnlyTheDetectorsTiming() {
    Config standard = NodeBoot.failureDetection(ConfigFactory.load());
    Config quick =
        NodeBoot.failureDetection(
            ConfigFactory.parseString("ironlb.cluster.failover = quick")
                .withFallback(ConfigFactory.load()));
    assertThat(standard.getDuration("failure-detector.heartbeat-interval"))
        .isEqualTo(Duration.ofMillis(100));
    assertThat(standard.getDuration("failure-detector.acceptable-heartbeat-pause"))
        .isEqualTo(Duration.ofMillis(400));
    assertThat(quick.getDuration("failure-detector.heartbeat-interval"))
        .isEqualTo(Duration.ofMillis(50));
    assertThat(quick.getDuration("failure-detector.acceptable-heartbeat-pause"))
        .isEqualTo(Duration.ofMillis(150));
    assertThat(quick.getDuration("unreachable-nodes-reaper-interval"))
        .isEqualTo(Duration.ofMillis(50));
    for (String same :
        List.of(
            "failure-detector.monitored-by-nr-of-members",
            "failure-detector.implementation-class",
            "failure-detector.startup-grace",
            "failure-detector.startup-acceptable-heartbeat-pause",
            "failure-detector.threshold",
            "split-brain-resolver")) {
      assertThat(quick.getValue(same)).as(same).isEqualTo(standard.getValue(same));
    }
    assertThatThrownBy(
            () ->
                NodeBoot.failureDetection(
                    ConfigFactory.parseString("ironlb.cluster.failover = fast")
                        .withFallback(ConfigFactory.load())))
        .hasMessage("ironlb.cluster.failover: expected standard or quick, got \"fast\"");
  }

  /**
   * The deploy's status port listens on every address (0.0.0.0:7473), but a node must name its own
   * address to the others: Cluster Bootstrap recognises itself among the discovered contact points
   * (pod IP and port) only that way (ClusterBootstrapIT failed before).
   */
  @Test
  void aStatusPortOnEveryAddressAdvertisesTheNodesOwn() {
    Config wildcard =
        NodeBoot.settings(
            NodeBoot.HostPort.parse("10.222.0.1:7355"),
            List.of("speaker"),
            List.of(),
            NodeBoot.HostPort.parse("0.0.0.0:7473"),
            true);
    assertThat(wildcard.getString("pekko.management.http.hostname")).isEqualTo("10.222.0.1");
    assertThat(wildcard.getString("pekko.management.http.bind-hostname")).isEqualTo("0.0.0.0");
    assertThat(wildcard.getInt("pekko.management.http.port")).isEqualTo(7473);
    Config specific = settings(true);
    assertThat(specific.getString("pekko.management.http.hostname")).isEqualTo("127.0.0.1");
    assertThat(specific.getString("pekko.management.http.bind-hostname")).isEmpty();
  }
}
