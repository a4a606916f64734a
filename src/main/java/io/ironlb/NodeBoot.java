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
    conf.append(clusterTls(Path.of(base.getString("ironlb.cluster.tls-dir"))));
    Config config = ConfigFactory.parseString(conf.toString());
    Config fast = base.getConfig("ironlb.cluster.fast-failure-detection");
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

  /** How often a node that is not the first seed asks the seeds again until it has joined. */
  static final Duration JOIN_RETRY = Duration.ofSeconds(3);

  /**
   * Joins the seeds of a node that seeds itself on port 0, its own entry its bound address; and
   * makes a node that is not the first seed ask again every {@link #JOIN_RETRY} until it has
   * joined. Pekko's joining seed retries only after {@code seed-node-timeout} (15 s here, so that a
   * restarted first seed waits long enough for busy peers instead of forming an island): when all
   * the seeds start at once, the others' first ask finds the first seed not yet formed, and they
   * joined 15–23 s after it in the cold-start benchmark.
   */
  static void joinSeeds(ActorSystem<?> system, HostPort self, List<String> seeds) {
    if (seeds == null || seeds.isEmpty()) {
      return;
    }
    if (!seedsItselfOnAnyPort(self, seeds)) {
      if (!HostPort.parse(seeds.get(0)).equals(self)) {
        askSeedsUntilJoined(system, seeds);
      }
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

  private static void askSeedsUntilJoined(ActorSystem<?> system, List<String> seeds) {
    org.apache.pekko.cluster.typed.Cluster cluster =
        org.apache.pekko.cluster.typed.Cluster.get(system);
    List<org.apache.pekko.actor.Address> addresses = new ArrayList<>();
    for (String seed : seeds) {
      HostPort hp = HostPort.parse(seed);
      addresses.add(new org.apache.pekko.actor.Address("pekko", "ironlb", hp.host(), hp.port()));
    }
    java.util.concurrent.atomic.AtomicReference<org.apache.pekko.actor.Cancellable> task =
        new java.util.concurrent.atomic.AtomicReference<>();
    task.set(
        system
            .scheduler()
            .scheduleWithFixedDelay(
                JOIN_RETRY,
                JOIN_RETRY,
                () -> {
                  // Removed is the status of a node that has not joined yet (and of one that left,
                  // whose system is then terminating).
                  if (cluster.selfMember().status()
                          == org.apache.pekko.cluster.MemberStatus.removed()
                      && !system.whenTerminated().isCompleted()) {
                    cluster
                        .manager()
                        .tell(new org.apache.pekko.cluster.typed.JoinSeedNodes(addresses));
                  } else {
                    task.get().cancel();
                  }
                },
                system.executionContext()));
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
      system.terminate();
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      system.terminate();
      return false;
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
