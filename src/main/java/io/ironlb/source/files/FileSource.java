package io.ironlb.source.files;

import io.ironlb.config.ManifestReader;
import io.ironlb.source.ConfigGate;
import io.ironlb.source.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Standalone mode's source: a directory of YAML (the same objects as in Kubernetes), read again
 * every {@code interval} and emitted when what it holds changed. Polling rather than inotify: it
 * sees editors' atomic renames and nested directories alike, and a directory of manifests is small.
 * Reading happens on Pekko's blocking-I/O dispatcher.
 */
public final class FileSource {
  private FileSource() {}

  public static Source<Snapshot, NotUsed> watch(Path dir, Duration interval) {
    return Source.tick(Duration.ZERO, interval, "tick")
        .mapMaterializedValue(c -> NotUsed.getInstance())
        // Parse only when a file's name, size or modification time changed: a directory with
        // 10,000 Services is a megabyte of YAML, too much to parse every second.
        .map(t -> fingerprint(dir))
        .statefulMap(
            () -> Optional.<List<String>>empty(),
            (last, now) ->
                org.apache.pekko.japi.Pair.create(
                    Optional.of(now),
                    last.equals(Optional.of(now))
                        ? Optional.<List<String>>empty()
                        : Optional.of(now)),
            last -> Optional.empty())
        .filter(Optional::isPresent)
        .map(t -> ManifestReader.read(List.of(dir)))
        .withAttributes(ActorAttributes.dispatcher("pekko.stream.blocking-io-dispatcher"))
        .statefulMap(
            () -> Optional.<ManifestReader.Result>empty(),
            (last, read) -> {
              boolean changed =
                  last.isEmpty()
                      || !last.get().resources().equals(read.resources())
                      || !last.get().problems().equals(read.problems());
              return org.apache.pekko.japi.Pair.create(
                  Optional.of(read),
                  changed ? Optional.of(read) : Optional.<ManifestReader.Result>empty());
            },
            last -> Optional.empty())
        .filter(Optional::isPresent)
        .map(Optional::get)
        .statefulMap(
            ConfigGate::new,
            (gate, read) ->
                org.apache.pekko.japi.Pair.create(
                    gate, gate.next(read.resources(), read.problems())),
            gate -> Optional.empty());
  }

  /** Every file under {@code dir} with its size and modification time, sorted. */
  static List<String> fingerprint(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .map(
              f -> {
                try {
                  return f + " " + Files.size(f) + " " + Files.getLastModifiedTime(f);
                } catch (IOException e) {
                  return f + " gone"; // removed while listing: the next tick sees it
                }
              })
          .sorted()
          .toList();
    } catch (IOException | UncheckedIOException e) {
      // An unreadable directory: parse, and let the reader report what is wrong.
      return List.of("unreadable " + System.nanoTime());
    }
  }
}
