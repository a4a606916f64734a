package io.ironlb.multijvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Layer-2 failover time in the three-node namespace lab: SIGKILL of the current owner, N times,
 * measuring kill → the first gratuitous ARP from another node seen by the client (tcpdump in the
 * client's namespace), and kill → the client's neighbour cache pointing at the new owner. After
 * each run the killed node is started again and the cluster settles before the next kill. Run with
 * {@code scripts/bench-failover.sh [runs]} (root; the lab's namespaces are removed at the end).
 */
public final class FailoverBenchmark {
  private static final String V4 = "10.222.70";
  private static final String VIP = "10.222.70.200";

  private FailoverBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    if (!Netns.available("tcpdump", "curl")) {
      System.err.println("needs root, tcpdump and curl");
      System.exit(2);
    }
    Path config = Files.createTempDirectory("ironlb-bench-");
    Files.writeString(
        config.resolve("config.yaml"),
        """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: lab, namespace: metallb-system}
        spec: {addresses: [10.222.70.200/32]}
        ---
        apiVersion: metallb.io/v1beta1
        kind: L2Advertisement
        metadata: {name: lab, namespace: metallb-system}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: default}
        spec: {type: LoadBalancer, ports: [{port: 80}]}
        """);
    List<IronlbProcess> nodes = new ArrayList<>(Collections.nCopies(3, null));
    try (Netns net = new Netns()) {
      String lan = net.lan();
      List<String> ns = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        ns.add(net.host(lan, "n" + i, i, V4, "fd00:222:70"));
      }
      String client = net.host(lan, "client", 100, V4, "fd00:222:70");
      for (int i = 0; i < 3; i++) {
        nodes.set(i, start(ns.get(i), i + 1, config));
      }
      List<Long> toGarp = new ArrayList<>();
      List<Long> toCache = new ArrayList<>();
      for (int run = 1; run <= runs; run++) {
        String owner = settle(net, ns);
        int o = Integer.parseInt(owner.substring("node-".length()));
        String dead = Netns.mac(o);
        // A connection attempt makes the client's kernel resolve the address (its cache entry is
        // what the gratuitous ARP must update).
        net.in(client, "curl", "-s", "--max-time", "1", "http://" + VIP + "/");
        Capture capture = Capture.start(net.prefix() + "-client");
        long killedAt = System.currentTimeMillis();
        nodes.get(o - 1).kill();
        long cacheAt = -1;
        long deadline = killedAt + 15_000;
        while (System.currentTimeMillis() < deadline) {
          String neigh = net.in(client, "ip", "neigh", "show", VIP, "dev", "eth0").output();
          if (neigh.contains("lladdr") && !neigh.contains(dead)) {
            cacheAt = System.currentTimeMillis();
            break;
          }
        }
        long garpAt = capture.firstGratuitousFromOtherThan(dead, killedAt, Duration.ofSeconds(5));
        capture.stop();
        long g = garpAt < 0 ? -1 : garpAt - killedAt;
        long c = cacheAt < 0 ? -1 : cacheAt - killedAt;
        System.out.printf(
            "run %2d: killed %s; first gratuitous ARP from the new owner after %5d ms; client cache after %5d ms%n",
            run, owner, g, c);
        if (g >= 0) {
          toGarp.add(g);
        }
        if (c >= 0) {
          toCache.add(c);
        }
        nodes.set(o - 1, start(ns.get(o - 1), o, config));
      }
      System.out.println();
      System.out.println(summary("kill -> first gratuitous ARP from the new owner", toGarp, runs));
      System.out.println(summary("kill -> client neighbour cache updated         ", toCache, runs));
    } finally {
      nodes.forEach(
          n -> {
            if (n != null) {
              n.close();
            }
          });
    }
  }

  private static IronlbProcess start(String ns, int id, Path config) throws IOException {
    return IronlbProcess.startIn(
        ns,
        "n" + id,
        List.of(
            "standalone",
            "--config",
            config.toString(),
            "--node",
            "node-" + id,
            "--cluster",
            V4 + "." + id + ":7355",
            "--seed",
            V4 + ".1:7355," + V4 + ".2:7355," + V4 + ".3:7355",
            "--http",
            "127.0.0.1:7626",
            "--interfaces",
            "eth0"));
  }

  /** Waits until all three nodes are up and agree on the owner of default/web; returns it. */
  private static String settle(Netns net, List<String> ns) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      List<Supplier<String>> views = new ArrayList<>();
      for (String n : ns) {
        views.add(
            () -> {
              Netns.Result r =
                  net.in(
                      n, "curl", "-sf", "--max-time", "2", "http://127.0.0.1:7626/cluster/members");
              if (r.exit() != 0 || count(r.output(), "\"Up\"") < 3) {
                return null;
              }
              Netns.Result s =
                  net.in(n, "curl", "-sf", "--max-time", "2", "http://127.0.0.1:7626/v1/services");
              return s.exit() == 0 ? s.output() : null;
            });
      }
      Map<String, String> owners = OwnerViews.agreed(views);
      if (owners != null && owners.containsKey("default/web")) {
        return owners.get("default/web");
      }
      Thread.sleep(500); // polling a lab between runs, not synchronising a test
    }
    throw new IllegalStateException("the lab did not settle within 120 s");
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
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

  /** tcpdump in the client's namespace, with epoch timestamps, collecting ARP lines. */
  static final class Capture {
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private Capture(Process p) {
      this.process = p;
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                  }
                } catch (IOException e) {
                  // the capture was stopped
                }
              });
      reader.setDaemon(true);
      reader.start();
    }

    static Capture start(String ns) throws IOException, InterruptedException {
      Process p =
          new ProcessBuilder(
                  "ip", "netns", "exec", ns, "tcpdump", "-i", "eth0", "-l", "-n", "-tt", "-e",
                  "arp")
              .redirectErrorStream(true)
              .start();
      Capture c = new Capture(p);
      long deadline = System.currentTimeMillis() + 5000;
      while (c.lines.stream().noneMatch(l -> l.contains("listening on"))
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(10); // waiting for tcpdump to attach before the kill
      }
      return c;
    }

    /** Epoch ms of the first ARP about the VIP sent by a MAC other than {@code dead}, or -1. */
    long firstGratuitousFromOtherThan(String dead, long after, Duration wait)
        throws InterruptedException {
      long deadline = System.currentTimeMillis() + wait.toMillis();
      while (System.currentTimeMillis() < deadline) {
        for (String l : lines) {
          // "1732240000.123456 02:22:00:00:00:02 > ff:ff:ff:ff:ff:ff, ethertype ARP ..., Reply
          // 10.222.70.200 is-at 02:22:..."
          if (l.contains(VIP)
              && !l.startsWith("listening")
              && l.length() > 20
              && !l.contains(dead + " >")
              && (l.contains("is-at") || l.contains("tell " + VIP))) {
            double ts = Double.parseDouble(l.substring(0, l.indexOf(' ')));
            long ms = (long) (ts * 1000);
            if (ms >= after) {
              return ms;
            }
          }
        }
        Thread.sleep(20); // polling the capture's output
      }
      return -1;
    }

    void stop() {
      process.destroy();
    }
  }
}
