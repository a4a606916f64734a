package io.ironlb.source.files;

import io.ironlb.config.ManifestReader;
import io.ironlb.source.ConfigGate;
import io.ironlb.source.Snapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
}
