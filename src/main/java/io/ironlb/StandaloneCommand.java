package io.ironlb;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.ironlb.http.NodeRuntime;
import io.ironlb.ipam.AllocatorActor;
import io.ironlb.l2.LinkCommand;
import io.ironlb.l2.LinkResponder;
import io.ironlb.l2.Links;
import io.ironlb.l2.MembershipView;
import io.ironlb.l2.Speaker;
import io.ironlb.l2.VipEntity;
import io.ironlb.l2.link.InterfaceSelection;
import io.ironlb.l2.link.PcapLinkIo;
import io.ironlb.source.InMemoryStatusWriter;
import io.ironlb.source.files.FileSource;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.management.javadsl.PekkoManagement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ironlb standalone}: both roles in one process, configured from a directory. */
@Command(
    name = "standalone",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a node without Kubernetes: the allocator (controller role) and the layer-2 speaker in one",
      "process. Configuration and Services come from a directory of YAML; peers from --seed.",
      "Allocations are kept in memory and served on the --http port: GET /v1/services, /ready,",
      "/alive, /cluster/members."
    })
final class StandaloneCommand implements Callable<Integer> {

  /** MetalLB's default exclude list for announcing interfaces (its excludel2.yaml). */
  static final Pattern DEFAULT_EXCLUDE =
      Pattern.compile(
          "^(docker|cbr|dummy|virbr|lxcbr|veth|cali|tunl|flannel|kube-ipvs|cni|vti|vxlan|gre|gretap|erspan|"
              + "ip6gre|ip6tnl|ip6_vti|sit|nodelocaldns|genev_sys).*|^lo$|^ovs-system$");

  @Option(
      names = "--config",
      required = true,
      paramLabel = "DIR",
      description = "Directory of YAML objects.")
  Path config;

  @Option(names = "--node", required = true, paramLabel = "NAME", description = "This node's name.")
  String node;

  @Option(
      names = "--cluster",
      required = true,
      paramLabel = "HOST:PORT",
      description = "Cluster (Artery) address.")
  String cluster;

  @Option(
      names = "--seed",
      required = true,
      split = ",",
      paramLabel = "HOST:PORT",
      description = "Seed nodes' cluster addresses (this node's own included on the first node).")
  List<String> seeds;

  @Option(
      names = "--http",
      required = true,
      paramLabel = "HOST:PORT",
      description = "Status API and health.")
  String http;

  @Option(
      names = "--interfaces",
      split = ",",
      paramLabel = "IF",
      description =
          "Interfaces to answer ARP/NDP on (default: every eligible one, as MetalLB; 'none': none).")
  List<String> interfaces;

  @Option(names = "--lb-class", description = "Handle only Services of this loadBalancerClass.")
  String loadBalancerClass;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(config)) {
      spec.commandLine().getErr().println("ironlb: --config " + config + " is not a directory");
      return 2;
    }
    Map<String, InterfaceSelection.Responders> chosen = interfaces();
    ActorSystem<Void> system = ActorSystem.create(guardian(chosen), "ironlb", settings());
    PekkoManagement.get(Adapter.toClassic(system)).start();
    system.getWhenTerminated().toCompletableFuture().join();
    return 0;
  }

  private Map<String, InterfaceSelection.Responders> interfaces() throws SocketException {
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
    return InterfaceSelection.select(all, DEFAULT_EXCLUDE);
  }

  private Config settings() {
    HostPort self = HostPort.parse(cluster);
    HostPort status = HostPort.parse(http);
    List<String> seedUris = new ArrayList<>();
    for (String s : seeds) {
      HostPort hp = HostPort.parse(s);
      seedUris.add("\"pekko://ironlb@" + hp.host() + ":" + hp.port() + "\"");
    }
    String conf =
        "pekko.remote.artery.canonical.hostname = \""
            + self.host()
            + "\"\n"
            + "pekko.remote.artery.canonical.port = "
            + self.port()
            + "\n"
            + "pekko.cluster.roles = [\"speaker\", \"controller\", \""
            + MembershipView.NODE_ROLE_PREFIX
            + node
            + "\"]\n"
            + "pekko.cluster.seed-nodes = ["
            + String.join(",", seedUris)
            + "]\n"
            + "pekko.management.http.hostname = \""
            + status.host()
            + "\"\n"
            + "pekko.management.http.port = "
            + status.port()
            + "\n"
            + "pekko.management.http.routes.ironlb-status = \"io.ironlb.http.StatusRoutes\"\n"
            + "pekko.coordinated-shutdown.exit-jvm = on\n";
    Config base = ConfigFactory.load();
    return ConfigFactory.parseString(conf)
        .withFallback(
            base.getConfig("ironlb.cluster.fast-failure-detection").atPath("pekko.cluster"))
        .withFallback(base);
  }

  private Behavior<Void> guardian(Map<String, InterfaceSelection.Responders> chosen) {
    Duration poll = ConfigFactory.load().getDuration("ironlb.files.poll-interval");
    return Behaviors.setup(
        ctx -> {
          ActorSystem<Void> system = ctx.getSystem();
          ActorRef<Topic.Command<AllocatorActor.Allocations>> topic =
              ctx.spawn(
                  Topic.create(AllocatorActor.Allocations.class, "ironlb-allocations"),
                  "allocations-topic");
          ActorRef<AllocatorActor.Command> allocator =
              AllocatorActor.singleton(
                  system,
                  () -> FileSource.watch(config, poll),
                  new InMemoryStatusWriter(),
                  loadBalancerClass,
                  topic);
          VipEntity.init(system);
          Map<String, Links.Port> ports = new LinkedHashMap<>();
          chosen.forEach(
              (name, kinds) ->
                  ports.put(
                      name,
                      new Links.Port(
                          ctx.spawn(
                              LinkResponder.create(
                                  new PcapLinkIo(name), LinkResponder.Settings.DEFAULT),
                              "link-" + name),
                          kinds)));
          ActorRef<LinkCommand> links = ctx.spawn(Links.create(ports), "links");
          ClusterSharding sharding = ClusterSharding.get(system);
          ActorRef<Speaker.Command> speaker =
              ctx.spawn(
                  Speaker.create(
                      node,
                      true,
                      List.copyOf(chosen.keySet()),
                      FileSource.watch(config, poll),
                      links,
                      (vip, m) -> sharding.entityRefFor(VipEntity.TYPE, vip).tell(m),
                      topic,
                      allocator),
                  "speaker");
          NodeRuntime.get(system).speaker(speaker);
          // Withdraw only once every other node has seen this one leave (the Speaker waits for
          // Exiting): the others skip a leaving owner at once, so for a moment two nodes answer
          // instead of none (no gap).
          CoordinatedShutdown.get(system)
              .addTask(
                  CoordinatedShutdown.PhaseClusterExiting(),
                  "ironlb-withdraw",
                  () -> {
                    CompletionStage<Done> done =
                        AskPattern.ask(
                            speaker,
                            Speaker.PlannedStop::new,
                            Speaker.HANDOVER_LIMIT.plusSeconds(2),
                            system.scheduler());
                    return done;
                  });
          ctx.getLog().info("node {} started: interfaces {}", node, chosen.keySet());
          return Behaviors.empty();
        });
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
