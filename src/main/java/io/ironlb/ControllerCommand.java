package io.ironlb;

import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ironlb.ipam.AllocatorActor;
import io.ironlb.source.kubernetes.KubernetesSource;
import io.ironlb.source.kubernetes.KubernetesStatusWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ironlb controller}: the allocator of a Kubernetes install (a StatefulSet pod). */
@Command(
    name = "controller",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the allocator in Kubernetes: one active instance in the cluster (a Cluster Singleton",
      "over the controller pods) assigns addresses to Services of type LoadBalancer and writes",
      "their status, events and IPAddressPool status."
    })
final class ControllerCommand implements Callable<Integer> {

  @Mixin KubernetesOptions kubernetes;

  @Override
  public Integer call() {
    KubernetesClient client = kubernetes.client();
    ActorSystem<Void> system =
        ActorSystem.create(
            guardian(client), "ironlb", kubernetes.settings(List.of(AllocatorActor.ROLE), false));
    kubernetes.run(system, client);
    return 0;
  }

  private Behavior<Void> guardian(KubernetesClient client) {
    Duration resync = ConfigFactory.load().getDuration("ironlb.kubernetes.resync");
    return Behaviors.setup(
        ctx -> {
          KubernetesStatusWriter writer =
              new KubernetesStatusWriter(
                  client, kubernetes.namespace, "ironlb-controller", KubernetesOptions.writers());
          var state =
              writer.configurationState(
                  "controller", Map.of("metallb.io/component-type", "controller"));
          AllocatorActor.singleton(
              ctx.getSystem(),
              () -> KubernetesSource.watch(client, kubernetes.namespace, resync).map(state::apply),
              writer,
              kubernetes.loadBalancerClass);
          return Behaviors.empty();
        });
  }
}
