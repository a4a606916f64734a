package io.ironlb;

import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ironlb.ipam.AllocatorActor;
import io.ironlb.source.kubernetes.KubernetesSource;
import io.ironlb.source.kubernetes.KubernetesStatusWriter;
import io.ironlb.webhook.WebhookServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

  @Option(
      names = "--webhook",
      defaultValue = "0.0.0.0:9443",
      paramLabel = "HOST:PORT",
      description = "Where the validating webhook listens (HTTPS; default: ${DEFAULT-VALUE}).")
  String webhook;

  @Option(
      names = "--webhook-cert-dir",
      defaultValue = "/tmp/k8s-webhook-server/serving-certs",
      paramLabel = "DIR",
      description = {
        "The webhook's certificate pair, tls.crt and tls.key (a mounted Secret). Without it the",
        "webhook is off (default: ${DEFAULT-VALUE})."
      })
  Path webhookCertDir;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    KubernetesClient client = kubernetes.client();
    ActorSystem<Void> system =
        ActorSystem.create(
            guardian(client), "ironlb", kubernetes.settings(List.of(AllocatorActor.ROLE), false));
    return kubernetes.run(system, client, spec.commandLine().getErr()) ? 0 : 1;
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
          webhook(ctx.getSystem(), client);
          AllocatorActor.singleton(
              ctx.getSystem(),
              () -> KubernetesSource.watch(client, kubernetes.namespace, resync).map(state::apply),
              writer,
              kubernetes.loadBalancerClass);
          return Behaviors.empty();
        });
  }

  /** Serves the validating webhook when a certificate pair is mounted (every controller pod). */
  private void webhook(ActorSystem<Void> system, KubernetesClient client) {
    if (!Files.isRegularFile(webhookCertDir.resolve("tls.crt"))) {
      system.log().info("validating webhook off: no certificate pair in {}", webhookCertDir);
      return;
    }
    NodeBoot.HostPort at = NodeBoot.HostPort.parse(webhook);
    try {
      WebhookServer.start(
              system,
              at.host(),
              at.port(),
              webhookCertDir,
              () -> KubernetesSource.current(client, kubernetes.namespace),
              kubernetes.namespace,
              KubernetesOptions.writers())
          .whenComplete(
              (binding, failure) -> {
                if (failure != null) {
                  system.log().error("validating webhook did not start: {}", failure.toString());
                } else {
                  system.log().info("validating webhook on https://{}", binding.localAddress());
                }
              });
    } catch (java.io.IOException | java.security.GeneralSecurityException e) {
      system.log().error("validating webhook: cannot read {}: {}", webhookCertDir, e.toString());
    }
  }
}
