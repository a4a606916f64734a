package io.ironlb.multijvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster traffic over TLS (Artery tls-tcp with Pekko's rotating-keys engine): two nodes given the
 * credentials {@code ironlb cluster-credentials} wrote form the cluster; a third node without any
 * cannot join it, nor can it with credentials from another CA.
 */
class ClusterTlsIT {
  @TempDir Path config;
  @TempDir Path certs;
  private Layer2Lab lab;

  @RegisterExtension
  final AfterTestExecutionCallback logsOnFailure = Layer2Lab.logsOnFailure(() -> lab);

  @AfterEach
  void tearDown() {
    if (lab != null) {
      lab.close();
    }
  }

  /** {@code ironlb cluster-credentials DIR}: what a standalone operator runs. */
  private static void credentials(Path dir) throws Exception {
    try (IronlbProcess p =
        IronlbProcess.start("credentials", List.of("cluster-credentials", dir.toString()))) {
      assertThat(p.awaitExit(Duration.ofSeconds(60))).isZero();
    }
  }

  @Test
  void nodesWithTheCredentialsFormTheClusterAndOthersCannotJoin(@TempDir Path otherCa)
      throws Exception {
    assumeTrue(Netns.available("curl"), "needs root, curl");
    credentials(certs);
    credentials(otherCa);
    Layer2Lab.writeConfig(config, List.of("10.222.70.240/32"), Layer2Lab.services("web", 1, false));
    List<String> tls = new ArrayList<>(IronlbProcess.PATIENT_DETECTOR);
    tls.add("-Dironlb.cluster.tls-dir=" + certs);
    lab = new Layer2Lab(config, 3, tls);
    lab.start(1);
    lab.start(2);
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> lab.upMembers(1) == 2 && lab.upMembers(2) == 2);
    assertThat(lab.process(1).stderr()).contains("Artery tls-tcp");

    // The same node without the certificate: plain TCP, which the TLS nodes never accept.
    lab.start(3, IronlbProcess.PATIENT_DETECTOR);
    await()
        .during(Duration.ofSeconds(10))
        .atMost(Duration.ofSeconds(12))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> lab.upMembers(1) == 2);
    assertThat(lab.process(3).stderr()).doesNotContain("Welcome from");
    lab.kill(3);

    // TLS, but credentials from another CA: the handshake fails, the node stays out.
    List<String> foreign = new ArrayList<>(IronlbProcess.PATIENT_DETECTOR);
    foreign.add("-Dironlb.cluster.tls-dir=" + otherCa);
    lab.start(3, foreign);
    await()
        .during(Duration.ofSeconds(10))
        .atMost(Duration.ofSeconds(12))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> lab.upMembers(1) == 2);
    assertThat(lab.process(3).stderr()).contains("Artery tls-tcp").doesNotContain("Welcome from");
  }
}
