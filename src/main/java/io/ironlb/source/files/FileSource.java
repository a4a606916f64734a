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
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Standalone mode's source: a directory of YAML (the same objects as in Kubernetes), read again
 * every {@code interval} and emitted when what it holds changed. Polling rather than inotify: it
 * sees editors' atomic renames and nested directories alike, and a directory of manifests is small.
 * Reading happens on Pekko's blocking-I/O dispatcher.
 *
 * <p>A node watches its directory twice (its own feed and, on the node hosting it, the allocator),
 * so one {@code FileSource} parses each change once for every stream it gave out: 10,000 Services
 * are a megabyte of YAML and about 12 MB of objects per copy.
 */
public final class FileSource {
  private final Path dir;
  private final Duration interval;

  /** The last parse and the directory listing it was made from, shared by this source's streams. */
  private Parsed lastParse;

  private int parses;

  private record Parsed(List<String> fingerprint, ManifestReader.Result result) {}

  public FileSource(Path dir, Duration interval) {
    this.dir = dir;
    this.interval = interval;
  }

  /** One stream of snapshots of a directory that nothing else watches. */
  public static Source<Snapshot, NotUsed> watch(Path dir, Duration interval) {
    return new FileSource(dir, interval).snapshots();
  }

  /** A new stream of this directory's snapshots; every stream starts with the current one. */
  public Source<Snapshot, NotUsed> snapshots() {
    return Source.tick(Duration.ZERO, interval, "tick")
        .mapMaterializedValue(c -> NotUsed.getInstance())
        // Parse only when a manifest's name, size or modification time changed: a directory with
        // 10,000 Services is a megabyte of YAML, too much to parse every second.
        .map(t -> fingerprint(dir))
        .statefulMap(
            () -> Optional.<List<String>>empty(),
            (last, now) ->
                Pair.create(
                    Optional.of(now),
                    last.equals(Optional.of(now))
                        ? Optional.<List<String>>empty()
                        : Optional.of(now)),
            last -> Optional.empty())
        .filter(Optional::isPresent)
        .map(fingerprint -> read(fingerprint.get()))
        .withAttributes(ActorAttributes.dispatcher("pekko.stream.blocking-io-dispatcher"))
        .statefulMap(
            () -> Optional.<ManifestReader.Result>empty(),
            (last, read) -> {
              boolean changed =
                  last.isEmpty()
                      || !last.get().resources().equals(read.resources())
                      || !last.get().problems().equals(read.problems());
              // Unchanged: keep the objects already handed on, so only one copy stays alive.
              return changed
                  ? Pair.create(Optional.of(read), Optional.of(read))
                  : Pair.create(last, Optional.<ManifestReader.Result>empty());
            },
            last -> Optional.empty())
        .filter(Optional::isPresent)
        .map(Optional::get)
        .statefulMap(
            ConfigGate::new,
            (gate, read) -> Pair.create(gate, gate.next(read.resources(), read.problems())),
            gate -> Optional.empty());
  }

  /**
   * The directory's objects as of {@code fingerprint}: parsed by the first stream that sees the
   * listing, reused by the others. Blocking (the streams read on the blocking-I/O dispatcher).
   */
  private synchronized ManifestReader.Result read(List<String> fingerprint) {
    if (lastParse == null || !lastParse.fingerprint().equals(fingerprint)) {
      ManifestReader.Result parsed = ManifestReader.read(List.of(dir));
      // The file is the truth and the in-memory status writer never writes an object back, so the
      // node keeps only what it reads of each one.
      lastParse =
          new Parsed(
              fingerprint,
              new ManifestReader.Result(
                  parsed.resources().sliced(),
                  parsed.problems(),
                  parsed.files(),
                  parsed.objects()));
      parses++;
    }
    return lastParse.result();
  }

  /** How many times the directory was parsed, for all of this source's streams. */
  synchronized int parses() {
    return parses;
  }

  /** Every manifest under {@code dir} with its size and modification time, sorted. */
  static List<String> fingerprint(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          // A file named by --config itself is read whatever its name.
          .filter(f -> f.equals(dir) || ManifestReader.isManifest(f))
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
