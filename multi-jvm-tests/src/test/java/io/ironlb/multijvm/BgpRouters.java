package io.ironlb.multijvm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Real BGP routers in namespaces a test created: FRR 8 (zebra + bgpd), BIRD 2 and GoBGP 3, each
 * configured to accept any speaker in a range (dynamic neighbours), multipath on, and to install
 * routes in its namespace's kernel (FRR, BIRD). Every process is started here and stopped here by
 * its PID; configuration, sockets and logs live in a private directory per router.
 */
final class BgpRouters implements AutoCloseable {
  private final Path work;
  private final List<Long> pids = new ArrayList<>();
  private final List<Path> pidFiles = new ArrayList<>();

  BgpRouters() throws IOException {
    work = Files.createTempDirectory("ironlb-routers-");
    Netns.must("chmod", "755", work.toString());
  }

  Path work() {
    return work;
  }

  /**
   * FRR in {@code ns} as AS {@code asn}, router id {@code id}, accepting speakers of AS {@code
   * peerAs} from {@code v4Range} and {@code v6Range}; hold 3 s, keepalive 1 s; exports what it
   * learns (no policy needed).
   */
  void startFrr(
      Netns net, String ns, long asn, String id, long peerAs, String v4Range, String v6Range)
      throws IOException, InterruptedException {
    startFrr(net, ns, asn, id, peerAs, v4Range, v6Range, List.of());
  }

  /**
   * As above, with more neighbor settings for every speaker ({@code "password KEY"} for TCP MD5,
   * RFC 2385; {@code "ebgp-multihop 255"} for speakers behind a router; {@code "bfd profile fast"}
   * starts bfdd too, with profile {@code fast}: 100 ms both ways, detect multiplier 3).
   */
  void startFrr(
      Netns net,
      String ns,
      long asn,
      String id,
      long peerAs,
      String v4Range,
      String v6Range,
      List<String> neighborSettings)
      throws IOException, InterruptedException {
    String bgpd =
        """
        hostname %1$s
        router bgp %2$d
         bgp router-id %3$s
         bgp log-neighbor-changes
         no bgp ebgp-requires-policy
         no bgp default ipv4-unicast
         bgp bestpath as-path multipath-relax
         neighbor NODES4 peer-group
         neighbor NODES4 remote-as %4$d
         neighbor NODES4 timers 1 3
         neighbor NODES4 timers connect 1
         neighbor NODES6 peer-group
         neighbor NODES6 remote-as %4$d
         neighbor NODES6 timers 1 3
         neighbor NODES6 timers connect 1
         bgp listen range %5$s peer-group NODES4
         bgp listen range %6$s peer-group NODES6
        %7$s
         address-family ipv4 unicast
          neighbor NODES4 activate
          maximum-paths 8
         exit-address-family
         address-family ipv6 unicast
          neighbor NODES6 activate
          maximum-paths 8
         exit-address-family
        """
            .formatted(
                ns,
                asn,
                id,
                peerAs,
                v4Range,
                v6Range,
                neighborSettings.stream()
                    .flatMap(n -> Stream.of(" neighbor NODES4 " + n, " neighbor NODES6 " + n))
                    .collect(Collectors.joining("\n")));
    startFrr(net, ns, bgpd, neighborSettings.stream().anyMatch(n -> n.startsWith("bfd")));
  }

  /**
   * FRR in {@code ns} with this {@code bgpd.conf} (zebra always runs: it installs routes in the
   * namespace's kernel and sends and hears Router Advertisements).
   */
  void startFrr(Netns net, String ns, String bgpdConf, boolean bfd)
      throws IOException, InterruptedException {
    Path d = work.resolve("frr-" + ns);
    Files.createDirectories(d);
    Files.writeString(d.resolve("zebra.conf"), "hostname " + ns + "\n");
    Files.writeString(d.resolve("bgpd.conf"), bgpdConf);
    if (bfd) {
      // bfdd's profile for "bfd profile fast": 100 ms each way, down after 3 missed.
      Files.writeString(
          d.resolve("bfdd.conf"),
          """
          hostname %s
          bfd
           profile fast
            transmit-interval 100
            receive-interval 100
            detect-multiplier 3
           !
          !
          """
              .formatted(ns));
    }
    Netns.must("chown", "-R", "frr:frr", d.toString());
    frrDaemon(net, ns, d, "zebra", List.of(), "zserv.api");
    if (bfd) {
      frrDaemon(net, ns, d, "bfdd", List.of("--bfdctl", d.resolve("bfdd.sock").toString()), null);
    }
    frrDaemon(net, ns, d, "bgpd", List.of(), null);
  }

  /**
   * Starts FRR's {@code daemon} in {@code ns} with its files in {@code d} (NAME.conf, NAME.pid,
   * NAME.log, the vty socket) and zebra's API socket there, and waits for {@code ready} (default:
   * its vty socket).
   */
  private void frrDaemon(
      Netns net, String ns, Path d, String daemon, List<String> extra, String ready)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("/usr/lib/frr/" + daemon));
    command.addAll(
        List.of(
            "-d",
            "--vty_socket",
            d.toString(),
            "-z",
            d.resolve("zserv.api").toString(),
            "-P",
            "0",
            "-f",
            d.resolve(daemon + ".conf").toString(),
            "-i",
            d.resolve(daemon + ".pid").toString(),
            "--log",
            "file:" + d.resolve(daemon + ".log")));
    command.addAll(extra);
    net.mustIn(ns, command.toArray(String[]::new));
    pidFiles.add(d.resolve(daemon + ".pid"));
    Path readyFile = d.resolve(ready != null ? ready : daemon + ".vty");
    waitFor(() -> Files.exists(readyFile), "FRR " + daemon + " in " + ns);
  }

  /** {@code vtysh -c command} against the FRR in {@code ns}. */
  String vtysh(Netns net, String ns, String command) {
    return net.in(ns, "vtysh", "--vty_socket", work.resolve("frr-" + ns).toString(), "-c", command)
        .output();
  }

  /**
   * FRR's paths in {@code ns} for {@code prefix} of {@code family} ({@code ipv4}, {@code ipv6}):
   * the {@code paths} array of {@code show bgp FAMILY unicast PREFIX json}, empty when it has none.
   */
  JsonNode frrPaths(Netns net, String ns, String family, String prefix)
      throws JsonProcessingException {
    String out = vtysh(net, ns, "show bgp " + family + " unicast " + prefix + " json");
    JsonNode paths = out.isBlank() ? null : JSON.readTree(out).path("paths");
    return paths != null && paths.isArray() ? paths : JSON.createArrayNode();
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** BIRD 2 in {@code ns}: as FRR, exporting everything to the speakers and to the kernel. */
  void startBird(
      Netns net, String ns, long asn, String id, long peerAs, String v4Range, String v6Range)
      throws IOException, InterruptedException {
    startBird(
        net,
        ns,
        """
        log "%1$s/bird.log" all;
        router id %2$s;
        protocol device { scan time 10; }
        protocol kernel k4 { ipv4 { export all; }; merge paths on; }
        protocol kernel k6 { ipv6 { export all; }; merge paths on; }
        template bgp NODE {
          local as %3$d;
          hold time 3; keepalive time 1; connect retry time 1; error wait time 1,5;
        }
        protocol bgp nodes4 from NODE {
          neighbor range %5$s as %4$d;
          dynamic name "node4_";
          ipv4 { import all; export all; };
        }
        protocol bgp nodes6 from NODE {
          neighbor range %6$s as %4$d;
          dynamic name "node6_";
          ipv6 { import all; export all; };
        }
        """
            .formatted(birdDir(ns), id, asn, peerAs, v4Range, v6Range));
  }

  /** BIRD 2 in {@code ns} with this {@code bird.conf}; its directory is {@link #birdDir}. */
  void startBird(Netns net, String ns, String conf) throws IOException, InterruptedException {
    Path d = birdDir(ns);
    Files.createDirectories(d);
    Files.writeString(d.resolve("bird.conf"), conf);
    net.mustIn(
        ns,
        "bird",
        "-c",
        d.resolve("bird.conf").toString(),
        "-s",
        d.resolve("bird.ctl").toString(),
        "-P",
        d.resolve("bird.pid").toString());
    pidFiles.add(d.resolve("bird.pid"));
    waitFor(() -> Files.exists(d.resolve("bird.ctl")), "BIRD in " + ns);
  }

  /** Where the BIRD in {@code ns} keeps its configuration, log, socket and pid file. */
  Path birdDir(String ns) {
    return work.resolve("bird-" + ns);
  }

  String birdc(Netns net, String ns, String... command) {
    List<String> c =
        new ArrayList<>(
            List.of("birdc", "-s", work.resolve("bird-" + ns + "/bird.ctl").toString()));
    c.addAll(List.of(command));
    return net.in(ns, c.toArray(String[]::new)).output();
  }

  /** GoBGP 3 in {@code ns} as a router: dynamic neighbours per family, multipath. */
  void startGobgp(
      Netns net, String ns, long asn, String id, long peerAs, String v4Range, String v6Range)
      throws IOException, InterruptedException {
    Path d = work.resolve("gobgp-" + ns);
    Files.createDirectories(d);
    StringBuilder toml =
        new StringBuilder(
            """
            [global.config]
              as = %d
              router-id = "%s"
            [global.use-multiple-paths.config]
              enabled = true
            """
                .formatted(asn, id));
    for (String[] f : new String[][] {{"4", "ipv4", v4Range}, {"6", "ipv6", v6Range}}) {
      toml.append(
          """
          [[peer-groups]]
            [peer-groups.config]
              peer-group-name = "nodes%1$s"
              peer-as = %4$d
            [peer-groups.timers.config]
              connect-retry = 1
              hold-time = 3
              keepalive-interval = 1
            [[peer-groups.afi-safis]]
              [peer-groups.afi-safis.config]
                afi-safi-name = "%2$s-unicast"
          [[dynamic-neighbors]]
            [dynamic-neighbors.config]
              prefix = "%3$s"
              peer-group = "nodes%1$s"
          """
              .formatted(f[0], f[1], f[2], peerAs));
    }
    Files.writeString(d.resolve("gobgpd.toml"), toml);
    startGobgpd(net, ns, d);
  }

  /**
   * gobgpd in {@code ns} with {@code dir/gobgpd.toml} (a router or a speaker), its gRPC API on the
   * namespace's own loopback; returns once the API answers.
   */
  void startGobgpd(Netns net, String ns, Path dir) throws IOException, InterruptedException {
    own(
        List.of(
            "ip",
            "netns",
            "exec",
            ns,
            "gobgpd",
            "-f",
            dir.resolve("gobgpd.toml").toString(),
            "--api-hosts",
            "127.0.0.1:50051",
            "--pprof-disable",
            "-p"),
        dir.resolve("gobgpd.log"));
    waitFor(() -> gobgp(net, ns, "global").contains("AS"), "GoBGP in " + ns);
  }

  String gobgp(Netns net, String ns, String... command) {
    List<String> c = new ArrayList<>(List.of("gobgp", "-u", "127.0.0.1", "-p", "50051"));
    c.addAll(List.of(command));
    return net.in(ns, c.toArray(String[]::new)).output();
  }

  /** Records BGP (TCP port 179) on {@code eth0} of {@code ns} into {@code file}, until stopped. */
  void capture(String ns, Path file) throws IOException {
    own(
        List.of(
            "ip",
            "netns",
            "exec",
            ns,
            "tcpdump",
            "-i",
            "eth0",
            "-n",
            "-U",
            "-w",
            file.toString(),
            "tcp port 179"),
        file.resolveSibling(file.getFileName() + ".log"));
  }

  /** Starts a process of the test's own (ExaBGP, tcpdump...) and stops it with the routers. */
  Process own(List<String> command, Path log) throws IOException {
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    pids.add(p.pid());
    return p;
  }

  interface Check {
    boolean ok() throws IOException;
  }

  static void waitFor(Check check, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (check.ok()) {
          return;
        }
      } catch (IOException e) {
        // not yet
      }
      Thread.sleep(100); // polling a daemon's start-up
    }
    throw new IllegalStateException(what + " did not start within 20 s");
  }

  @Override
  public void close() {
    stopAll();
  }

  /** Stops every process started here, by PID: SIGTERM, then SIGKILL. */
  void stopAll() {
    List<Long> all = new ArrayList<>(pids);
    for (Path f : pidFiles) {
      try {
        all.add(Long.parseLong(Files.readString(f).strip()));
      } catch (IOException | NumberFormatException e) {
        // never started
      }
    }
    for (long pid : all) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    }
    for (long pid : all) {
      ProcessHandle.of(pid)
          .ifPresent(
              h -> {
                try {
                  h.onExit().get(3, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                  h.destroyForcibly();
                }
              });
    }
  }
}
