package io.ironlb.multijvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Three {@code ironlb standalone} speakers and an FRR router (bgpd, zebra, bfdd) on one segment,
 * every BGP session protected by BFD at 100 ms × 3 on both ends and a BGP hold time of 30 s, so
 * that only BFD can take a path away quickly; a Service address the router reaches over three
 * equal-cost next hops. Used by {@link BfdFrrIT} and {@link BfdBenchmark}.
 */
final class BfdLab implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String ROUTER = "10.222.70.101";

  final Layer2Lab lab;
  final BgpRouters routers;
  final String frr;
  final String vip;

  BfdLab(Path config, List<String> jvmOptions) throws Exception {
    Layer2Lab.writeConfig(
        config,
        List.of("10.222.70.240/32"),
        Layer2Lab.routedWeb("{ipAddressPools: [routed]}")
            + """
            ---
            apiVersion: metallb.io/v1beta1
            kind: BFDProfile
            metadata: {name: fast, namespace: metallb-system}
            spec: {receiveInterval: 100, transmitInterval: 100, detectMultiplier: 3}
            ---
            apiVersion: metallb.io/v1beta2
            kind: BGPPeer
            metadata: {name: frr, namespace: metallb-system}
            spec: {myASN: 64512, peerASN: 64500, peerAddress: %s, holdTime: 30s, bfdProfile: fast}
            """
                .formatted(ROUTER));
    lab = new Layer2Lab(config, 3, jvmOptions);
    Layer2Lab started = lab;
    BgpRouters r = null;
    try {
      for (int id = 1; id <= 3; id++) {
        lab.start(id);
      }
      r = new BgpRouters();
      frr = lab.extraHost("rfrr", 101);
      r.startFrr(
          lab.net(),
          frr,
          64500,
          ROUTER,
          64512,
          "10.222.70.0/24",
          "fd00:222:70::/64",
          List.of("timers 10 30", "bfd profile fast"));
      routers = r;
      vip = lab.ipOf("web");
    } catch (Exception | Error e) {
      System.out.println(started.logTails(60));
      if (r != null) {
        r.close();
      }
      started.close();
      throw e;
    }
  }

  /** FRR's BFD sessions that are up. */
  int bfdUp() {
    String out = routers.vtysh(lab.net(), frr, "show bfd peers json");
    try {
      int up = 0;
      for (JsonNode p : JSON.readTree(out.isBlank() ? "[]" : out)) {
        up += "up".equals(p.path("status").asText()) ? 1 : 0;
      }
      return up;
    } catch (Exception e) {
      return 0;
    }
  }

  /** The next hops of FRR's kernel route for the Service address. */
  String kernelRoute() {
    return lab.net().in(frr, "ip", "route", "show", vip).output();
  }

  /** Three BFD sessions up at FRR and three next hops in its kernel. */
  void awaitAllUp() throws InterruptedException {
    Layer2Lab.within(
        Duration.ofSeconds(90),
        () -> bfdUp() == 3 && kernelRoute().split("nexthop via").length - 1 == 3 ? true : null,
        "three BFD sessions up and three next hops at FRR");
  }

  /**
   * SIGSTOPs node {@code id} and returns the nanoseconds until FRR's kernel route no longer goes
   * through it (the process sends nothing more; only FRR's BFD can notice within the hold time).
   * The change is timed from the kernel's own route notification ({@code ip monitor route} in the
   * router's namespace), not from polling, so the figure is the router's and not the harness's.
   */
  long freeze(int id) throws Exception {
    String via = "via 10.222.70." + id + " ";
    long pid = lab.process(id).pid();
    Process monitor =
        new ProcessBuilder("ip", "-n", frr, "monitor", "route").redirectErrorStream(true).start();
    try (java.io.BufferedReader events =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                monitor.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      long start = System.nanoTime();
      Netns.must("kill", "-STOP", String.valueOf(pid));
      long deadline = start + Duration.ofSeconds(20).toNanos();
      java.util.concurrent.ExecutorService reader =
          java.util.concurrent.Executors.newSingleThreadExecutor();
      try {
        while (System.nanoTime() < deadline) {
          java.util.concurrent.Future<String> next = reader.submit(events::readLine);
          String line;
          try {
            line =
                next.get(deadline - System.nanoTime(), java.util.concurrent.TimeUnit.NANOSECONDS);
          } catch (java.util.concurrent.TimeoutException e) {
            break;
          }
          long at = System.nanoTime();
          if (line == null) {
            break;
          }
          if (line.contains(vip) && !kernelRoute().contains(via)) {
            return at - start;
          }
        }
      } finally {
        reader.shutdownNow();
      }
    } finally {
      monitor.destroy();
    }
    throw new IllegalStateException("FRR still routes through node " + id + " after 20 s");
  }

  /** SIGCONTs node {@code id}; its BFD and BGP sessions come back. */
  void resume(int id) throws InterruptedException {
    Netns.must("kill", "-CONT", String.valueOf(lab.process(id).pid()));
    awaitAllUp();
  }

  @Override
  public void close() {
    if (routers != null) {
      routers.close();
    }
    lab.close();
  }
}
