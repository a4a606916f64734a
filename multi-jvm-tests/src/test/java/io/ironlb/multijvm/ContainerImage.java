package io.ironlb.multijvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * IronLB's container image (built by {@code scripts/build-image.sh}) in a podman storage of its
 * own, in a temporary directory: loaded once, run as the lab's nodes are (the network of a lab
 * namespace, NET_RAW and NET_ADMIN for packet capture), and removed with every container on {@link
 * #close()}. The runtime is runc and the limits explicit: this VM's cgroups defeat crun, and its
 * sandbox refuses podman's default rlimits.
 */
final class ContainerImage implements AutoCloseable {
  private final Path dir;
  private final String image;

  private ContainerImage(Path dir, String image) {
    this.dir = dir;
    this.image = image;
  }

  /** The project version the image is tagged with (pom.xml's, as the jar's manifest says). */
  static String version() throws IOException {
    String pom = Files.readString(Path.of(System.getProperty("ironlb.basedir", "."), "pom.xml"));
    int at = pom.indexOf("<version>");
    return pom.substring(at + "<version>".length(), pom.indexOf("</version>", at));
  }

  /**
   * The image of the current jar: built (about three minutes, most of it Debian packages) unless an
   * archive newer than the jar exists, then loaded into a fresh storage.
   */
  static ContainerImage load() throws IOException, InterruptedException {
    Path base = Path.of(System.getProperty("ironlb.basedir", "."));
    String version = version();
    Path archive = base.resolve("target/image/ironlb-" + version + ".oci.tar");
    Path jar = IronlbProcess.jar();
    if (!Files.isRegularFile(archive)
        || Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) < 0) {
      run(base, Duration.ofMinutes(15), List.of("bash", "scripts/build-image.sh"));
    }
    Path dir = Files.createTempDirectory("ironlb-podman-");
    ContainerImage loaded = new ContainerImage(dir, "ghcr.io/ironlb/ironlb:" + version);
    try {
      run(base, Duration.ofMinutes(5), loaded.podman("load", "-q", "-i", archive.toString()));
    } catch (IOException | RuntimeException e) {
      loaded.close();
      throw e;
    }
    return loaded;
  }

  String image() {
    return image;
  }

  /** {@code podman} with this storage: never the host's own images or containers. */
  List<String> podman(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "podman",
                "--root",
                dir.resolve("storage").toString(),
                "--runroot",
                dir.resolve("run").toString(),
                "--storage-driver",
                "vfs",
                "--runtime",
                "runc"));
    command.addAll(List.of(args));
    return command;
  }

  /**
   * The command that runs the image as container {@code name} in network namespace {@code netns}
   * (by {@code ip netns}' name), with {@code volumes} mounted at the same paths (read-only) and the
   * JVM options the jar nodes get; signals to it reach the JVM (podman proxies them). Podman joins
   * the namespace itself: under {@code ip netns exec}, which remounts {@code /sys}, runc finds no
   * cgroup mount and refuses to start.
   */
  List<String> run(
      String name, String netns, List<Path> volumes, List<String> jvmOptions, List<String> args) {
    List<String> command =
        podman(
            "run",
            "--rm",
            "--name",
            name,
            "--network=ns:/run/netns/" + netns,
            "--cap-add",
            "NET_RAW,NET_ADMIN",
            "--ulimit",
            "nofile=16384:16384",
            "--ulimit",
            "nproc=16384:16384",
            "-e",
            "JAVA_TOOL_OPTIONS=-Xmx256m -XX:+UseSerialGC " + String.join(" ", jvmOptions));
    for (Path v : volumes) {
      command.add("-v");
      command.add(v + ":" + v + ":ro");
    }
    command.add(image);
    command.addAll(args);
    return command;
  }

  /**
   * SIGKILL to the JVM in container {@code name}: a crash, as {@link IronlbProcess#kill} is for a
   * jar node (a SIGKILL of the podman client would leave the container running).
   */
  void kill(String name) throws IOException, InterruptedException {
    run(dir, Duration.ofSeconds(30), podman("kill", "--signal", "KILL", name));
  }

  /** The command that runs the image once with {@code args}, without a network. */
  List<String> once(String... args) {
    return once(List.of(), args);
  }

  /** As {@link #once(String...)}, with these {@code NAME=value} environment variables. */
  List<String> once(List<String> environment, String... args) {
    List<String> command =
        podman(
            "run",
            "--rm",
            "--network=none",
            "--ulimit",
            "nofile=16384:16384",
            "--ulimit",
            "nproc=16384:16384");
    for (String variable : environment) {
      command.add("-e");
      command.add(variable);
    }
    command.add(image);
    command.addAll(List.of(args));
    return command;
  }

  /** Runs a command to its end within {@code limit}; its output, or an exception saying why not. */
  static String run(Path dir, Duration limit, List<String> command)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile("ironlb-cmd-", ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(command + " did not finish within " + limit);
      }
      String out = Files.readString(log);
      if (p.exitValue() != 0) {
        throw new IOException(command + " exited " + p.exitValue() + ":\n" + out);
      }
      return out;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** Removes every container of this storage, then the storage. */
  @Override
  public void close() {
    try {
      run(dir, Duration.ofMinutes(1), podman("rm", "--force", "--all"));
    } catch (IOException | InterruptedException | RuntimeException e) {
      // The storage goes anyway; a container still running would show in the test's failure.
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temporary directory
    }
  }
}
