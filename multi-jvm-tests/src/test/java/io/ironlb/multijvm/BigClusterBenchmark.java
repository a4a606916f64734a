package io.ironlb.multijvm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bigger cluster on a small machine: N speakers (default 12) in the {@link Layer2Lab}, 30
 * addresses, the product's own detector settings, all started at once. Phases, each printed:
 *
 * <ol>
 *   <li>formation: the time until every node sees N members Up, how often a node marked another
 *       unreachable meanwhile, how often the resolver downed all, how often a downed node joined
 *       again, and whether any process exited;
 *   <li>idle: M seconds (default 300) doing nothing, counting unreachability (all of it false) and
 *       the CPU the nodes use;
 *   <li>single-address failover: the owner of one address SIGKILLed three times, kill → the first
 *       ARP frame for it from a live node at the client ({@link ArpFailoverWatch}), then restarted;
 *   <li>starvation: for 60 s the nodes are frozen (SIGSTOP) in turn for 1.5 s every 2 s; then,
 *       after 30 s, how many processes live, how many members are Up, and whether every address is
 *       answered.
 * </ol>
 *
 * Run with {@code scripts/bench-big-cluster.sh [nodes] [idle-seconds]} (root; namespaces removed at
 * the end).
 */
public final class BigClusterBenchmark {
  private BigClusterBenchmark() {}

  private static final int ADDRESSES = 30;

  public static void main(String[] args) throws Exception {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 12;
    int idle = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    if (!Netns.available("curl")) {
      System.err.println("needs root and curl");
      System.exit(2);
    }
    Path config = Layer2Lab.benchConfig("bigcluster", "10.222.128.0/24", ADDRESSES);
    List<String> jvm = Layer2Lab.benchJvm("-Xmx128m");
    List<String> report = new ArrayList<>();
    try (Layer2Lab lab = new Layer2Lab(config, nodes, jvm)) {
      long t0 = System.nanoTime();
      for (int id = 1; id <= nodes; id++) {
        lab.start(id);
      }
      // 1. formation
      Long formed = null;
      while (System.nanoTime() - t0 < Duration.ofSeconds(240).toNanos()) {
        if (alive(lab, nodes) == 0) {
          break;
        }
        boolean all = true;
        for (int id = 1; id <= nodes && all; id++) {
          all = lab.upMembers(id) == nodes;
        }
        if (all) {
          formed = (System.nanoTime() - t0) / 1_000_000;
          break;
        }
        Thread.sleep(500); // polling a lab
      }
      Map<String, Integer> counts = counts(lab, nodes);
      report.add(
          ("formation: %s; unreachable marks %d, DownAll decisions %d, processes alive %d of %d,"
                  + " rejoins %d")
              .formatted(
                  formed == null
                      ? "NOT FORMED within 240 s"
                      : "all " + nodes + " Up after " + formed + " ms",
                  counts.get("unreachable"),
                  counts.get("downAll"),
                  alive(lab, nodes),
                  nodes,
                  counts.get("rejoins")));
      System.out.println(report.get(report.size() - 1));
      if (formed == null) {
        System.out.println(lab.logTails(20));
        return;
      }
      // 2. idle
      long cpuBefore = cpuTicks(lab, nodes);
      Thread.sleep(idle * 1000L); // the phase is the wait: an idle cluster, watched
      long cpuTicks = cpuTicks(lab, nodes) - cpuBefore;
      Map<String, Integer> after = counts(lab, nodes);
      report.add(
          ("idle %d s: unreachable marks %d, processes alive %d of %d, every node sees %s Up,"
                  + " CPU per node %.1f %% of a core, rejoins %d")
              .formatted(
                  idle,
                  after.get("unreachable") - counts.get("unreachable"),
                  alive(lab, nodes),
                  nodes,
                  upCounts(lab, nodes),
                  cpuTicks / (double) nodes / idle, // clock ticks are 1/100 s
                  after.get("rejoins")));
      System.out.println(report.get(report.size() - 1));
      // 3. single-address failover
      List<Long> failovers = new ArrayList<>();
      for (int run = 1; run <= 3; run++) {
        Map<Integer, List<String>> owned = settle(lab, nodes);
        if (run > 1) {
          // The others watch a restarted node patiently (3 s) for 60 s from when it joined, which
          // is before it settled: wait that out, so each kill measures the steady-state failover.
          Thread.sleep(65_000); // the phase is the wait
        }
        String vip = "10.222.128.0";
        int owner =
            owned.entrySet().stream()
                .filter(e -> e.getValue().contains(vip))
                .findFirst()
                .orElseThrow()
                .getKey();
        long ms = MassFailoverBenchmark.failoverOf(lab, owner, List.of(vip), config);
        failovers.add(ms);
        System.out.printf(
            "failover %d: killed %s, %s answered by a live node after %d ms%n",
            run, Layer2Lab.node(owner), vip, ms);
        lab.start(owner);
      }
      Collections.sort(failovers);
      report.add(
          "single-address failover, 3 kills: %s ms (p50 %d ms)"
              .formatted(failovers, failovers.get(1)));
      System.out.println(report.get(report.size() - 1));
      // 4. starvation
      settle(lab, nodes);
      long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      int victim = 1;
      while (System.nanoTime() < end) {
        long pid = lab.process(victim).pid();
        Netns.run(List.of("kill", "-STOP", String.valueOf(pid)));
        Thread.sleep(1500); // the fault is the pause
        Netns.run(List.of("kill", "-CONT", String.valueOf(pid)));
        Thread.sleep(500);
        victim = victim % nodes + 1;
      }
      Thread.sleep(30_000); // recovery time, then look
      report.add(
          "after 60 s of 1.5 s freezes in turn and 30 s of rest: processes alive %d of %d, every node sees %s Up, addresses announced %d of %d"
              .formatted(
                  alive(lab, nodes),
                  nodes,
                  upCounts(lab, nodes),
                  announced(lab, nodes),
                  ADDRESSES));
      System.out.println(report.get(report.size() - 1));
      System.out.println("--- summary");
      report.forEach(System.out::println);
    }
  }

  /** User and system CPU the nodes' processes have used, in clock ticks (1/100 s), from /proc. */
  private static long cpuTicks(Layer2Lab lab, int nodes) throws java.io.IOException {
    long ticks = 0;
    for (int id = 1; id <= nodes; id++) {
      String stat =
          java.nio.file.Files.readString(Path.of("/proc", lab.process(id).pid() + "", "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
    }
    return ticks;
  }

  private static int alive(Layer2Lab lab, int nodes) {
    int n = 0;
    for (int id = 1; id <= nodes; id++) {
      if (lab.process(id).isAlive()) {
        n++;
      }
    }
    return n;
  }

  private static List<Integer> upCounts(Layer2Lab lab, int nodes) {
    List<Integer> ups = new ArrayList<>();
    for (int id = 1; id <= nodes; id++) {
      ups.add(lab.upMembers(id));
    }
    return ups;
  }

  /** Distinct addresses announced by any node. */
  private static int announced(Layer2Lab lab, int nodes) {
    java.util.Set<String> all = new java.util.HashSet<>();
    for (int id = 1; id <= nodes; id++) {
      all.addAll(MassFailoverBenchmark.announcing(lab.http(id, "/v1/l2")));
    }
    return all.size();
  }

  private static Map<String, Integer> counts(Layer2Lab lab, int nodes) throws Exception {
    int unreachable = 0;
    int downAll = 0;
    int rejoins = 0;
    for (int id = 1; id <= nodes; id++) {
      for (String line : lab.process(id).stderr().lines().toList()) {
        if (line.contains("Marking node as UNREACHABLE")) {
          unreachable++;
        }
        if (line.contains("decision DownAll") || line.contains("downing all instead")) {
          downAll++;
        }
        if (line.contains("joining again as a new incarnation")) {
          rejoins++;
        }
      }
    }
    Map<String, Integer> m = new TreeMap<>();
    m.put("unreachable", unreachable);
    m.put("downAll", downAll);
    m.put("rejoins", rejoins);
    return m;
  }

  private static Map<Integer, List<String>> settle(Layer2Lab lab, int nodes)
      throws InterruptedException {
    return MassFailoverBenchmark.settle(lab, nodes, ADDRESSES);
  }
}
