package io.ironlb;

import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ironlb.l2.link.InterfaceSelection;
import io.ironlb.l2.link.KernelAddresses;
import io.ironlb.node.NodeFeed;
import io.ironlb.node.NodeGuardian;
import io.ironlb.source.kubernetes.KubernetesSource;
import io.ironlb.source.kubernetes.KubernetesStatusWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ironlb speaker}: the per-node process of a Kubernetes install (a DaemonSet pod). */
@Command(
    name = "speaker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a node's speaker in Kubernetes: watches Services, EndpointSlices, Nodes and the",
      "metallb.io objects, reads the addresses the controller wrote into Service status, and",
      "answers ARP/NDP for those this node wins. Records ServiceL2Status objects and nodeAssigned",
      "events. Joins the other IronLB pods through Cluster Bootstrap (or --seed)."
    })
final class SpeakerCommand implements Callable<Integer> {

  @Option(
      names = "--node",
      defaultValue = "${env:NODE_NAME}",
      paramLabel = "NAME",
      description = "This node's name (default: $NODE_NAME, from the downward API).")
  String node;

  @Mixin KubernetesOptions kubernetes;

  @Mixin NodeBoot.Layer2Options layer2;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (node == null || node.isBlank()) {
      spec.commandLine().getErr().println("ironlb: --node or NODE_NAME is required");
      return 2;
    }
    Map<String, InterfaceSelection.Responders> chosen = layer2.chosen();
    KernelAddresses kernel = layer2.kernel(node);
    KubernetesClient client = kubernetes.client();
    com.typesafe.config.Config settings =
        layer2.withWriteRoutes(kubernetes.settings(client, NodeBoot.speakerRoles(node), true));
    return kubernetes.run(
        settings,
        incarnation -> ActorSystem.create(guardian(client, chosen, kernel), "ironlb", incarnation),
        client,
        spec.commandLine().getErr());
  }

  private Behavior<Void> guardian(
      KubernetesClient client,
      Map<String, InterfaceSelection.Responders> chosen,
      KernelAddresses kernel) {
    Duration resync = ConfigFactory.load().getDuration("ironlb.kubernetes.resync");
    KubernetesStatusWriter writer =
        new KubernetesStatusWriter(
            client, kubernetes.namespace, "ironlb-speaker", KubernetesOptions.writers());
    return NodeGuardian.create(
        new NodeGuardian.Settings(
            node,
            false,
            chosen,
            kernel,
            NodeBoot.routerId(kubernetes.cluster),
            KubernetesSource.watch(
                    client, kubernetes.namespace, resync, KubernetesSource.Copies.SLICES)
                .map(
                    writer.configurationState(
                            "speaker-" + node,
                            Map.of(
                                "metallb.io/component-type",
                                "speaker",
                                "metallb.io/node-name",
                                node))
                        ::apply),
            ctx -> new NodeFeed.FromServiceStatus(),
            writer));
  }
}
