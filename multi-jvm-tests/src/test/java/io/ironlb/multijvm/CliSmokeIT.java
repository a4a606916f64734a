package io.ironlb.multijvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar runs as separate JVMs: several at once, each with its own verdict. */
class CliSmokeIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @Test
  void severalJvmsRunSideBySide(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        """
        apiVersion: metallb.io/v1beta1
        kind: BFDProfile
        metadata: {name: slow, namespace: metallb-system}
        spec: {receiveInterval: 5}
        """);
    try (IronlbProcess good = IronlbProcess.start("good", List.of("validate", "examples/"));
        IronlbProcess wrong = IronlbProcess.start("bad", List.of("validate", bad.toString()));
        IronlbProcess version = IronlbProcess.start("version", List.of("--version"))) {
      assertThat(good.awaitExit(DEADLINE)).isZero();
      assertThat(good.stdout()).startsWith("valid: 19 objects in 5 files");

      assertThat(wrong.awaitExit(DEADLINE)).isEqualTo(1);
      assertThat(wrong.stdout().lines())
          .containsExactly(
              "BFDProfile metallb-system/slow: spec.receiveInterval: invalid value 5, must be in"
                  + " 10-60000 range");

      assertThat(version.awaitExit(DEADLINE)).isZero();
      assertThat(version.stdout()).startsWith("ironlb 0.1.0");
    }
  }

  /**
   * Issue 13, finding 6: a node whose status or cluster port is taken exits non-zero with one line
   * saying so, instead of running on without /ready, /v1 and /metrics. The ports are held by this
   * test for the whole test (never opened and closed to "find" a free one).
   */
  @Test
  void aNodeWhosePortIsTakenExitsWithOneClearLine(@TempDir Path dir) throws Exception {
    try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String taken = "127.0.0.1:" + held.getLocalPort();
      try (IronlbProcess status =
          IronlbProcess.start("status-taken", standalone(dir, "127.0.0.1:0", taken))) {
        assertThat(status.awaitExit(DEADLINE)).isEqualTo(1);
        assertThat(status.stderr().lines())
            .contains(
                "ironlb: cannot serve the status port "
                    + taken
                    + ": [/"
                    + taken
                    + "] Address already in use");
      }
      try (IronlbProcess cluster =
          IronlbProcess.start("cluster-taken", standalone(dir, taken, "127.0.0.1:0"))) {
        assertThat(cluster.awaitExit(DEADLINE)).isNotZero();
        assertThat(cluster.stderr().lines())
            .anyMatch(l -> l.startsWith("ironlb: Failed to bind TCP to [" + taken + "]"));
      }
    }
  }

  /** A one-node standalone command line: the cluster address seeds itself. */
  private static List<String> standalone(Path config, String cluster, String http) {
    return List.of(
        "standalone",
        "--config",
        config.toString(),
        "--node",
        "n1",
        "--cluster",
        cluster,
        "--seed",
        cluster,
        "--http",
        http,
        "--interfaces",
        "none");
  }
}
