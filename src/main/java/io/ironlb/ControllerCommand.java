package io.ironlb;

import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ironlb.ipam.AllocatorActor;
import io.ironlb.source.kubernetes.KubernetesSource;
import io.ironlb.source.kubernetes.KubernetesStatusWriter;
import io.ironlb.webhook.WebhookCertificates;
import io.ironlb.webhook.WebhookLauncher;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
      names = "--webhook-cert-secret",
      defaultValue = "ironlb-webhook-cert",
      paramLabel = "NAME",
      description = {
        "The Secret in which the controller keeps the webhook's certificate itself: its own CA",
        "and a serving certificate, issued when missing, renewed 30 days before expiry, the CA",
        "written into the webhook configuration's caBundles (default: ${DEFAULT-VALUE}). Empty:",
        "someone else (cert-manager) keeps it, and the pair mounted in --webhook-cert-dir is",
        "served from the moment it appears."
      })
  String webhookCertSecret;

  @Option(
      names = "--webhook-configuration",
      defaultValue = "ironlb-webhook",
      paramLabel = "NAME",
      description =
          "The ValidatingWebhookConfiguration whose caBundles the controller keeps (default:"
              + " ${DEFAULT-VALUE}).")
  String webhookConfiguration;

  @Option(
      names = "--webhook-service",
      defaultValue = "ironlb-webhook",
      paramLabel = "NAME",
      description =
          "The Service the API server calls the webhook through: the certificate's names (default:"
              + " ${DEFAULT-VALUE}).")
  String webhookService;

  @Option(
      names = "--webhook-cert-dir",
      defaultValue = "/tmp/k8s-webhook-server/serving-certs",
      paramLabel = "DIR",
      description = {
        "With --webhook-cert-secret empty: the mounted pair, tls.crt and tls.key (default:",
        "${DEFAULT-VALUE})."
      })
  Path webhookCertDir;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    KubernetesClient client = kubernetes.client();
    com.typesafe.config.Config settings =
        kubernetes.settings(client, List.of(AllocatorActor.ROLE), false);
    return kubernetes.run(
        settings,
        incarnation -> ActorSystem.create(guardian(client), "ironlb", incarnation),
        client,
        spec.commandLine().getErr());
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
              () ->
                  KubernetesSource.watch(
                          client, kubernetes.namespace, resync, KubernetesSource.Copies.FULL)
                      .map(state::apply),
              writer,
              kubernetes.loadBalancerClass);
          return Behaviors.empty();
        });
  }

  /**
   * Serves the validating webhook (every controller pod) from the moment it has a certificate: kept
   * by the controller itself, or mounted from cert-manager's Secret.
   */
  private void webhook(ActorSystem<Void> system, KubernetesClient client) {
    NodeBoot.HostPort at = NodeBoot.HostPort.parse(webhook);
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ironlb-webhook-certificate");
              t.setDaemon(true);
              return t;
            });
    system.getWhenTerminated().thenRun(timer::shutdownNow);
    WebhookLauncher.Server server =
        new WebhookLauncher.Server(
            system,
            at.host(),
            at.port(),
            () -> KubernetesSource.current(client, kubernetes.namespace),
            kubernetes.namespace,
            KubernetesOptions.writers());
    if (webhookCertSecret.isEmpty()) {
      WebhookLauncher.fromDirectory(server, webhookCertDir, timer, Duration.ofSeconds(5));
    } else {
      WebhookLauncher.selfManaged(
          server,
          new WebhookCertificates(
              client,
              kubernetes.namespace,
              webhookCertSecret,
              webhookConfiguration,
              WebhookCertificates.serviceNames(webhookService, kubernetes.namespace),
              Clock.systemUTC()),
          timer,
          Duration.ofHours(1),
          Duration.ofSeconds(10));
    }
  }
}
