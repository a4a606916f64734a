package io.ironlb.multijvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The lab (README's first command, {@code scripts/lab.sh}): three {@code ironlb standalone} nodes,
 * a client and an FRR router, each in its own network namespace on one segment; an HTTP echo
 * service on every node behind a layer-2 address, and a BGP address announced to the router. It
 * shows which node owns the layer-2 address and answers the client's requests there, and the
 * router's equal-cost next hops for the BGP one; then kills the owner and measures how long the
 * client goes unanswered. With {@code --watch} it keeps showing the live view until Ctrl-C.
 * Everything it made is removed when it ends, however it ends.
 */
public final class LabDemo {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
  private static final String ROUTER = Layer2Lab.V4 + ".101";
  private static final int PORT = 8080;

  /** How long a speaker's failure detector is patient with a node it just started watching. */
  private static final Duration STARTUP_GRACE =
      com.typesafe.config.ConfigFactory.load()
          .getDuration("ironlb.cluster.fast-failure-detection.failure-detector.startup-grace");

  private LabDemo() {}

  private static void step(int n, String what) {
    System.out.printf("%n[%d/6] %s%n", n, what);
  }

  private static void info(String format, Object... args) {
    System.out.printf("      " + format + "%n", args);
  }

  public static void main(String[] args) throws Exception {
    boolean watch = List.of(args).contains("--watch");
    if (!Netns.available("vtysh", "curl", "arping")) {
      System.err.println("lab: needs root, FRR (vtysh), curl and arping: run scripts/lab.sh");
      System.exit(2);
    }
    step(3, "Network: a bridge, three nodes, a client and a router, each in its own namespace");
    Path config = Files.createTempDirectory("ironlb-lab-");
    Files.writeString(config.resolve("config.yaml"), configuration());
    // A short BGP drain on stop: the lab's teardown need not wait out the default 5 s.
    List<String> jvm = List.of("-Xmx192m", "-Dironlb.bgp.drain-time=1s");
    Layer2Lab lab = new Layer2Lab(config, 3, jvm);
    BgpRouters routers = new BgpRouters();
    // On Ctrl-C too: the nodes, their echo backends and FRR go (processes in a namespace outlive
    // the namespace's deletion), then the namespaces.
    Thread cleanup =
        new Thread(
            () -> {
              routers.close();
              lab.close();
            });
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      lab.withLocalVips();
      String router = lab.extraHost("router", 101);
      info(
          "segment %s.0/24 and %s::/64 (namespaces %s-*)",
          Layer2Lab.V4, Layer2Lab.V6, lab.net().prefix());
      info("node-1..3 at %s.1-3, client at %s.100, FRR at %s", Layer2Lab.V4, Layer2Lab.V4, ROUTER);
      routers.startFrr(
          lab.net(), router, 64500, ROUTER, 64512, Layer2Lab.V4 + ".0/24", Layer2Lab.V6 + "::/64");
      info("FRR (AS 64500) peers with the nodes (AS 64512)");
      // The client reaches the BGP pool through the router, which spreads connections over its
      // next hops by ports too, and does not redirect the client to a node directly.
      lab.net()
          .mustIn(
              router,
              "sysctl",
              "-qw",
              "net.ipv4.ip_forward=1",
              "net.ipv4.fib_multipath_hash_policy=1",
              "net.ipv4.conf.all.send_redirects=0",
              "net.ipv4.conf.eth0.send_redirects=0");
      lab.net().mustIn(lab.client(), "ip", "route", "add", "10.222.75.0/24", "via", ROUTER);
      info("the client routes 10.222.75.0/24 (the BGP pool) through FRR");

      step(4, "Nodes: ironlb standalone x 3 (layer 2 and BGP), an echo backend on each");
      for (int id = 1; id <= 3; id++) {
        lab.startEcho(id, PORT);
        lab.start(id);
        info(
            "node-%d started (pid %d), status on %s:%d in its namespace",
            id, lab.process(id).pid(), "127.0.0.1", Layer2Lab.HTTP_PORT);
      }
      String l2 = lab.ipOf("web");
      String bgp = lab.ipOf("web-bgp");
      info("Service default/web     -> %s (layer 2)", l2);
      info("Service default/web-bgp -> %s (BGP)", bgp);

      step(5, "Live: owner, router next hops, and who answers the client");
      Layer2Lab.within(
          Duration.ofSeconds(90),
          () -> view(lab, routers, router, l2, bgp, false) ? true : null,
          "every part of the lab answering");
      long graceEnds = System.nanoTime() + STARTUP_GRACE.plusSeconds(5).toNanos();
      for (int i = 0; i < 5; i++) {
        view(lab, routers, router, l2, bgp, true);
        Thread.sleep(1000); // a live display's refresh, not synchronisation
      }
      // For its first minute of watching a node, a failure detector is patient (3 s, as Pekko's
      // default): a kill now would time that, not the failover a running cluster gets.
      info(
          "the failure detectors are patient for the first %d s after the nodes joined;"
              + " the kill waits that out",
          STARTUP_GRACE.toSeconds());
      while (System.nanoTime() < graceEnds) {
        Thread.sleep(5000); // a live display's refresh
        view(lab, routers, router, l2, bgp, true);
      }

      int owner = owner(lab, l2);
      step(6, "Failover: SIGKILL of node-" + owner + ", the owner of " + l2);
      long killed = System.nanoTime();
      lab.kill(owner);
      String answeredBy = null;
      long answeredAt = 0;
      while (System.nanoTime() - killed < Duration.ofSeconds(30).toNanos()) {
        answeredBy = fetch(lab, l2, "0.3");
        if (answeredBy != null && !answeredBy.equals(Layer2Lab.node(owner))) {
          answeredAt = System.nanoTime();
          break;
        }
      }
      if (answeredAt == 0) {
        info("no other node answered within 30 s");
      } else {
        info(
            "the client's requests to %s are answered by %s %.0f ms after the kill",
            l2, answeredBy, (answeredAt - killed) / 1e6);
      }
      Layer2Lab.within(
          Duration.ofSeconds(30),
          () -> nextHops(lab, router, bgp).size() == 2 ? true : null,
          "the router dropping the killed node's path");
      info(
          "the router's next hops for %s: %s (the killed node's TCP session closed)",
          bgp, nextHops(lab, router, bgp));
      view(lab, routers, router, l2, bgp, true);
      if (watch) {
        System.out.println("\nWatching (Ctrl-C to stop and clean up).");
        while (true) {
          view(lab, routers, router, l2, bgp, true);
          Thread.sleep(2000); // a live display's refresh
        }
      }
      System.out.println("\nDone. Removing the namespaces and stopping every process it started.");
    } finally {
      Runtime.getRuntime().removeShutdownHook(cleanup);
      cleanup.run();
    }
    System.out.println("Clean: no namespace or process of the lab is left.");
  }

  /** One line of the live view; returns whether every part answered. */
  private static boolean view(
      Layer2Lab lab, BgpRouters routers, String router, String l2, String bgp, boolean print) {
    int owner = owner(lab, l2);
    List<String> hops = nextHops(lab, router, bgp);
    String viaL2 = fetch(lab, l2, "1");
    String viaRouter = fetch(lab, bgp, "1");
    if (print) {
      System.out.printf(
          "      %s  %s: owner %-6s, answered by %-6s | %s: router's next hops %s, answered by %s%n",
          LocalTime.now().format(CLOCK),
          l2,
          owner > 0 ? Layer2Lab.node(owner) : "-",
          viaL2 == null ? "-" : viaL2,
          bgp,
          hops,
          viaRouter == null ? "-" : viaRouter);
    }
    return owner > 0 && hops.size() == 3 && viaL2 != null && viaRouter != null;
  }

  /** The layer-2 owner of {@code ip} in the view of any node still running; 0 if unknown. */
  private static int owner(Layer2Lab lab, String ip) {
    for (int id = 1; id <= 3; id++) {
      if (!lab.process(id).isAlive()) {
        continue;
      }
      try {
        String body = lab.http(id, "/v1/services");
        if (body == null) {
          continue;
        }
        for (JsonNode row : JSON.readTree(body)) {
          if (row.path("ips").toString().contains("\"" + ip + "\"")) {
            String o = row.path("l2").path("owner").asText("");
            return o.startsWith("node-") ? Layer2Lab.id(o) : 0;
          }
        }
      } catch (Exception e) {
        // a node that is starting or stopping: ask the next
      }
    }
    return 0;
  }

  /** The router's kernel next hops for {@code ip}, as node names. */
  private static List<String> nextHops(Layer2Lab lab, String router, String ip) {
    String route = lab.net().in(router, "ip", "route", "show", ip).output();
    Map<Integer, String> hops = new TreeMap<>();
    for (String part : route.split("via ")) {
      String addr = part.split("\\s+")[0];
      if (addr.startsWith(Layer2Lab.V4 + ".")) {
        int id = Integer.parseInt(addr.substring(Layer2Lab.V4.length() + 1));
        hops.put(id, Layer2Lab.node(id));
      }
    }
    return new ArrayList<>(hops.values());
  }

  private static String fetch(Layer2Lab lab, String ip, String seconds) {
    Netns.Result r =
        lab.net()
            .in(
                lab.client(),
                "curl",
                "-sf",
                "--max-time",
                seconds,
                "http://" + ip + ":" + PORT + "/");
    return r.exit() == 0 ? r.output().strip() : null;
  }

  /**
   * Pool {@code lab} announced over layer 2, pool {@code routed} over BGP to the router, and one
   * Service from each.
   */
  private static String configuration() {
    return """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: lab, namespace: metallb-system}
        spec: {addresses: ["%1$s.200-%1$s.210"]}
        ---
        apiVersion: metallb.io/v1beta1
        kind: L2Advertisement
        metadata: {name: lab, namespace: metallb-system}
        spec: {ipAddressPools: [lab]}
        """
            .formatted(Layer2Lab.V4)
        + Layer2Lab.routedWeb("{ipAddressPools: [routed]}").replace("name: web,", "name: web-bgp,")
        + """
        ---
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: {name: router, namespace: metallb-system}
        spec: {myASN: 64512, peerASN: 64500, peerAddress: %s, holdTime: 9s}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: default, annotations: {metallb.io/address-pool: lab}}
        spec: {type: LoadBalancer, ports: [{port: %d}]}
        """
            .formatted(ROUTER, PORT);
  }
}
