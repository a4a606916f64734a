package io.ironlb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A speaker given a broken excludel2.yaml refuses to start, with one line that says why. */
class ExcludeL2ConfigTest {

  @Test
  void aBrokenExcludeFileStopsTheNodeBeforeItStarts(@TempDir Path dir) throws IOException {
    Path config = Files.createDirectory(dir.resolve("config"));
    Path exclude = dir.resolve("excludel2.yaml");
    Files.writeString(exclude, "announcedInterfacesToExclude: [\"^(docker\"]");
    ValidateCommandTest.Run r =
        ValidateCommandTest.run(
            "standalone",
            "--config",
            config.toString(),
            "--node",
            "node-a",
            "--cluster",
            "127.0.0.1:0",
            "--seed",
            "127.0.0.1:1",
            "--http",
            "127.0.0.1:0",
            "--exclude-l2-config",
            exclude.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip())
        .startsWith("ironlb: " + exclude + ": announcedInterfacesToExclude[0]: ^(docker")
        .contains("is not a regular expression")
        .doesNotContain("\tat ");
  }
}
