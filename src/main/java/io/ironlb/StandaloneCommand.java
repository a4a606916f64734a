package io.ironlb;

import com.typesafe.config.ConfigFactory;
import io.ironlb.NodeBoot.HostPort;
import io.ironlb.ipam.AllocatorActor;
import io.ironlb.ipam.InMemoryStatusWriter;
import io.ironlb.l2.link.InterfaceSelection;
import io.ironlb.l2.link.KernelAddresses;
import io.ironlb.node.NodeFeed;
import io.ironlb.node.NodeGuardian;
import io.ironlb.source.AnnouncementWriter;
import io.ironlb.source.files.FileSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.pubsub.Topic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
      "Allocations are kept in memory and served on the --http port: GET /v1/services, /v1/l2,",
      "/ready, /alive, /cluster/members."
    })
final class StandaloneCommand implements Callable<Integer> {

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

  @Option(names = "--lb-class", description = "Handle only Services of this loadBalancerClass.")
  String loadBalancerClass;

  @Mixin NodeBoot.Layer2Options layer2;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(config)) {
      spec.commandLine().getErr().println("ironlb: --config " + config + " is not a directory");
      return 2;
    }
    Map<String, InterfaceSelection.Responders> chosen = layer2.chosen();
    KernelAddresses kernel = layer2.kernel(node);
    List<String> roles = new ArrayList<>(NodeBoot.speakerRoles(node));
    roles.add(AllocatorActor.ROLE);
    com.typesafe.config.Config settings =
        layer2.withWriteRoutes(
            NodeBoot.settings(HostPort.parse(cluster), roles, seeds, HostPort.parse(http), true));
    return NodeBoot.runUntilStopped(
        settings,
        HostPort.parse(cluster),
        seeds,
        incarnation -> ActorSystem.create(guardian(chosen, kernel), "ironlb", incarnation),
        system -> {
          // Joining starts before the status port is up (binding it took seconds on a busy
          // machine).
          NodeBoot.joinSeeds(system, HostPort.parse(cluster), seeds);
          return NodeBoot.serveStatus(system, spec.commandLine().getErr());
        });
  }

  private Behavior<Void> guardian(
      Map<String, InterfaceSelection.Responders> chosen, KernelAddresses kernel) {
    Duration poll = ConfigFactory.load().getDuration("ironlb.files.poll-interval");
    FileSource directory = new FileSource(config, poll);
    return NodeGuardian.create(
        new NodeGuardian.Settings(
            node,
            true,
            chosen,
            kernel,
            NodeBoot.routerId(cluster),
            directory.snapshots(),
            ctx -> {
              ActorRef<Topic.Command<AllocatorActor.Allocations>> topic =
                  ctx.spawn(
                      Topic.create(AllocatorActor.Allocations.class, "ironlb-allocations"),
                      "allocations-topic");
              ActorRef<AllocatorActor.Command> allocator =
                  AllocatorActor.singleton(
                      ctx.getSystem(),
                      directory::snapshots,
                      new InMemoryStatusWriter(),
                      loadBalancerClass,
                      topic);
              return new NodeFeed.FromAllocator(topic, allocator);
            },
            AnnouncementWriter.NONE));
  }
}
