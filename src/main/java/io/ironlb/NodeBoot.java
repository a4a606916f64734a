package io.ironlb;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.ironlb.l2.MembershipView;
import io.ironlb.l2.link.ExcludeList;
import io.ironlb.l2.link.InterfaceSelection;
import io.ironlb.l2.link.KernelAddresses;
import io.ironlb.l2.link.LoopbackAddresses;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import picocli.CommandLine.Option;

/**
 * What the long-running commands ({@code standalone}, {@code speaker}, {@code controller}) share:
 * the cluster settings, the layer-2 stack of a speaker node, and its planned stop.
 */
final class NodeBoot {
  private NodeBoot() {}

  /** A speaker's layer-2 options (a picocli mixin). */
  static final class Layer2Options {
    @Option(
        names = "--interfaces",
        split = ",",
        paramLabel = "IF",
        description =
            "Interfaces to answer ARP/NDP on (default: every eligible one, as MetalLB; 'none': none).")
    List<String> interfaces;

    @Option(
        names = "--local-vips",
        description = {
          "Install each address this node answers for on lo (the layer-2 addresses it owns, the",
          "addresses it advertises over BGP), so its kernel accepts the traffic, and remove it",
          "when the address moves. Sets net.ipv4.conf.all.arp_ignore=1 and",
          "arp_announce=2 so the kernel never answers ARP for them itself."
        })
    boolean localVips;

    @Option(
        names = "--exclude-l2-config",
        paramLabel = "FILE",
        defaultValue = "/etc/ironlb/excludel2.yaml",
        description = {
          "Interfaces never answered on unless named in --interfaces, in MetalLB's excludel2.yaml",
          "format (announcedInterfacesToExclude: [regex, ...]), replacing the default list;",
          "without the file, MetalLB's default list with tunnels and virtual devices",
          "(default: ${DEFAULT-VALUE})."
        })
    Path excludeL2Config;

    @Option(
        names = "--write-routes",
        description = {
          "Serve the status port's write routes too: POST /v1/drain (what 'ironlb drain' calls)",
          "and Pekko Management's member operations. Off by default: protect the port first."
        })
    boolean writeRoutes;

    /** The node's settings with the write routes on or off as asked. */
    Config withWriteRoutes(Config settings) {
      return ConfigFactory.parseString(
              "pekko.management.http.route-providers-read-only = " + !writeRoutes)
          .withFallback(settings);
    }

    /** The responders to run: named interfaces, or every eligible one minus MetalLB's excludes. */
    Map<String, InterfaceSelection.Responders> chosen() throws SocketException {
      List<InterfaceSelection.InterfaceInfo> all = InterfaceSelection.scan();
      if (interfaces != null && interfaces.equals(List.of("none"))) {
        return Map.of();
      }
      if (interfaces != null) {
        // Named explicitly: no exclude pattern, but still only interfaces that can take part.
        List<InterfaceSelection.InterfaceInfo> named = new ArrayList<>();
        for (String name : interfaces) {
          named.add(
              all.stream()
                  .filter(i -> i.name().equals(name))
                  .findFirst()
                  .orElseThrow(() -> new IllegalArgumentException("no interface named " + name)));
        }
        return InterfaceSelection.select(named, null);
      }
      return InterfaceSelection.select(all, ExcludeList.load(excludeL2Config));
    }

    /** The kernel port for {@code --local-vips}, or null; fails early without privileges. */
    KernelAddresses kernel(String node) {
      if (!localVips) {
        return null;
      }
      try {
        return new LoopbackAddresses(Path.of("/run/ironlb", "local-vips-" + node));
      } catch (IOException e) {
        throw new IllegalStateException(
            "--local-vips needs root (CAP_NET_ADMIN): " + e.getMessage(), e);
      }
    }
  }

  /**
   * The Pekko settings of a node: its Artery address, roles, seeds (none: Cluster Bootstrap finds
   * the others), Pekko Management on the status port with IronLB's routes, the fast failure
   * detector when the node is a speaker, and the same split-brain resolver settings on every node.
   */
  static Config settings(
      HostPort self, List<String> roles, List<String> seeds, HostPort status, boolean speaker) {
    StringBuilder conf = new StringBuilder();
    conf.append("pekko.remote.artery.canonical.hostname = \"").append(self.host()).append("\"\n");
    conf.append("pekko.remote.artery.canonical.port = ").append(self.port()).append('\n');
    conf.append("pekko.cluster.roles = [")
        .append(String.join(",", roles.stream().map(r -> "\"" + r + "\"").toList()))
        .append("]\n");
    if (!seeds.isEmpty() && !seedsItselfOnAnyPort(self, seeds)) {
      List<String> uris = new ArrayList<>();
      for (String s : seeds) {
        HostPort hp = HostPort.parse(s);
        uris.add("\"pekko://ironlb@" + hp.host() + ":" + hp.port() + "\"");
      }
      conf.append("pekko.cluster.seed-nodes = [").append(String.join(",", uris)).append("]\n");
    }
    if (!seeds.isEmpty() && !isFirstSeed(self, seeds)) {
      // Pekko's joining seed asks the seeds again only after seed-node-timeout (15 s here, so that
      // a restarted first seed waits long enough for busy peers instead of forming an island):
      // when all the seeds start at once, the others' first ask finds the first seed not yet
      // formed, and they joined 15-23 s after it in the cold-start benchmark. A node that is not
      // the first seed never forms a cluster, so for it the timeout is only how often it asks.
      // (Sending JoinSeedNodes again instead aborts a join under way: twelve speakers on two
      // cores, whose Welcome took longer than the period, joined 75 s after the first.)
      conf.append("pekko.cluster.seed-node-timeout = ")
          .append(JOIN_RETRY.toMillis())
          .append("ms\n");
    }
    if (isWildcard(status.host())) {
      // Listening on every address, the node still names one address to the others: Cluster
      // Bootstrap finds itself among the contact points it discovers (pod IP and status port) only
      // if it advertises that IP, never 0.0.0.0, or no node ever forms the cluster.
      conf.append("pekko.management.http.hostname = \"").append(self.host()).append("\"\n");
      conf.append("pekko.management.http.bind-hostname = \"").append(status.host()).append("\"\n");
    } else {
      conf.append("pekko.management.http.hostname = \"").append(status.host()).append("\"\n");
    }
    conf.append("pekko.management.http.port = ").append(status.port()).append('\n');
    conf.append(
        "pekko.management.cluster.bootstrap.contact-point.fallback-port = " + status.port() + "\n");
    conf.append("pekko.management.http.routes.ironlb-status = \"io.ironlb.http.StatusRoutes\"\n");
    conf.append("pekko.coordinated-shutdown.exit-jvm = on\n");
    Config base = ConfigFactory.load();
    if (rejoinsWhenDowned(base)) {
      // runUntilStopped starts a new incarnation instead.
      conf.append(
          "pekko.coordinated-shutdown.reason-overrides"
              + ".\"org.apache.pekko.actor.CoordinatedShutdown$ClusterDowningReason$\""
              + ".exit-jvm = off\n");
    }
    conf.append(clusterTls(Path.of(base.getString("ironlb.cluster.tls-dir"))));
    Config config = ConfigFactory.parseString(conf.toString());
    Config fast = failureDetection(base);
    // The split-brain resolver must decide alike on every member (Pekko's SBR documentation): its
    // settings go to controllers too; only the failure detector is a speaker's alone.
    config =
        config.withFallback(
            (speaker ? fast : fast.withOnlyPath("split-brain-resolver")).atPath("pekko.cluster"));
    config = config.withFallback(base);
    // A bad layer-2 setting stops the node here, named, not later inside an actor.
    io.ironlb.l2.VipEntity.spread(config);
    io.ironlb.l2.Speaker.plannedMoveInterval(config);
    return config;
  }

  /**
   * The failure-detection settings a speaker applies under {@code pekko.cluster}: {@code
   * ironlb.cluster.fast-failure-detection}, with {@code quick-failure-detection} over it when
   * {@code ironlb.cluster.failover} is {@code quick}. A misspelled value stops the node, named.
   */
  static Config failureDetection(Config base) {
    Config standard = base.getConfig("ironlb.cluster.fast-failure-detection");
    String failover = base.getString("ironlb.cluster.failover");
    return switch (failover) {
      case "standard" -> standard;
      case "quick" ->
          base.getConfig("ironlb.cluster.quick-failure-detection").withFallback(standard);
      default ->
          throw new IllegalArgumentException(
              "ironlb.cluster.failover: expected standard or quick, got \"" + failover + "\"");
    };
  }

  /**
   * Cluster traffic over TLS when a certificate is mounted in {@code dir} ({@code tls.crt}, {@code
   * tls.key}, {@code ca.crt}, as a cert-manager Secret holds them): Artery's {@code tls-tcp} with
   * Pekko's rotating-keys engine, which re-reads the files, so certificates can rotate under a
   * running node, and accepts only peers whose certificate that CA signed. Plain TCP otherwise.
   */
  static String clusterTls(Path dir) {
    if (!Files.isRegularFile(dir.resolve("tls.crt"))) {
      return "";
    }
    return "pekko.remote.artery.transport = tls-tcp\n"
        + "pekko.remote.artery.ssl.ssl-engine-provider ="
        + " \"org.apache.pekko.remote.artery.tcp.ssl.RotatingKeysSSLEngineProvider\"\n"
        // The file settings themselves: the reference's are already resolved from its own mount
        // point by the time this overrides them.
        + rotatingKeysFile("key-file", dir.resolve("tls.key"))
        + rotatingKeysFile("cert-file", dir.resolve("tls.crt"))
        + rotatingKeysFile("ca-cert-file", dir.resolve("ca.crt"));
  }

  private static String rotatingKeysFile(String setting, Path file) {
    return "pekko.remote.artery.ssl.rotating-keys-engine."
        + setting
        + " = \""
        + file.toAbsolutePath()
        + "\"\n";
  }

  /** 0.0.0.0 or :: (every address). */
  static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  /**
   * A node with {@code --cluster HOST:0} that names itself as a seed ({@code --seed HOST:0}) learns
   * its own port only once bound, so it joins its seeds after start ({@link #joinSeeds}) instead of
   * through the configuration. Tests start nodes this way, so no port is ever guessed.
   */
  static boolean seedsItselfOnAnyPort(HostPort self, List<String> seeds) {
    return self.port() == 0 && seeds.stream().map(HostPort::parse).anyMatch(self::equals);
  }

  /**
   * How often a node that is not the first seed asks the seeds again until it has joined. When all
   * the seeds start at once, the first forms the cluster only once the others answer that they are
   * in none, so their first ask always finds it unformed: the others are Up about this long after
   * it. At 3 s they joined 3.3 s after the first in the cold-start benchmark, after its allocations
   * had arrived, and the first node took every address alone. An ask is two small messages.
   */
  static final Duration JOIN_RETRY = Duration.ofMillis(500);

  /** Whether this node is the first of its seeds: the one that forms the cluster. */
  static boolean isFirstSeed(HostPort self, List<String> seeds) {
    return seeds != null && !seeds.isEmpty() && HostPort.parse(seeds.get(0)).equals(self);
  }

  /**
   * Joins the seeds of a node that seeds itself on port 0, its own entry its bound address (other
   * nodes join through {@code pekko.cluster.seed-nodes}).
   */
  static void joinSeeds(ActorSystem<?> system, HostPort self, List<String> seeds) {
    if (seeds == null || seeds.isEmpty() || !seedsItselfOnAnyPort(self, seeds)) {
      return;
    }
    org.apache.pekko.cluster.typed.Cluster cluster =
        org.apache.pekko.cluster.typed.Cluster.get(system);
    List<org.apache.pekko.actor.Address> addresses = new ArrayList<>();
    for (String seed : seeds) {
      HostPort hp = HostPort.parse(seed);
      addresses.add(
          hp.equals(self)
              ? cluster.selfMember().address()
              : new org.apache.pekko.actor.Address("pekko", "ironlb", hp.host(), hp.port()));
    }
    cluster.manager().tell(new org.apache.pekko.cluster.typed.JoinSeedNodes(addresses));
  }

  /**
   * Starts Pekko Management (status API, health, metrics) and waits for its port. A node without it
   * cannot be observed, probed or drained, so when the port cannot be bound the node stops at once
   * and the command exits non-zero with one line saying why, rather than running on blind.
   *
   * @return whether the port is served
   */
  static boolean serveStatus(ActorSystem<?> system, java.io.PrintWriter err) {
    Config c = system.settings().config();
    String at =
        (c.hasPath("pekko.management.http.bind-hostname")
                    && !c.getString("pekko.management.http.bind-hostname").isEmpty()
                ? c.getString("pekko.management.http.bind-hostname")
                : c.getString("pekko.management.http.hostname"))
            + ":"
            + c.getInt("pekko.management.http.port");
    try {
      org.apache.pekko.management.javadsl.PekkoManagement.get(
              org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system))
          .start()
          .thenAccept(
              uri ->
                  system
                      .log()
                      .info(
                          "cluster address {}, status API on {}",
                          org.apache.pekko.cluster.typed.Cluster.get(system).selfMember().address(),
                          uri))
          .toCompletableFuture()
          .get(60, java.util.concurrent.TimeUnit.SECONDS);
      return true;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      err.println("ironlb: cannot serve the status port " + at + ": " + cause.getMessage());
      err.flush();
      org.apache.pekko.actor.CoordinatedShutdown.get(system).runAll(StatusPortUnavailable.INSTANCE);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      org.apache.pekko.actor.CoordinatedShutdown.get(system).runAll(StatusPortUnavailable.INSTANCE);
      return false;
    }
  }

  /**
   * Runs a node until it is stopped, one actor system after another: an actor system the cluster
   * has downed cannot join again (Pekko's rule), so when {@code ironlb.cluster.when-downed} is
   * {@code rejoin} (the default) the node starts a new incarnation in the same process and joins
   * again. Overload, a slow start or a flapping network may cost a node its membership, but the
   * process never exits for it: a JVM already started and warm joins in seconds, where a restarted
   * pod pays its whole start again (and Kubernetes' back-off after the first). A node downed again
   * soon after it joined waits before the next incarnation ({@link
   * io.ironlb.cluster.RejoinBackoff}). A planned stop (SIGTERM, a drain) or {@code when-downed =
   * exit} ends the loop with the exit status the reason's settings give.
   *
   * @param settings the node's settings; an incarnation after the first gets {@link #rejoining}'s
   * @param self the node's cluster address
   * @param seeds its seed nodes (empty with Cluster Bootstrap)
   * @param start starts an incarnation with the settings given
   * @param serve serves it (status port, joining); false when it cannot
   * @return the exit status of the process
   */
  static int runUntilStopped(
      Config settings,
      HostPort self,
      List<String> seeds,
      java.util.function.Function<Config, ActorSystem<Void>> start,
      java.util.function.Predicate<ActorSystem<Void>> serve) {
    boolean rejoining = false;
    io.ironlb.cluster.RejoinBackoff backoff = new io.ironlb.cluster.RejoinBackoff();
    while (true) {
      long started = System.nanoTime();
      ActorSystem<Void> system =
          start.apply(rejoining ? rejoining(settings, self, seeds) : settings);
      if (!serve.test(system)) {
        system.getWhenTerminated().toCompletableFuture().join();
        return exitStatus(
            system.settings().config(),
            org.apache.pekko.actor.CoordinatedShutdown.get(system).getShutdownReason());
      }
      system.getWhenTerminated().toCompletableFuture().join();
      java.util.Optional<org.apache.pekko.actor.CoordinatedShutdown.Reason> reason =
          org.apache.pekko.actor.CoordinatedShutdown.get(system).getShutdownReason();
      if (!rejoinsWhenDowned(system.settings().config())
          || !reason.equals(
              java.util.Optional.of(
                  org.apache.pekko.actor.CoordinatedShutdown.clusterDowningReason()))) {
        return exitStatus(system.settings().config(), reason);
      }
      // Its sockets (BGP, BFD) close asynchronously after the system; the next binds them again.
      io.ironlb.net.NettyTransport.closed(system).toCompletableFuture().join();
      Duration wait = backoff.afterDowned(Duration.ofNanos(System.nanoTime() - started));
      org.slf4j.LoggerFactory.getLogger(NodeBoot.class)
          .warn(
              "this node was downed by the cluster; joining again as a new incarnation{}"
                  + " (ironlb.cluster.when-downed = rejoin)",
              wait.isZero()
                  ? ""
                  : " in " + wait.toSeconds() + " s, downed again soon after its last join");
      try {
        Thread.sleep(wait.toMillis()); // the process's main thread, between incarnations
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return exitStatus(system.settings().config(), reason);
      }
      rejoining = true;
    }
  }

  /** Whether a downed node joins again in the same process (else it exits). */
  static boolean rejoinsWhenDowned(Config config) {
    String when = config.getString("ironlb.cluster.when-downed");
    return switch (when) {
      case "rejoin" -> true;
      case "exit" -> false;
      default ->
          throw new IllegalArgumentException(
              "ironlb.cluster.when-downed: expected rejoin or exit, got \"" + when + "\"");
    };
  }

  /**
   * The settings of an incarnation after the first. The first seed forms a new cluster when every
   * other seed answers that it is in none, or when none answers within {@code seed-node-timeout}. A
   * first seed downed because it was cut off would, by that timeout, form a cluster of its own and
   * answer for every address beside the real cluster: so when rejoining it waits {@code
   * ironlb.cluster.rejoin-seed-node-timeout} (a day) instead, and forms one only when all the other
   * seeds are up and in none (the whole cluster was downed). Other nodes never form a cluster;
   * their settings stay as they were.
   */
  static Config rejoining(Config settings, HostPort self, List<String> seeds) {
    if (!isFirstSeed(self, seeds)) {
      return settings;
    }
    return ConfigFactory.parseString(
            "pekko.cluster.seed-node-timeout = "
                + settings.getDuration("ironlb.cluster.rejoin-seed-node-timeout").toMillis()
                + "ms")
        .withFallback(settings);
  }

  /** The exit status CoordinatedShutdown gives for {@code reason}, with its overrides. */
  static int exitStatus(
      Config config, java.util.Optional<org.apache.pekko.actor.CoordinatedShutdown.Reason> reason) {
    Config shutdown = config.getConfig("pekko.coordinated-shutdown");
    if (reason.isPresent()) {
      String at = "reason-overrides.\"" + reason.get().getClass().getName() + "\".exit-code";
      if (shutdown.hasPath(at)) {
        return shutdown.getInt(at);
      }
    }
    return shutdown.getInt("exit-code");
  }

  /**
   * The shutdown reason when the status port cannot be served; mapped to exit status 1 (as is every
   * way the node stops, so the exit status never depends on which thread exits first).
   */
  public static final class StatusPortUnavailable
      implements org.apache.pekko.actor.CoordinatedShutdown.Reason {
    public static final StatusPortUnavailable INSTANCE = new StatusPortUnavailable();

    private StatusPortUnavailable() {}

    @Override
    public String toString() {
      return "StatusPortUnavailable";
    }
  }

  /** The roles of a speaker node. */
  static List<String> speakerRoles(String node) {
    return List.of(MembershipView.SPEAKER_ROLE, MembershipView.NODE_ROLE_PREFIX + node);
  }

  /**
   * The default BGP identifier: the cluster address when that is IPv4 (an IPv6-only node must set
   * {@code routerID} on its BGPPeers).
   */
  static Inet4Address routerId(String clusterAddress) {
    try {
      InetAddress a = InetAddress.getByName(HostPort.parse(clusterAddress).host());
      return a instanceof Inet4Address v4 ? v4 : (Inet4Address) InetAddress.getByName("127.0.0.1");
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--cluster " + clusterAddress, e);
    }
  }

  /** host:port, with IPv6 hosts in brackets. */
  record HostPort(String host, int port) {
    static HostPort parse(String text) {
      int colon = text.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("expected HOST:PORT, got " + text);
      }
      String host = text.substring(0, colon).replace("[", "").replace("]", "");
      return new HostPort(host, Integer.parseInt(text.substring(colon + 1)));
    }
  }
}
