package io.ironlb.source.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlb.source.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How often a watched directory is parsed: once per change of its manifests, however many streams
 * watch it, and never for other files (a log written beside the manifests, an editor's swap file).
 */
class FileSourceParsesTest {

  private static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    system = ActorSystem.create(Behaviors.empty(), "file-source-parses");
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  private static final String SERVICE =
      """
      apiVersion: v1
      kind: Service
      metadata: {name: %s, namespace: default}
      spec: {type: LoadBalancer, ports: [{port: 80}]}
      """;

  private UniqueKillSwitch collect(FileSource source, LinkedBlockingDeque<Snapshot> into) {
    return source
        .snapshots()
        .viaMat(KillSwitches.single(), Keep.right())
        .toMat(Sink.foreach(into::add), Keep.left())
        .run(system);
  }

  @Test
  void twoStreamsOfOneSourceParseEachChangeOnceAndShareTheObjects(@TempDir Path dir)
      throws IOException {
    Files.writeString(dir.resolve("a.yaml"), SERVICE.formatted("a"));
    FileSource source = new FileSource(dir, Duration.ofMillis(50));
    LinkedBlockingDeque<Snapshot> first = new LinkedBlockingDeque<>();
    LinkedBlockingDeque<Snapshot> second = new LinkedBlockingDeque<>();
    List<UniqueKillSwitch> streams = List.of(collect(source, first), collect(source, second));
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> !first.isEmpty() && !second.isEmpty());
      assertThat(source.parses()).isEqualTo(1);
      assertThat(first.getLast().resources().services().get(0))
          .as("one copy of each object, whoever watches")
          .isSameAs(second.getLast().resources().services().get(0));

      // Written aside and renamed, as editors do: a tick must not see the file half written
      // (that would be a parse of its own, and this test counts parses).
      Path aside = Files.writeString(dir.resolve("b.yaml.tmp"), SERVICE.formatted("b"));
      Files.move(aside, dir.resolve("b.yaml"), StandardCopyOption.ATOMIC_MOVE);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  first.getLast().resources().services().size() == 2
                      && second.getLast().resources().services().size() == 2);
      assertThat(source.parses()).isEqualTo(2);
    } finally {
      streams.forEach(UniqueKillSwitch::shutdown);
    }
  }

  @Test
  void filesThatAreNotManifestsAreNeitherParsedNorReadAsAChange(@TempDir Path dir)
      throws IOException {
    Files.writeString(dir.resolve("a.yaml"), SERVICE.formatted("a"));
    FileSource source = new FileSource(dir, Duration.ofMillis(50));
    LinkedBlockingDeque<Snapshot> seen = new LinkedBlockingDeque<>();
    UniqueKillSwitch stream = collect(source, seen);
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
      Path log = dir.resolve("node.log");
      // A log growing beside the manifests over ten poll intervals.
      await()
          .pollInterval(Duration.ofMillis(50))
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> {
                Files.writeString(
                    log,
                    "a line\n",
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
                return source.parses() == 1 && seen.size() == 1;
              });
      assertThat(Files.size(log)).isGreaterThan(7 * 5);
    } finally {
      stream.shutdown();
    }
  }

  @Test
  void aFileNamedDirectlyIsReadWhateverItsName(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("services.conf");
    Files.writeString(file, SERVICE.formatted("a"));
    FileSource source = new FileSource(file, Duration.ofMillis(50));
    LinkedBlockingDeque<Snapshot> seen = new LinkedBlockingDeque<>();
    UniqueKillSwitch stream = collect(source, seen);
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
      Files.writeString(file, SERVICE.formatted("a") + "---\n" + SERVICE.formatted("b"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> seen.getLast().resources().services().size() == 2);
    } finally {
      stream.shutdown();
    }
  }
}
