package io.ironlb.multijvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * BGP convergence for many prefixes: one speaker announces N /32s (default 10,000) to FRR, and the
 * program measures the time from the session reaching Established at FRR until the last UPDATE
 * reaches FRR (from a capture at FRR) and until FRR reports all N from it (polling vtysh), and
 * counts the UPDATE messages and bytes on the wire (tcpdump at FRR). Run for IronLB ({@code ironlb
 * standalone} with N Services) and, in the same lab, for ExaBGP announcing the same N prefixes. Run
 * with {@code scripts/bench-bgp.sh [N]} (root; namespaces removed at the end).
 */
public final class BgpConvergenceBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROUTER = "10.222.85.1";
  private static final String SPEAKER = "10.222.85.11";

  private BgpConvergenceBenchmark() {}

  /** One run's figures. */
  record Result(
      String speaker,
      double[] wireMillis,
      long coldMillis,
      long resetMillis,
      int prefixes,
      long updates,
      long bytes) {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Result ironlb = run("IronLB", n);
    Result exabgp = run("ExaBGP", n);
    System.out.println();
    for (Result r : List.of(ironlb, exabgp)) {
      System.out.printf(
          "%-7s Established -> first / last UPDATE at FRR (pcap): first session %,6.1f / %,6.1f ms,"
              + " after a reset %,6.1f / %,6.1f ms%n"
              + "        router's KEEPALIVE -> first UPDATE: %,.0f ms, %,.0f ms%n"
              + "        Established -> FRR reports all %,d prefixes (vtysh polls): %,d ms, %,d ms%n"
              + "        %,d UPDATE messages, %,d bytes of UPDATEs (both sessions)%n",
          r.speaker(),
          r.wireMillis()[0],
          r.wireMillis()[1],
          r.wireMillis()[2],
          r.wireMillis()[3],
          r.wireMillis()[4],
          r.wireMillis()[5],
          r.prefixes(),
          r.coldMillis(),
          r.resetMillis(),
          r.updates(),
          r.bytes());
    }
  }

  private static Result run(String which, int n) throws Exception {
    try (Netns net = new Netns();
        BgpRouters routers = new BgpRouters()) {
      String lan = net.lan();
      String r = net.host(lan, "r", 1, "10.222.85", "fd00:222:85");
      String s = net.host(lan, "s", 11, "10.222.85", "fd00:222:85");
      Path pcap = routers.work().resolve(which + ".pcap");
      routers.capture(r, pcap);
      routers.startFrr(net, r, 64500, ROUTER, 64512, "10.222.85.0/24", "fd00:222:85::/64");
      Path dir = Files.createTempDirectory("ironlb-bgpbench-");
      IronlbProcess node = null;
      try {
        if (which.equals("IronLB")) {
          // BGP only, as ExaBGP: no layer-2 work competes with the session.
          Files.writeString(
              dir.resolve("config.yaml"),
              """
              apiVersion: metallb.io/v1beta1
              kind: IPAddressPool
              metadata: {name: lab, namespace: metallb-system}
              spec: {addresses: ["10.222.128.0/17"]}
              ---
              apiVersion: metallb.io/v1beta1
              kind: BGPAdvertisement
              metadata: {name: many, namespace: metallb-system}
              spec: {ipAddressPools: [lab]}
              ---
              apiVersion: metallb.io/v1beta2
              kind: BGPPeer
              metadata: {name: frr, namespace: metallb-system}
              spec: {myASN: 64512, peerASN: 64500, peerAddress: 10.222.85.1}
              """
                  + Layer2Lab.services("s", n, false));
          node =
              IronlbProcess.startIn(
                  s,
                  "bench",
                  List.of(
                      "-Xmx512m",
                      "-Xlog:gc:file=/tmp/ironlb-gc.log",
                      "-XX:StartFlightRecording=filename=/tmp/ironlb.jfr,settings=profile"),
                  List.of(
                      "standalone",
                      "--config",
                      dir.toString(),
                      "--node",
                      "node-1",
                      "--cluster",
                      SPEAKER + ":7355",
                      "--seed",
                      SPEAKER + ":7355",
                      "--http",
                      "127.0.0.1:7626",
                      "--interfaces",
                      "none"));
        } else {
          StringBuilder conf =
              new StringBuilder(
                  """
                  neighbor %s {
                    router-id %s; local-address %s; local-as 64512; peer-as 64500; hold-time 90;
                    family { ipv4 unicast; }
                    static {
                  """
                      .formatted(ROUTER, SPEAKER, SPEAKER));
          for (int i = 0; i < n; i++) {
            conf.append("    route 10.222.")
                .append(128 + i / 256)
                .append('.')
                .append(i % 256)
                .append("/32 next-hop ")
                .append(SPEAKER)
                .append(";\n");
          }
          conf.append("  }\n}\n");
          Files.writeString(dir.resolve("exabgp.conf"), conf);
          routers.own(
              List.of(
                  "env",
                  "exabgp.daemon.user=root",
                  "exabgp.log.destination=" + dir.resolve("exabgp.log"),
                  "ip",
                  "netns",
                  "exec",
                  s,
                  "exabgp",
                  dir.resolve("exabgp.conf").toString()),
              dir.resolve("exabgp.stdout"));
        }
        long cold = converge(routers, net, r, n);
        // Again on a warm speaker: FRR resets the session (as after a router restart).
        routers.vtysh(net, r, "clear bgp *");
        long resetAt = System.currentTimeMillis();
        while (System.currentTimeMillis() < resetAt + 30_000) {
          JsonNode peer = peer(routers, net, r);
          if (peer == null || !"Established".equals(peer.path("state").asText())) {
            break;
          }
          Thread.sleep(20); // polling FRR
        }
        long reset = converge(routers, net, r, n);
        // tcpdump writes what it holds when stopped: give it a moment to drain its buffer first
        // (a benchmark's capture, not a test's synchronisation).
        Thread.sleep(1500);
        routers.stopAll();
        long[] wire = updates(pcap, InetAddress.getByName(SPEAKER));
        return new Result(
            which,
            wireMillis(pcap, InetAddress.getByName(SPEAKER)),
            cold,
            reset,
            n,
            wire[0],
            wire[1]);
      } finally {
        if (node != null) {
          node.close();
        }
      }
    }
  }

  /** From the session reaching Established at FRR until FRR holds n prefixes from it, in ms. */
  private static long converge(BgpRouters routers, Netns net, String r, int n) throws Exception {
    long established = -1;
    long deadline = System.currentTimeMillis() + 300_000;
    while (System.currentTimeMillis() < deadline) {
      JsonNode peer = peer(routers, net, r);
      long now = System.currentTimeMillis();
      if (peer != null && "Established".equals(peer.path("state").asText())) {
        if (established < 0) {
          established = now;
        }
        if (peer.path("pfxRcd").asInt() >= n) {
          return now - established;
        }
      }
      Thread.sleep(50); // polling FRR
    }
    return -1;
  }

  private static JsonNode peer(BgpRouters routers, Netns net, String r) throws IOException {
    String out = routers.vtysh(net, r, "show bgp ipv4 unicast summary json");
    if (out.isBlank() || !out.strip().startsWith("{")) {
      return null;
    }
    JsonNode peer = JSON.readTree(out).path("peers").path(SPEAKER);
    return peer.isMissingNode() ? null : peer;
  }

  /**
   * Per session, in order, the first and the last UPDATE: from the speaker's KEEPALIVE that
   * completes the OPEN exchange (FRR is Established when it arrives) to that UPDATE's last segment,
   * as captured at FRR. This is the speaker's own share of convergence, to the microsecond; FRR's
   * processing is the same for every speaker and shows in the polled figure.
   */
  private static double[] wireMillis(Path pcap, InetAddress speaker) throws Exception {
    java.util.Map<String, List<BgpPcap.Timed>> speakers =
        BgpPcap.connections(pcap, java.util.Set.of(speaker));
    java.util.Map<String, List<BgpPcap.Timed>> router =
        BgpPcap.connections(pcap, java.util.Set.of(InetAddress.getByName(ROUTER)));
    List<String> sessions =
        speakers.entrySet().stream()
            .filter(e -> e.getValue().stream().anyMatch(m -> m.message()[18] == 2))
            .sorted(java.util.Comparator.comparing(e -> e.getValue().get(0).at()))
            .map(java.util.Map.Entry::getKey)
            .toList();
    double[] out = {-1, -1, -1, -1, -1, -1};
    for (int i = 0; i < Math.min(2, sessions.size()); i++) {
      // The router's KEEPALIVE is what lets the speaker reach Established (RFC 4271 §8.2.2).
      String[] ends = sessions.get(i).split(">");
      java.time.Instant routerKeepalive =
          router.getOrDefault(ends[1] + ">" + ends[0], List.of()).stream()
              .filter(m -> m.message()[18] == 4)
              .map(BgpPcap.Timed::at)
              .findFirst()
              .orElse(null);
      java.time.Instant established = null;
      java.time.Instant first = null;
      java.time.Instant last = null;
      for (BgpPcap.Timed m : speakers.get(sessions.get(i))) {
        if (established == null && m.message()[18] == 4) {
          established = m.at();
        } else if (m.message()[18] == 2) {
          first = first == null ? m.at() : first;
          last = m.at();
        }
      }
      out[2 * i] = java.time.Duration.between(established, first).toNanos() / 1e6;
      out[2 * i + 1] = java.time.Duration.between(established, last).toNanos() / 1e6;
      out[4 + i] =
          routerKeepalive == null
              ? -1
              : java.time.Duration.between(routerKeepalive, first).toNanos() / 1e6;
    }
    return out;
  }

  /** UPDATE messages and their bytes sent by {@code speaker}, from the capture. */
  private static long[] updates(Path pcap, InetAddress speaker) throws Exception {
    long count = 0;
    long bytes = 0;
    for (List<byte[]> messages : BgpPcap.messages(pcap, java.util.Set.of(speaker)).values()) {
      for (byte[] m : messages) {
        if (m[18] == 2) {
          count++;
          bytes += m.length;
        }
      }
    }
    return new long[] {count, bytes};
  }
}
