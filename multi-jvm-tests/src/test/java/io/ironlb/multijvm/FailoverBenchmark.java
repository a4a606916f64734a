package io.ironlb.multijvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Layer-2 failover time in the three-node {@link Layer2Lab}, with the product's own failure
 * detector settings: SIGKILL of the current owner, N times, measuring kill → the first gratuitous
 * ARP from another node seen by the client (tcpdump in the client's namespace), and kill → the
 * client's neighbour cache pointing at the new owner; then whether more than one node answers. The
 * killed node is started again and the cluster settles, and the next kill waits until the
 * detectors' start-up grace for the restarted node is over. The nodes' JVM options come from {@code
 * IRONLB_BENCH_JVM} (system properties there override the detector's settings). Run with {@code
 * scripts/bench-failover.sh [runs]} (root; the lab's namespaces are removed at the end).
 */
public final class FailoverBenchmark {
  private static final String VIP = Layer2Lab.V4 + ".200";

  /** The failure detector's start-up grace (60 s, from when the node joined) and its start. */
  private static final Duration GRACE = Duration.ofSeconds(95);

  private FailoverBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    if (!Netns.available("tcpdump", "curl", "arping")) {
      System.err.println("needs root, tcpdump, arping and curl");
      System.exit(2);
    }
    Path config = Files.createTempDirectory("ironlb-bench-");
    Layer2Lab.writeConfig(config, List.of(VIP + "/32"), Layer2Lab.services("web", 1, false));
    // The nodes' JVM options (IRONLB_BENCH_JVM), e.g. a faster failure detector's settings.
    try (Layer2Lab lab = new Layer2Lab(config, 3, Layer2Lab.benchJvm("-XX:+UseSerialGC"))) {
      for (int id = 1; id <= 3; id++) {
        lab.start(id);
      }
      List<Long> toGarp = new ArrayList<>();
      List<Long> toCache = new ArrayList<>();
      int doubleAnswers = 0;
      long restartedAt = System.nanoTime();
      for (int run = 1; run <= runs; run++) {
        String owner = settle(lab);
        // A detector is patient for its first minute of watching a node (start-up grace, 3 s):
        // a kill within it would measure the grace, not the detector.
        long graceLeft = GRACE.toNanos() - (System.nanoTime() - restartedAt);
        if (graceLeft > 0) {
          Thread.sleep(graceLeft / 1_000_000); // a phase of the benchmark, not synchronisation
          owner = settle(lab);
        }
        int o = Layer2Lab.id(owner);
        String dead = Layer2Lab.mac(o);
        // A connection attempt makes the client's kernel resolve the address (its cache entry is
        // what the gratuitous ARP must update).
        lab.net().in(lab.client(), "curl", "-s", "--max-time", "1", "http://" + VIP + "/");
        long garpAt;
        long cacheAt = -1;
        long killedAt;
        try (ArpCapture capture = ArpCapture.start(lab.client())) {
          killedAt = System.currentTimeMillis();
          lab.kill(o);
          long deadline = killedAt + 15_000;
          while (System.currentTimeMillis() < deadline) {
            String neigh =
                lab.net().in(lab.client(), "ip", "neigh", "show", VIP, "dev", "eth0").output();
            if (neigh.contains("lladdr") && !neigh.contains(dead)) {
              cacheAt = System.currentTimeMillis();
              break;
            }
          }
          garpAt = capture.firstAnnouncementNotBy(dead, VIP, killedAt, Duration.ofSeconds(5));
        }
        // Once failover is over, exactly one node may answer.
        List<String> answering = lab.arpingMacs(VIP, 2).stream().distinct().toList();
        if (answering.size() > 1) {
          doubleAnswers++;
        }
        long g = garpAt < 0 ? -1 : garpAt - killedAt;
        long c = cacheAt < 0 ? -1 : cacheAt - killedAt;
        System.out.printf(
            "run %2d: killed %s; first gratuitous ARP from the new owner after %5d ms; client cache"
                + " after %5d ms; answering now: %s%n",
            run, owner, g, c, answering);
        if (g >= 0) {
          toGarp.add(g);
        }
        if (c >= 0) {
          toCache.add(c);
        }
        lab.start(o);
        restartedAt = System.nanoTime();
      }
      System.out.println();
      System.out.println(summary("kill -> first gratuitous ARP from the new owner", toGarp, runs));
      System.out.println(summary("kill -> client neighbour cache updated         ", toCache, runs));
      System.out.printf(
          "runs where more than one node answered after the failover: %d of %d%n",
          doubleAnswers, runs);
    }
  }

  /**
   * Waits until all three nodes are up, no planned move is under way (a restarted node takes its
   * share back) and they agree on the owner of default/web; returns it.
   */
  private static String settle(Layer2Lab lab) throws InterruptedException {
    return Layer2Lab.within(
        Duration.ofSeconds(120),
        () -> {
          for (int id = 1; id <= 3; id++) {
            if (lab.upMembers(id) < 3) {
              return null;
            }
          }
          if (lab.movesUnderWay(List.of(1, 2, 3))) {
            return null;
          }
          Map<String, String> owners = lab.agreedOwners(List.of(1, 2, 3));
          return owners == null ? null : owners.get("default/web-0");
        },
        "the lab settling");
  }

  static String summary(String what, List<Long> ms, int runs) {
    if (ms.isEmpty()) {
      return what + ": no data";
    }
    List<Long> sorted = new ArrayList<>(ms);
    Collections.sort(sorted);
    long p50 = sorted.get((sorted.size() - 1) / 2);
    return String.format(
        "%s: p50 %d ms, max %d ms, min %d ms (%d of %d runs)",
        what, p50, sorted.get(sorted.size() - 1), sorted.get(0), sorted.size(), runs);
  }
}
