package io.ironlb.multijvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cold start with many addresses in the three-node {@link Layer2Lab}: N Services (default 10,000)
 * in one pool, all three nodes started at once; the time until a client on the segment gets an ARP
 * answer for every address ({@link ArpSweep}), then each node's heap after a full GC and its RSS.
 * Run with {@code scripts/bench-coldstart.sh [services]} (root; namespaces removed at the end).
 */
public final class ColdStartBenchmark {
  private ColdStartBenchmark() {}

  public static void main(String[] args) throws Exception {
    int services = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    if (!Netns.available("jcmd")) {
      System.err.println("needs root and the JDK's jcmd");
      System.exit(2);
    }
    Path config = Layer2Lab.benchConfig("coldstart", "10.222.128.0/17", services);
    // The nodes' JVM options, space-separated (e.g. the lean set docs/scale.md measures).
    List<String> jvm = Layer2Lab.benchJvm("-Xmx512m");
    try (Layer2Lab lab = new Layer2Lab(config, 3, jvm, false)) {
      long t0 = System.nanoTime();
      java.time.LocalTime wall0 = java.time.LocalTime.now(java.time.ZoneOffset.UTC);
      for (int id = 1; id <= 3; id++) {
        lab.start(id);
      }
      String classpath = System.getProperty("java.class.path");
      List<String> sweepCommand =
          List.of(
              "ip",
              "netns",
              "exec",
              lab.client(),
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-Xmx256m",
              "-cp",
              classpath,
              ArpSweep.class.getName(),
              "eth0",
              Layer2Lab.V4 + ".100",
              "10.222.128.0",
              String.valueOf(services),
              "300");
      Netns.Result sweep = Netns.run(sweepCommand, java.time.Duration.ofSeconds(330));
      long total = (System.nanoTime() - t0) / 1_000_000;
      System.out.println("ARP sweep: " + sweep.output().strip());
      if (!sweep.output().contains("answered " + services + " of")) {
        System.out.println(lab.logTails(30));
      }
      // The sweep times each reply by the kernel's clock (System.nanoTime scale, shared by every
      // process on the host): the last address's first answer, not the end of the sweep's round.
      Matcher lastAt = Pattern.compile("at nanoTime (\\d+)").matcher(sweep.output());
      if (lastAt.find()) {
        System.out.printf(
            "%d addresses: the last one first answered %d ms after the three JVMs were started"
                + " (the sweep ended after %d ms)%n",
            services, (Long.parseLong(lastAt.group(1)) - t0) / 1_000_000, total);
      } else {
        System.out.printf(
            "%d addresses: the sweep ended %d ms after the three JVMs were started%n",
            services, total);
      }
      phases(lab, wall0).forEach(System.out::println);
      for (int id = 1; id <= 3; id++) {
        long pid = lab.process(id).pid();
        String heapInfo =
            Netns.run(List.of("jcmd", String.valueOf(pid), "GC.run")).output()
                + Netns.run(List.of("jcmd", String.valueOf(pid), "GC.heap_info")).output();
        String status = Files.readString(Path.of("/proc", String.valueOf(pid), "status"));
        System.out.printf(
            "%s: heap used after GC %s, RSS %s, announcing %s addresses%n",
            Layer2Lab.node(id),
            usedHeap(heapInfo),
            match(status, "VmRSS:\\s+(\\d+ kB)"),
            MassFailoverBenchmark.announcing(lab.http(id, "/v1/l2")).size());
        if (jvm.stream().anyMatch(o -> o.startsWith("-XX:NativeMemoryTracking"))) {
          // Committed memory by JVM area: what the RSS is made of.
          Netns.run(List.of("jcmd", String.valueOf(pid), "VM.native_memory", "summary"))
              .output()
              .lines()
              .filter(l -> l.matches("^(Total|-\\s+\\w[\\w ]*\\().*"))
              .forEach(l -> System.out.println("    " + l.strip()));
        }
      }
    }
  }

  /**
   * Where the cold start went, per node, from the nodes' logs (seconds after the JVMs were started,
   * by the log lines' wall-clock times): the actor system up, the node Up in the cluster (the
   * leader's "moving node ... to [Up]"), the allocations received, the first and the last
   * announcement.
   */
  static List<String> phases(Layer2Lab lab, java.time.LocalTime wall0) throws Exception {
    List<String> logs = new ArrayList<>();
    for (int id = 1; id <= 3; id++) {
      logs.add(lab.process(id).stderr());
    }
    List<String> out = new ArrayList<>();
    out.add(
        "phases (s after the JVMs were started): system up | node Up | allocations | first and"
            + " last announcement");
    for (int id = 1; id <= 3; id++) {
      String mine = logs.get(id - 1);
      String up = "moving node [pekko://ironlb@" + lab.clusterHost(id) + ":7355] to [Up]";
      Double memberUp = null;
      for (String log : logs) {
        Double t = first(log, up, wall0);
        if (t != null && (memberUp == null || t < memberUp)) {
          memberUp = t;
        }
      }
      out.add(
          "  %s: %s | %s | %s | %s - %s"
              .formatted(
                  Layer2Lab.node(id),
                  seconds(first(mine, "Remoting started", wall0)),
                  seconds(memberUp),
                  seconds(first(mine, "allocations received", wall0)),
                  seconds(first(mine, "announcing ", wall0)),
                  seconds(last(mine, "announcing ", wall0))));
    }
    return out;
  }

  private static Double first(String log, String needle, java.time.LocalTime wall0) {
    return log.lines()
        .filter(l -> l.contains(needle))
        .findFirst()
        .map(l -> at(l, wall0))
        .orElse(null);
  }

  private static Double last(String log, String needle, java.time.LocalTime wall0) {
    return log.lines()
        .filter(l -> l.contains(needle))
        .reduce((a, b) -> b)
        .map(l -> at(l, wall0))
        .orElse(null);
  }

  /** A log line's time (HH:mm:ss.SSS, UTC) as seconds after wall0. */
  private static Double at(String line, java.time.LocalTime wall0) {
    try {
      java.time.LocalTime t = java.time.LocalTime.parse(line.substring(0, 12));
      return java.time.Duration.between(wall0, t).toMillis() / 1000.0;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String seconds(Double s) {
    return s == null ? "-" : "%.1f".formatted(s);
  }

  /** The sum of every generation's "used" in GC.heap_info (serial collector). */
  private static String usedHeap(String heapInfo) {
    Matcher m = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K").matcher(heapInfo);
    long kb = 0;
    while (m.find()) {
      kb += Long.parseLong(m.group(1));
    }
    return kb / 1024 + " MiB";
  }

  private static String match(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? m.group(1) : "?";
  }
}
