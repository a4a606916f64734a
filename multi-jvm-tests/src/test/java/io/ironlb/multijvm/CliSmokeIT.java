package io.ironlb.multijvm;

import static org.assertj.core.api.Assertions.assertThat;

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
}
