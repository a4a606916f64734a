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
 * program measures the time from the session reaching Established at FRR until FRR holds all N from
 * it, and counts the UPDATE messages and bytes on the wire (tcpdump at FRR). Run for IronLB ({@code
 * ironlb standalone} with N Services) and, in the same lab, for ExaBGP announcing the same N
 * prefixes. Run with {@code scripts/bench-bgp.sh [N]} (root; namespaces removed at the end).
 */
public final class BgpConvergenceBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROUTER = "10.222.85.1";
  private static final String SPEAKER = "10.222.85.11";

  private BgpConvergenceBenchmark() {}

  /** One run's figures. */
  record Result(
      String speaker, long coldMillis, long resetMillis, int prefixes, long updates, long bytes) {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Result ironlb = run("IronLB", n);
    Result exabgp = run("ExaBGP", n);
    System.out.println();
    for (Result r : List.of(ironlb, exabgp)) {
      System.out.printf(
          "%-7s Established -> FRR holds all %,d prefixes: first session %,6d ms, after a reset %,6d ms;"
              + " %,d UPDATE messages, %,d bytes of UPDATEs (both sessions)%n",
          r.speaker(), r.prefixes(), r.coldMillis(), r.resetMillis(), r.updates(), r.bytes());
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
          Layer2Lab.writeConfig(
              dir,
              List.of("10.222.128.0/17"),
              """
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
                  + services(n));
          node =
              IronlbProcess.startIn(
                  s,
                  "bench",
                  List.of("-Xmx512m"),
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
        return new Result(which, cold, reset, n, wire[0], wire[1]);
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

  private static String services(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append("---\napiVersion: v1\nkind: Service\nmetadata: {name: s")
          .append(i)
          .append(", namespace: default}\nspec: {type: LoadBalancer, ports: [{port: 80}]}\n");
    }
    return sb.toString();
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
