package io.ironlb.multijvm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code ironlb} JVM started from the packaged jar, as an operator would start it. Output goes
 * to files so a chatty process never blocks on a full pipe. {@link #close()} stops only this
 * process, by its PID, and is safe to call on failure paths.
 */
public final class IronlbProcess implements AutoCloseable {

  /** Every process started here and not yet closed: stopped by PID if this JVM is told to exit. */
  private static final java.util.Set<IronlbProcess> LIVE =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> LIVE.forEach(p -> p.process.destroyForcibly())));
  }

  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private final String name;

  private IronlbProcess(String name, Process process, Path stdout, Path stderr) {
    this.name = name;
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** The jar failsafe passes in ({@code ironlb.jar}), built by {@code package}. */
  public static Path jar() {
    Path jar = Path.of(System.getProperty("ironlb.jar", "target/ironlb.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run mvn package first");
    }
    return jar;
  }

  /** Starts {@code java -jar ironlb.jar ARGS...} with a small heap. */
  public static IronlbProcess start(String name, List<String> args) throws IOException {
    return startIn(null, name, args);
  }

  /**
   * As {@link #start}, inside a network namespace ({@code ip netns exec} execs, so the PID is the
   * JVM's own and signals reach it).
   */
  public static IronlbProcess startIn(String namespace, String name, List<String> args)
      throws IOException {
    return startIn(namespace, name, List.of(), args);
  }

  /**
   * Correctness tests start several JVMs at once on a small machine: a conservative failure
   * detector keeps start-up CPU starvation from being mistaken for failed nodes (the benchmark
   * measures the product's own, faster settings).
   */
  public static final List<String> PATIENT_DETECTOR =
      List.of(
          "-Dironlb.cluster.fast-failure-detection.failure-detector.heartbeat-interval=1s",
          "-Dironlb.cluster.fast-failure-detection.failure-detector.acceptable-heartbeat-pause=3s",
          "-Dironlb.cluster.fast-failure-detection.split-brain-resolver.stable-after=20s");

  public static IronlbProcess startIn(
      String namespace, String name, List<String> jvmOptions, List<String> args)
      throws IOException {
    return startIn(namespace, name, jvmOptions, args, java.util.Map.of());
  }

  /** As above, with these environment variables added to the process's. */
  public static IronlbProcess startIn(
      String namespace,
      String name,
      List<String> jvmOptions,
      List<String> args,
      java.util.Map<String, String> env)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    Path cds = cdsArchive();
    if (cds != null) {
      command.add("-XX:SharedArchiveFile=" + cds);
      command.add("-Xlog:cds=off,cds+dynamic=off");
    }
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(args);
    return launch(namespace, name, command, env);
  }

  private static Path cds;
  private static boolean cdsTried;

  /**
   * The jar's class-data sharing archive ({@code scripts/cds-archive.sh}), written once per test
   * JVM when it is missing or older than the jar; null when it cannot be made, and nodes then start
   * without it. Twelve nodes starting at once on two cores spend most of their first minute parsing
   * and verifying classes; mapped from the archive, a node's start costs about 40 % less CPU.
   */
  static synchronized Path cdsArchive() {
    if (cdsTried) {
      return cds;
    }
    cdsTried = true;
    Path base = Path.of(System.getProperty("ironlb.basedir", "."));
    Path jar = base.resolve(jar()).toAbsolutePath();
    Path archive = jar.resolveSibling("ironlb.jsa");
    try {
      if (Files.isRegularFile(archive)
          && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0) {
        cds = archive;
        return cds;
      }
      Path log = Files.createTempFile("ironlb-cds-", ".log");
      ProcessBuilder training =
          new ProcessBuilder(
                  "bash",
                  base.resolve("scripts/cds-archive.sh").toString(),
                  jar.toString(),
                  archive.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      training
          .environment()
          .put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
      Process p = training.start();
      if (p.waitFor(180, TimeUnit.SECONDS) && p.exitValue() == 0) {
        cds = archive;
      } else {
        p.destroyForcibly();
        System.err.println(
            "no class-data sharing archive (nodes start without one): "
                + String.join(" | ", Files.readAllLines(log)));
      }
      Files.deleteIfExists(log);
    } catch (IOException e) {
      System.err.println("no class-data sharing archive: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return cds;
  }

  /**
   * Runs {@code command} (an {@code ironlb} launcher: {@code java -jar ...}, or a container runtime
   * running the image) inside {@code namespace}, or here when it is null, with its output in a
   * directory of its own.
   */
  static IronlbProcess launch(String namespace, String name, List<String> command)
      throws IOException {
    return launch(namespace, name, command, java.util.Map.of());
  }

  private static IronlbProcess launch(
      String namespace, String name, List<String> command, java.util.Map<String, String> env)
      throws IOException {
    List<String> full = new ArrayList<>();
    if (namespace != null) {
      full.addAll(List.of("ip", "netns", "exec", namespace));
    }
    full.addAll(command);
    Path dir = Files.createTempDirectory("ironlb-" + name + "-");
    Path out = dir.resolve("stdout");
    Path err = dir.resolve("stderr");
    ProcessBuilder builder =
        new ProcessBuilder(full)
            .directory(Path.of(System.getProperty("ironlb.basedir", ".")).toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().putAll(env);
    Process p = builder.start();
    IronlbProcess started = new IronlbProcess(name, p, out, err);
    LIVE.add(started);
    return started;
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }

  public long pid() {
    return process.pid();
  }

  /** Waits for exit within the deadline; fails (and kills) when the process overruns it. */
  public int awaitExit(Duration deadline) throws InterruptedException {
    if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
      close();
      throw new AssertionError(name + " (pid " + pid() + ") did not exit within " + deadline);
    }
    return process.exitValue();
  }

  public String stdout() throws IOException {
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  public String stderr() throws IOException {
    return Files.readString(stderr, StandardCharsets.UTF_8);
  }

  /** The last {@code lines} lines of its log (stderr), headed by its name and PID. */
  public String logTail(int lines) {
    StringBuilder sb = new StringBuilder("---- ").append(this).append('\n');
    try {
      List<String> all = stderr().lines().toList();
      all.subList(Math.max(0, all.size() - lines), all.size())
          .forEach(l -> sb.append(l).append('\n'));
    } catch (IOException e) {
      sb.append(e).append('\n');
    }
    return sb.toString();
  }

  /**
   * For a test class's {@code @RegisterExtension}: when a test fails, the last lines of the logs of
   * the processes the supplier gives at that moment.
   */
  public static org.junit.jupiter.api.extension.AfterTestExecutionCallback logsOnFailure(
      java.util.function.Supplier<? extends java.util.Collection<IronlbProcess>> processes) {
    return ctx -> {
      if (ctx.getExecutionException().isPresent()) {
        processes.get().forEach(p -> System.out.println(p.logTail(80)));
      }
    };
  }

  /** The ports a node bound (it was started with port 0 and reports what it got). */
  public record Ports(int cluster, int http) {}

  private static final java.util.regex.Pattern BOUND =
      java.util.regex.Pattern.compile(
          "cluster address pekko://ironlb@\\S*:(\\d+), status API on http://\\S*:(\\d+)");

  /**
   * Waits for the node's own report of the ports it bound: tests start nodes on port 0, so no port
   * is ever guessed (a port found free and then closed can be taken by anyone before it is used).
   */
  public Ports awaitPorts(Duration deadline) throws IOException, InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < end) {
      java.util.regex.Matcher m = BOUND.matcher(stderr());
      if (m.find()) {
        return new Ports(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
      }
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited before reporting its ports:\n" + logTail(40));
      }
      Thread.sleep(50); // polling a log file for a line, with a deadline
    }
    throw new AssertionError(name + " did not report its ports within " + deadline);
  }

  /** SIGKILL: the process gets no chance to leave the cluster or withdraw anything. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM: the process leaves the cluster and hands its addresses over before it exits. */
  public void terminate() {
    process.destroy();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    LIVE.remove(this);
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
