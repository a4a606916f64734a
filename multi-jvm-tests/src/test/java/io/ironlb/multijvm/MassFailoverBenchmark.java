package io.ironlb.multijvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mass failover in the three-node {@link Layer2Lab}: N Services (default 6,000) in one pool; each
 * run SIGKILLs a node — the oldest (it hosts the cluster singletons: the allocator, the shard
 * coordinator) in odd runs, the younger node with the most addresses in even runs — and a client
 * ({@link ArpFailoverWatch}) times, for every address the dead node announced, kill → the first ARP
 * frame for it from a live node. The killed node is started again and the lab settles before the
 * next run. Run with {@code scripts/bench-mass-failover.sh [services] [runs]} (root; namespaces
 * removed at the end).
 */
public final class MassFailoverBenchmark {
  private MassFailoverBenchmark() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    int services = args.length > 0 ? Integer.parseInt(args[0]) : 6_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    if (!Netns.available("curl")) {
      System.err.println("needs root and curl");
      System.exit(2);
    }
    Path config = Layer2Lab.benchConfig("massfailover", "10.222.128.0/17", services);
    try (Layer2Lab lab = new Layer2Lab(config, 3, Layer2Lab.benchJvm("-Xmx512m"), false)) {
      for (int id = 1; id <= 3; id++) {
        lab.start(id);
      }
      boolean fresh = true; // nodes started since the last kill
      List<String> lines = new ArrayList<>();
      for (int run = 1; run <= runs; run++) {
        Map<Integer, List<String>> owned = settle(lab, 3, services);
        System.out.println("then " + quiet(lab, 3));
        // Past the failure detector's start-up grace (3 s for its first minute of watching a
        // node, which starts when the nodes have joined: about when the lab first settles), so
        // that a kill measures the steady state, as in production, not a node's first minute.
        if (fresh) {
          Thread.sleep(62_000); // the grace is a duration to outlast, not a sync
          fresh = false;
        }
        int oldest = oldest(lab);
        int victim = oldest;
        if (run % 2 == 0) {
          victim = -1;
          for (var e : owned.entrySet()) {
            if (e.getKey() != oldest
                && (victim < 0 || e.getValue().size() > owned.get(victim).size())) {
              victim = e.getKey();
            }
          }
        }
        System.out.println(
            "before the kill, the owner of %s's addresses as each survivor sees it: %s"
                .formatted(Layer2Lab.node(victim), survivorViews(lab, victim, owned.get(victim))));
        String line =
            "run %d: killed %s (%s), %s%n"
                .formatted(
                    run,
                    Layer2Lab.node(victim),
                    victim == oldest ? "the oldest" : "a younger node",
                    failover(lab, victim, owned.get(victim), config));
        System.out.print(line);
        lines.add(line);
        lab.start(victim);
        fresh = true;
      }
      System.out.println("--- summary");
      lines.forEach(System.out::print);
    }
  }

  /** Kills node {@code victim} and returns the figures of its addresses' failover. */
  private static String failover(Layer2Lab lab, int victim, List<String> addresses, Path dir)
      throws Exception {
    java.time.LocalTime[] killedClock = new java.time.LocalTime[1];
    String result = watchWhileKilling(lab, victim, addresses, dir, killedClock);
    return summarise(addresses.size(), result)
        + "\n    "
        + survivorsLogs(lab, victim, killedClock[0]);
  }

  /**
   * Kills node {@code victim}; returns kill → the last of {@code addresses} answered by a live node
   * (ms), or -1 when one was not answered within 60 s.
   */
  static long failoverOf(Layer2Lab lab, int victim, List<String> addresses, Path dir)
      throws Exception {
    String result = watchWhileKilling(lab, victim, addresses, dir, new java.time.LocalTime[1]);
    List<Long> ms = millis(result);
    return ms.size() < addresses.size() ? -1 : ms.get(ms.size() - 1);
  }

  /** The {@link ArpFailoverWatch} line for a kill of {@code victim}. */
  private static String watchWhileKilling(
      Layer2Lab lab,
      int victim,
      List<String> addresses,
      Path dir,
      java.time.LocalTime[] killedClock)
      throws Exception {
    Path list = dir.resolve("victim-addresses");
    Files.write(list, addresses);
    Process watch =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                lab.client(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                ArpFailoverWatch.class.getName(),
                "eth0",
                Layer2Lab.V4 + ".100",
                list.toString(),
                Layer2Lab.mac(victim),
                "60")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8));
      String ready = out.readLine();
      if (!"ready".equals(ready)) {
        throw new IllegalStateException("the ARP watcher did not start: " + ready);
      }
      killedClock[0] = java.time.LocalTime.now();
      long killedAt = System.nanoTime();
      lab.kill(victim);
      PrintWriter in = new PrintWriter(watch.getOutputStream(), true, StandardCharsets.UTF_8);
      in.println(killedAt);
      String result = out.readLine();
      return result == null ? "" : result;
    } finally {
      watch.destroyForcibly();
    }
  }

  private static List<Long> millis(String result) {
    Matcher m = Pattern.compile("ms \\[([0-9, ]*)\\]").matcher(result);
    List<Long> ms = new ArrayList<>();
    if (m.find() && !m.group(1).isBlank()) {
      for (String v : m.group(1).split(",\\s*")) {
        ms.add(Long.parseLong(v));
      }
    }
    return ms;
  }

  private static final Pattern LOG_TIME = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) ");
  private static final Pattern TOOK_OVER =
      Pattern.compile(
          "took over (\\d+) address\\(es\\) from an unreachable owner, (\\d+) ms after");

  /**
   * Where the time went on each survivor, from its log: kill → its failure detector marked the dead
   * node unreachable, and kill → the last of its take-overs (with the addresses it took).
   */
  private static String survivorsLogs(Layer2Lab lab, int victim, java.time.LocalTime killed)
      throws java.io.IOException {
    StringBuilder sb = new StringBuilder();
    for (int id = 1; lab.process(id) != null; id++) {
      if (id == victim) {
        continue;
      }
      long unreachable = -1;
      long lastTakeOver = -1;
      int took = 0;
      for (String line : lab.process(id).stderr().lines().toList()) {
        Matcher t = LOG_TIME.matcher(line);
        if (!t.find()) {
          continue;
        }
        long ms =
            java.time.Duration.between(killed, java.time.LocalTime.parse(t.group(1))).toMillis();
        if (ms < 0 || ms > 60_000) {
          continue;
        }
        if (unreachable < 0 && line.contains("Marking node as UNREACHABLE")) {
          unreachable = ms;
        }
        Matcher m = TOOK_OVER.matcher(line);
        if (m.find()) {
          took += Integer.parseInt(m.group(1));
          lastTakeOver = ms;
        }
      }
      sb.append(
          "%s: unreachable after %d ms, took over %d address(es), the last %d ms after the kill; "
              .formatted(Layer2Lab.node(id), unreachable, took, lastTakeOver));
    }
    return sb.toString();
  }

  private static String summarise(int addresses, String result) {
    List<Long> ms = millis(result);
    String head = result.replaceAll("; ms \\[.*\\]", "");
    if (ms.isEmpty()) {
      return "%d addresses: none answered (%s)".formatted(addresses, head);
    }
    return "%d addresses: kill -> answered by a live node p50 %d ms, p90 %d ms, p99 %d ms, all %d ms; %s"
        .formatted(
            addresses,
            ms.get(ms.size() / 2),
            ms.get(ms.size() * 9 / 10),
            ms.get(Math.min(ms.size() - 1, ms.size() * 99 / 100)),
            ms.get(ms.size() - 1),
            head);
  }

  /**
   * Waits until all the nodes see each other Up, no planned move is under way (the spread is
   * MetalLB's) and every address is announced by exactly one node; prints how long that took and
   * the spread, and returns node → the addresses it announces.
   */
  static Map<Integer, List<String>> settle(Layer2Lab lab, int nodes, int services)
      throws InterruptedException {
    String[] last = {""};
    long start = System.nanoTime();
    try {
      Map<Integer, List<String>> owned = balanced(lab, nodes, services, last);
      System.out.printf(
          "settled after %.1f s; spread %s%n", (System.nanoTime() - start) / 1e9, spread(owned));
      return owned;
    } catch (IllegalStateException e) {
      System.out.println("not settled: " + last[0]);
      System.out.println(lab.logTails(40));
      throw e;
    }
  }

  /**
   * The addresses per node, and the largest deviation from an even share (the goal: within
   * ±10 %).
   */
  static String spread(Map<Integer, List<String>> owned) {
    int total = owned.values().stream().mapToInt(List::size).sum();
    double even = (double) total / owned.size();
    double worst = 0;
    StringBuilder sb = new StringBuilder();
    for (var e : owned.entrySet()) {
      sb.append("%s %d, ".formatted(Layer2Lab.node(e.getKey()), e.getValue().size()));
      worst = Math.max(worst, Math.abs(e.getValue().size() - even) / even);
    }
    return sb + "largest deviation from an even share %.1f %%".formatted(worst * 100);
  }

  private static Map<Integer, List<String>> balanced(
      Layer2Lab lab, int nodes, int services, String[] last) throws InterruptedException {
    List<Integer> ids = java.util.stream.IntStream.rangeClosed(1, nodes).boxed().toList();
    return Layer2Lab.within(
        Duration.ofSeconds(900),
        () -> {
          Map<Integer, List<String>> owned = new TreeMap<>();
          int total = 0;
          StringBuilder seen = new StringBuilder();
          for (int id = 1; id <= nodes; id++) {
            int up = lab.upMembers(id);
            List<String> mine = announcing(lab.http(id, "/v1/l2"));
            seen.append(
                "%s sees %d Up, announces %d; ".formatted(Layer2Lab.node(id), up, mine.size()));
            owned.put(id, mine);
            total += mine.size();
            if (up != nodes) {
              total = -1;
            }
          }
          last[0] = seen.toString();
          long distinct = owned.values().stream().flatMap(List::stream).distinct().count();
          // Every node knows every owner (a node that has just joined and not yet heard from the
          // VIP entities starts no move either), and none is moving.
          if (total != services || distinct != services || lab.movesUnderWay(ids)) {
            return null;
          }
          Map<String, String> agreed = lab.agreedOwners(ids);
          return agreed != null && agreed.size() == services ? owned : null;
        },
        "a settled lab");
  }

  static List<String> announcing(String l2) {
    List<String> ips = new ArrayList<>();
    if (l2 == null) {
      return ips;
    }
    try {
      JSON.readTree(l2).path("announcing").forEach(n -> ips.add(n.asText()));
    } catch (java.io.IOException e) {
      // a node still starting
    }
    return ips;
  }

  /**
   * For each survivor, how many of the victim's addresses it knows an owner of ({@code
   * /v1/services}): a survivor with no assignment for an address is no standby for it and cannot
   * take it over on its own.
   */
  private static String survivorViews(Layer2Lab lab, int victim, List<String> addresses)
      throws java.io.IOException {
    java.util.Set<String> mine = new java.util.HashSet<>(addresses);
    StringBuilder sb = new StringBuilder();
    for (int id = 1; id <= 3; id++) {
      if (id == victim) {
        continue;
      }
      int known = 0;
      String body = lab.http(id, "/v1/services");
      if (body != null) {
        for (JsonNode row : JSON.readTree(body)) {
          JsonNode ips = row.path("ips");
          if (ips.size() > 0
              && mine.contains(ips.get(0).asText())
              && row.path("l2").path("owner").isTextual()) {
            known++;
          }
        }
      }
      sb.append("%s knows %d of %d; ".formatted(Layer2Lab.node(id), known, addresses.size()));
    }
    return sb.toString().strip();
  }

  /**
   * Waits (at most 5 minutes) until every node uses under 30 % of a core over 10 s: a node kills in
   * production have been running for a while, and right after a start the JIT compiler and the
   * first passes over thousands of addresses keep two cores busy (three fresh nodes with 6,000
   * addresses: 90 %, 50 % and 50 % of a core in their first minute; 13 %, 10 %, 10 % after four).
   */
  static String quiet(Layer2Lab lab, int nodes) throws Exception {
    long start = System.nanoTime();
    String last = "";
    while (System.nanoTime() - start < Duration.ofMinutes(5).toNanos()) {
      long[] before = new long[nodes + 1];
      for (int id = 1; id <= nodes; id++) {
        before[id] = cpuTicks(lab.process(id).pid());
      }
      Thread.sleep(10_000); // the measurement window
      StringBuilder sb = new StringBuilder();
      boolean quiet = true;
      for (int id = 1; id <= nodes; id++) {
        long percent = (cpuTicks(lab.process(id).pid()) - before[id]) * 100 / (10 * 100);
        quiet &= percent < 30;
        sb.append("%s %d%% ".formatted(Layer2Lab.node(id), percent));
      }
      last = sb.toString().strip();
      if (quiet) {
        break;
      }
    }
    return "CPU over the last 10 s, after %d s: %s"
        .formatted((System.nanoTime() - start) / 1_000_000_000, last);
  }

  /** utime + stime of a process, in clock ticks (100 per second on Linux). */
  private static long cpuTicks(long pid) throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** The node id of the oldest member (Pekko Management's {@code oldest}), as node 1..3 see it. */
  private static int oldest(Layer2Lab lab) throws java.io.IOException {
    for (int id = 1; id <= 3; id++) {
      String body = lab.http(id, "/cluster/members");
      if (body != null) {
        JsonNode members = JSON.readTree(body);
        Matcher m = Pattern.compile("\\.(\\d+):\\d+$").matcher(members.path("oldest").asText());
        if (m.find()) {
          return Integer.parseInt(m.group(1));
        }
      }
    }
    throw new IllegalStateException("no node names the oldest member");
  }
}
