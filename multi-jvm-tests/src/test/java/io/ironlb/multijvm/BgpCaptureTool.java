package io.ironlb.multijvm;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records the BGP messages real routers send — FRR 8, BIRD 2 and GoBGP 3 — for the codec's
 * byte-exact tests: the routers peer (IPv4 and IPv6 sessions) with an ExaBGP and a GoBGP speaker
 * announcing routes with MED, communities and large communities, re-advertise them to each other's
 * speakers, get reset once (Cease), and tcpdump in each router's namespace records it all. Each
 * distinct message a router sent becomes one line of the output. Run with {@code
 * scripts/capture-bgp.sh} (root; everything runs in namespaces it creates).
 */
public final class BgpCaptureTool {
  private static final String V4 = "10.222.80";
  private static final String V6 = "fd00:222:80";
  private static final String[][] ROUTERS = {
    {"rfrr", "1", "FRR"}, {"rbird", "2", "BIRD"}, {"rgobgp", "3", "GoBGP"}
  };

  private BgpCaptureTool() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "src/test/resources/captures/bgp-peers.txt");
    try (Netns net = new Netns();
        BgpRouters routers = new BgpRouters()) {
      String lan = net.lan();
      Map<String, String> ns = new LinkedHashMap<>();
      for (String[] r : ROUTERS) {
        ns.put(r[0], net.host(lan, r[0], Integer.parseInt(r[1]), V4, V6));
      }
      ns.put("exa", net.host(lan, "exa", 11, V4, V6));
      ns.put("gob", net.host(lan, "gob", 12, V4, V6));
      Path work = routers.work();
      for (String[] r : ROUTERS) {
        String n = ns.get(r[0]);
        routers.capture(n, work.resolve(r[0] + ".pcap"));
      }
      routers.startFrr(net, ns.get("rfrr"), 64500, V4 + ".1", 64512, V4 + ".0/24", V6 + "::/64");
      routers.startBird(net, ns.get("rbird"), 64500, V4 + ".2", 64512, V4 + ".0/24", V6 + "::/64");
      routers.startGobgp(
          net, ns.get("rgobgp"), 64500, V4 + ".3", 64512, V4 + ".0/24", V6 + "::/64");
      startExabgp(routers, ns.get("exa"), work);
      startGobgpSpeaker(net, routers, ns.get("gob"), work);
      // Until FRR has both speakers' routes (and so has re-advertised them).
      BgpRouters.waitFor(
          () ->
              routers
                  .vtysh(net, ns.get("rfrr"), "show bgp ipv4 unicast 10.222.81.1/32")
                  .contains("64512"),
          "routes at FRR");
      Thread.sleep(5000); // let every router re-advertise and exchange keepalives (a recording)
      routers.vtysh(net, ns.get("rfrr"), "clear bgp *"); // Cease / Administrative Reset
      Thread.sleep(5000); // the sessions come back: a second OPEN exchange on record
      routers.stopAll(); // tcpdump -U has written each packet as it came
      List<String> lines = new ArrayList<>();
      lines.add(
          "# BGP messages sent by real routers, recorded by BgpCaptureTool (scripts/capture-bgp.sh).");
      lines.add(
          "# "
              + Netns.run(
                      List.of(
                          "sh",
                          "-c",
                          "dpkg-query -W -f '${Package} ${Version}, ' frr bird2 gobgpd exabgp"))
                  .output()
                  .strip()
              + " on the recording machine.");
      lines.add(
          "# Format: SENDER FROM>TO TYPE HEX (whole message, header included); one line per distinct message.");
      for (String[] r : ROUTERS) {
        lines.addAll(
            messages(
                work.resolve(r[0] + ".pcap"),
                r[2],
                InetAddress.getByName(V4 + "." + r[1]),
                InetAddress.getByName(V6 + "::" + r[1])));
      }
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.write(out, lines);
      System.out.println("wrote " + (lines.size() - 3) + " messages to " + out);
    }
  }

  private static void startExabgp(BgpRouters routers, String ns, Path work) throws IOException {
    Path d = work.resolve("exa");
    Files.createDirectories(d);
    StringBuilder conf = new StringBuilder();
    for (String[] r : ROUTERS) {
      conf.append(
          """
          neighbor %1$s.%2$s {
            router-id %1$s.11; local-address %1$s.11; local-as 64512; peer-as 64500; hold-time 3;
            family { ipv4 unicast; }
            static {
              route 10.222.81.1/32 next-hop %1$s.11 med 50 community [64512:100 65535:0] large-community [64512:1:2];
              route 10.222.81.0/24 next-hop %1$s.11 origin incomplete;
            }
          }
          neighbor %3$s::%2$s {
            router-id %1$s.11; local-address %3$s::11; local-as 64512; peer-as 64500; hold-time 3;
            family { ipv6 unicast; }
            static {
              route fd00:222:81::1/128 next-hop %3$s::11 community [64512:200];
            }
          }
          """
              .formatted(V4, r[1], V6));
    }
    Files.writeString(d.resolve("exabgp.conf"), conf);
    routers.own(
        List.of(
            "env",
            "exabgp.daemon.user=root",
            "exabgp.log.destination=" + d.resolve("exabgp.log"),
            "ip",
            "netns",
            "exec",
            ns,
            "exabgp",
            d.resolve("exabgp.conf").toString()),
        d.resolve("stdout.log"));
  }

  private static void startGobgpSpeaker(Netns net, BgpRouters routers, String ns, Path work)
      throws IOException, InterruptedException {
    Path d = work.resolve("gob");
    Files.createDirectories(d);
    StringBuilder toml =
        new StringBuilder(
            """
            [global.config]
              as = 64512
              router-id = "%s.12"
              port = -1
            """
                .formatted(V4));
    for (String[] r : ROUTERS) {
      for (String[] a : new String[][] {{V4 + "." + r[1], "ipv4"}, {V6 + "::" + r[1], "ipv6"}}) {
        toml.append(
            """
            [[neighbors]]
              [neighbors.config]
                neighbor-address = "%s"
                peer-as = 64500
              [neighbors.timers.config]
                connect-retry = 1
                hold-time = 3
                keepalive-interval = 1
              [[neighbors.afi-safis]]
                [neighbors.afi-safis.config]
                  afi-safi-name = "%s-unicast"
            """
                .formatted(a[0], a[1]));
      }
    }
    Files.writeString(d.resolve("gobgpd.toml"), toml);
    routers.startGobgpd(net, ns, d);
    routers.gobgp(
        net,
        ns,
        "global",
        "rib",
        "add",
        "-a",
        "ipv4",
        "10.222.81.2/32",
        "origin",
        "igp",
        "community",
        "64512:300",
        "large-community",
        "64512:3:4");
    routers.gobgp(
        net, ns, "global", "rib", "add", "-a", "ipv6", "fd00:222:81::2/128", "origin", "igp");
  }

  /** The distinct BGP messages {@code router} sent, in order, as output lines. */
  static List<String> messages(Path pcap, String name, InetAddress v4, InetAddress v6)
      throws Exception {
    String[] types = {"?", "OPEN", "UPDATE", "NOTIFICATION", "KEEPALIVE", "ROUTE-REFRESH"};
    // One line per distinct message (keepalives repeat), whoever it went to.
    Map<String, String> distinct = new LinkedHashMap<>();
    BgpPcap.messages(pcap, Set.of(v4, v6))
        .forEach(
            (pair, messages) -> {
              for (byte[] m : messages) {
                int type = m[18] & 0xFF;
                String hex = HexFormat.of().formatHex(m);
                String what = (type < types.length ? types[type] : "TYPE" + type) + " " + hex;
                distinct.putIfAbsent(what, name + " " + pair + " " + what);
              }
            });
    return new ArrayList<>(distinct.values());
  }
}
