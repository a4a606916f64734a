package io.ironlb.multijvm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The layer-2 lab the namespace tests and benchmarks share: one bridge, node namespaces {@code
 * n1..nN} (eth0 = 10.222.70.ID/24, fd00:222:70::ID/64, MAC 02:22:00:00:00:ID) each able to run an
 * {@code ironlb standalone} JVM, and a client namespace (ID 100) with real {@code arping}, {@code
 * ndisc6} and {@code tcpdump}. Closing stops every JVM by PID and deletes the namespaces.
 */
final class Layer2Lab implements AutoCloseable {
  static final String V4 = "10.222.70";
  static final String V6 = "fd00:222:70";
  static final int HTTP_PORT = 7626;
  private static final Pattern REPLY = Pattern.compile("reply from (\\S+) \\[([0-9A-F:]+)\\]");

  private final Netns net = new Netns();
  private final Path config;
  private final List<String> jvmOptions;
  private final String lan;
  private final Map<Integer, String> namespaces = new TreeMap<>();
  private final Map<Integer, IronlbProcess> nodes = new TreeMap<>();
  private final List<Process> backends = new ArrayList<>();
  private final String client;
  private boolean localVips;
  private boolean writeRoutes;

  /** The cluster's own segment (10.222.71.0/24, eth1), or null: cluster traffic on eth0. */
  private String clusterLan;

  static final String CLUSTER_V4 = "10.222.71";

  /**
   * @param config the directory every node reads
   * @param jvmOptions options for every node's JVM (e.g. {@link IronlbProcess#PATIENT_DETECTOR})
   */
  Layer2Lab(Path config, int nodeCount, List<String> jvmOptions) {
    this(config, nodeCount, jvmOptions, true);
  }

  /**
   * @param clientLearnsFromGratuitousArp whether the client's kernel adds a neighbour entry for
   *     every address it hears announced ({@code arp_accept=1}), so that a failover test can watch
   *     its cache follow an address it never asked for. The benchmarks with thousands of addresses
   *     turn it off: in a namespace lab a receiver's kernel handles a frame on the sender's CPU
   *     (the veth delivers it in the sender's softirq), and a client learning 10,000 addresses,
   *     past its table's limit of 1,024, took most of the speakers' responder time in the cold
   *     start.
   */
  Layer2Lab(
      Path config, int nodeCount, List<String> jvmOptions, boolean clientLearnsFromGratuitousArp) {
    this.config = config;
    this.jvmOptions = List.copyOf(jvmOptions);
    try {
      lan = net.lan();
      for (int id = 1; id <= nodeCount; id++) {
        // A speaker's kernel as on a Kubernetes node: it does not learn the others' addresses.
        namespaces.put(id, net.host(lan, "n" + id, id, V4, V6, false));
      }
      client = net.host(lan, "client", 100, V4, V6, clientLearnsFromGratuitousArp);
    } catch (RuntimeException e) {
      net.close();
      throw e;
    }
  }

  /**
   * Puts cluster traffic on a segment of its own ({@code eth1}, 10.222.71.ID): the chaos nemesis
   * cuts it without touching the data plane (ARP, BGP, clients) on {@code eth0}.
   */
  Layer2Lab withClusterNetwork() {
    clusterLan = net.lan("clan");
    namespaces.forEach((id, ns) -> net.attach(clusterLan, ns, "n" + id, id, CLUSTER_V4));
    return this;
  }

  /** Node ID's cluster (Artery) host: its eth1 address with a cluster network, else eth0's. */
  String clusterHost(int id) {
    return (clusterLan != null ? CLUSTER_V4 : V4) + "." + id;
  }

  /** Cuts node ID off its cluster segment, or (cut false) plugs it back in. */
  void cutCluster(int id, boolean cut) {
    Netns.must("ip", "-n", clusterLan, "link", "set", "q-n" + id, cut ? "down" : "up");
  }

  /** Drops cluster traffic between nodes A and B only (both ways), or restores it. */
  void cutPair(int a, int b, boolean cut) {
    for (int[] pair : new int[][] {{a, b}, {b, a}}) {
      net.mustIn(
          namespaces.get(pair[0]),
          "ip",
          "route",
          cut ? "add" : "del",
          "blackhole",
          CLUSTER_V4 + "." + pair[1] + "/32");
    }
  }

  /** Puts node ID's LAN cable back (after {@link #unplug}). */
  void plug(int id) {
    Netns.must("ip", "-n", lan, "link", "set", "p-n" + id, "up");
  }

  /** Start nodes with {@code --local-vips} from now on. */
  Layer2Lab withLocalVips() {
    localVips = true;
    return this;
  }

  /**
   * Runs an {@link EchoServer} in node ID's namespace on {@code port}, answering with the node's
   * name; returns once it listens.
   */
  void startEcho(int id, int port) throws IOException, InterruptedException {
    String classes =
        Path.of(EchoServer.class.getProtectionDomain().getCodeSource().getLocation().getPath())
            .toString();
    Process p =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                namespaces.get(id),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classes,
                EchoServer.class.getName(),
                String.valueOf(port),
                node(id))
            .redirectErrorStream(true)
            .start();
    backends.add(p);
    java.io.BufferedReader out =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("listening")) {
      throw new IllegalStateException("echo server in " + node(id) + " did not start: " + line);
    }
  }

  /** The body of {@code GET http://ip:port/} from the client, or null when it fails. */
  String fetchFromClient(String ip, int port) {
    Netns.Result r =
        net.in(client, "curl", "-sf", "--max-time", "2", "http://" + ip + ":" + port + "/");
    return r.exit() == 0 ? r.output().strip() : null;
  }

  /** The addresses on node ID's loopback. */
  String loopbackAddresses(int id) {
    return net.in(namespaces.get(id), "ip", "-o", "addr", "show", "dev", "lo").output();
  }

  /**
   * Writes the lab's configuration into {@code dir}: pool {@code lab} with the given addresses, an
   * L2Advertisement for it, and the given extra objects (Services).
   */
  static void writeConfig(Path dir, List<String> addresses, String objects) throws IOException {
    java.nio.file.Files.writeString(
        dir.resolve("config.yaml"),
        """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: lab, namespace: metallb-system}
        spec: {addresses: [%s]}
        ---
        apiVersion: metallb.io/v1beta1
        kind: L2Advertisement
        metadata: {name: lab, namespace: metallb-system}
        """
                .formatted(String.join(", ", addresses.stream().map(a -> "\"" + a + "\"").toList()))
            + objects);
  }

  /**
   * The BGP labs' common objects: pool {@code routed} (10.222.75.10-10.222.75.20), a
   * BGPAdvertisement of it with {@code advertisementSpec}, and Service {@code web} from it.
   */
  static String routedWeb(String advertisementSpec) {
    return """
        ---
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: routed, namespace: metallb-system}
        spec: {addresses: [10.222.75.10-10.222.75.20]}
        ---
        apiVersion: metallb.io/v1beta1
        kind: BGPAdvertisement
        metadata: {name: routed, namespace: metallb-system}
        spec: %s
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: default, annotations: {metallb.io/address-pool: routed}}
        spec: {type: LoadBalancer, ports: [{port: 80}]}
        """
        .formatted(advertisementSpec);
  }

  /** The first address of Service {@code name} as node 1's status API shows it (waits 2 min). */
  String ipOf(String name) throws InterruptedException {
    return within(
        Duration.ofSeconds(120),
        () -> {
          String body = http(1, "/v1/services");
          if (body == null) {
            return null;
          }
          try {
            for (com.fasterxml.jackson.databind.JsonNode row :
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(body)) {
              if (row.path("name").asText().equals(name) && row.path("ips").size() > 0) {
                return row.path("ips").get(0).asText();
              }
            }
          } catch (java.io.IOException e) {
            return null; // a node that is still starting
          }
          return null;
        },
        "an address for Service " + name);
  }

  /** Services NAME-0..NAME-(n-1), IPv4 (or IPv6 only when ipv6), each a LoadBalancer on port 80. */
  static String services(String name, int n, boolean ipv6) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append("---\napiVersion: v1\nkind: Service\nmetadata: {name: ")
          .append(name)
          .append('-')
          .append(i)
          .append(", namespace: default}\nspec: {type: LoadBalancer, ")
          .append(ipv6 ? "ipFamilies: [IPv6], " : "")
          .append("ports: [{port: 80}]}\n");
    }
    return sb.toString();
  }

  /**
   * A new configuration directory for a benchmark: pool {@code lab} of {@code range} and
   * LoadBalancer Services s-0..s-(services-1).
   */
  static Path benchConfig(String name, String range, int services) throws IOException {
    Path dir = java.nio.file.Files.createTempDirectory("ironlb-" + name + "-");
    writeConfig(dir, List.of(range), services("s", services, false));
    return dir;
  }

  /**
   * The nodes' JVM options for a benchmark: {@code -Dironlb.bench.jvm} (space-separated; the
   * scripts pass {@code IRONLB_BENCH_JVM}), else {@code fallback}.
   */
  static List<String> benchJvm(String fallback) {
    return List.of(System.getProperty("ironlb.bench.jvm", fallback).trim().split("\\s+"));
  }

  static String node(int id) {
    return "node-" + id;
  }

  static int id(String node) {
    return Integer.parseInt(node.substring("node-".length()));
  }

  static String mac(int id) {
    return Netns.mac(id);
  }

  Netns net() {
    return net;
  }

  String client() {
    return client;
  }

  String namespace(int id) {
    return namespaces.get(id);
  }

  /** Another host on the lab's segment (a router, say): namespace {@code prefix-name}. */
  String extraHost(String name, int id) {
    return net.host(lan, name, id, V4, V6);
  }

  /** A host on another segment of this lab's ({@link Netns#lan(String)}), with these networks. */
  String extraHostOn(String segment, String name, int id, String v4Net, String v6Net) {
    return net.host(segment, name, id, v4Net, v6Net);
  }

  /** Starts node ID; every node is a seed, so any of them can (re)join the others. */
  IronlbProcess start(int id) throws IOException {
    return start(id, jvmOptions);
  }

  /** As {@link #start(int)}, with these JVM options instead of the lab's. */
  IronlbProcess start(int id, List<String> jvmOptions) throws IOException {
    return remember(
        id, IronlbProcess.startIn(namespaces.get(id), "n" + id, jvmOptions, standaloneArgs(id)));
  }

  /**
   * As {@link #start(int)}, from the container image instead of the jar: container {@code
   * ironlb-nID} (kill it with {@link ContainerImage#kill}).
   */
  IronlbProcess startFromImage(int id, ContainerImage image) throws IOException {
    return remember(
        id,
        IronlbProcess.launch(
            null,
            "n" + id + "-image",
            image.run(
                "ironlb-n" + id,
                namespaces.get(id),
                List.of(config),
                jvmOptions,
                standaloneArgs(id))));
  }

  private IronlbProcess remember(int id, IronlbProcess p) {
    IronlbProcess before = nodes.put(id, p);
    if (before != null) {
      before.close();
    }
    return p;
  }

  private List<String> standaloneArgs(int id) {
    List<String> seeds = new ArrayList<>();
    namespaces.keySet().forEach(n -> seeds.add(clusterHost(n) + ":7355"));
    return args(
        List.of(
            "standalone",
            "--config",
            config.toString(),
            "--node",
            node(id),
            "--cluster",
            clusterHost(id) + ":7355",
            "--seed",
            String.join(",", seeds),
            "--http",
            "127.0.0.1:" + HTTP_PORT,
            "--interfaces",
            "eth0"),
        localVips);
  }

  private List<String> args(List<String> base, boolean localVips) {
    List<String> all = new ArrayList<>(base);
    if (localVips) {
      all.add("--local-vips");
    }
    if (writeRoutes) {
      all.add("--write-routes");
    }
    return all;
  }

  /** Start nodes with {@code --write-routes} (POST /v1/drain) from now on. */
  Layer2Lab withWriteRoutes() {
    writeRoutes = true;
    return this;
  }

  IronlbProcess process(int id) {
    return nodes.get(id);
  }

  /** SIGKILL: no leave, no withdraw. */
  void kill(int id) throws InterruptedException {
    nodes.get(id).kill();
  }

  /** Takes node ID's cable out (its bridge port down): a partition of one. */
  void unplug(int id) {
    Netns.must("ip", "-n", lan, "link", "set", "p-n" + id, "down");
  }

  /** Node ID's {@code /v1/bgp/peers}, by peer ({@code address:port}). */
  Map<String, JsonNode> bgpPeers(int id) throws JsonProcessingException {
    Map<String, JsonNode> peers = new TreeMap<>();
    JSON.readTree(http(id, "/v1/bgp/peers")).forEach(p -> peers.put(p.path("peer").asText(), p));
    return peers;
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code GET path} on node ID's status port, or null when it does not answer 200. */
  String http(int id, String path) {
    Netns.Result r =
        net.in(
            namespaces.get(id),
            "curl",
            "-sf",
            "--max-time",
            "2",
            "http://127.0.0.1:" + HTTP_PORT + path);
    return r.exit() == 0 ? r.output() : null;
  }

  /** How many members node ID sees Up (0 when it does not answer). */
  int upMembers(int id) {
    String body = http(id, "/cluster/members");
    if (body == null) {
      return 0;
    }
    int n = 0;
    for (int i = body.indexOf("\"Up\""); i >= 0; i = body.indexOf("\"Up\"", i + 1)) {
      n++;
    }
    return n;
  }

  /** Service → owner when the given nodes all report the same owners, else null. */
  Map<String, String> agreedOwners(Collection<Integer> ids) {
    List<Supplier<String>> views = new ArrayList<>();
    for (int id : ids) {
      views.add(() -> http(id, "/v1/services"));
    }
    return OwnerViews.agreed(views);
  }

  /**
   * Whether any of the given nodes sees a planned move under way (or cannot be asked): {@code
   * "moving"} in {@code /v1/l2} is not empty.
   */
  boolean movesUnderWay(Collection<Integer> ids) {
    for (int id : ids) {
      String body = http(id, "/v1/l2");
      if (body == null || !body.contains("\"moving\":[]")) {
        return true;
      }
    }
    return false;
  }

  /** The MACs (upper case) of the replies to {@code count} broadcast ARP requests for ip. */
  List<String> arpingMacs(String ip, int count) {
    return arpingMacs(net, client, ip, count);
  }

  /**
   * The MACs that answer {@code count} broadcast ARP requests for ip from {@code ns}'s eth0 (upper
   * case, one per reply).
   */
  static List<String> arpingMacs(Netns net, String ns, String ip, int count) {
    Netns.Result r =
        net.in(
            ns,
            "arping",
            "-b",
            "-c",
            String.valueOf(count),
            "-w",
            String.valueOf(count + 2),
            "-I",
            "eth0",
            ip);
    List<String> macs = new ArrayList<>();
    Matcher m = REPLY.matcher(r.output());
    while (m.find()) {
      macs.add(m.group(2));
    }
    return macs;
  }

  /** The target link-layer address ndisc6 learns for ip (upper case), or null when none. */
  String ndiscMac(String ip) {
    Netns.Result r = net.in(client, "ndisc6", "-1", "-r", "3", "-w", "1000", ip, "eth0");
    Matcher m = Pattern.compile("Target link-layer address: ([0-9A-F:]+)").matcher(r.output());
    return m.find() ? m.group(1) : null;
  }

  /** The last lines of every node's log, for a failed test's report. */
  String logTails(int lines) {
    StringBuilder sb = new StringBuilder();
    nodes.values().forEach(p -> sb.append(p.logTail(lines)));
    return sb.toString();
  }

  /**
   * For a test class's {@code @RegisterExtension}: when a test fails, the last lines of every
   * node's log, from the lab the supplier gives (none yet: nothing).
   */
  static org.junit.jupiter.api.extension.AfterTestExecutionCallback logsOnFailure(
      Supplier<Layer2Lab> lab) {
    return IronlbProcess.logsOnFailure(
        () -> lab.get() == null ? List.of() : List.copyOf(lab.get().nodes.values()));
  }

  /** Polls until the condition holds, for labs and benchmarks outside Awaitility. */
  static <T> T within(Duration limit, Supplier<T> probe, String what) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      T v = probe.get();
      if (v != null) {
        return v;
      }
      Thread.sleep(200); // polling a lab, not synchronising a test
    }
    throw new IllegalStateException(what + " did not happen within " + limit);
  }

  @Override
  public void close() {
    nodes.values().forEach(IronlbProcess::close);
    backends.forEach(Process::destroyForcibly);
    net.close();
  }
}
