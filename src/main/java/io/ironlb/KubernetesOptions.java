package io.ironlb;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.ironlb.NodeBoot.HostPort;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import picocli.CommandLine.Option;

/**
 * What the in-cluster commands ({@code speaker}, {@code controller}) share: where the metallb.io
 * objects live, the cluster and status addresses (from the downward API), and how the members find
 * each other — Pekko Cluster Bootstrap over the Kubernetes API (pods by label), or fixed seeds.
 */
final class KubernetesOptions {

  @Option(
      names = "--namespace",
      defaultValue = "${env:METALLB_NAMESPACE:-metallb-system}",
      description = "Namespace of the metallb.io objects (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(
      names = "--cluster",
      defaultValue = "${env:POD_IP:-127.0.0.1}:7355",
      paramLabel = "HOST:PORT",
      description = "Cluster (Artery) address (default: $POD_IP:7355).")
  String cluster;

  @Option(
      names = "--http",
      defaultValue = "0.0.0.0:7473",
      paramLabel = "HOST:PORT",
      description = "Status, health and metrics (default: ${DEFAULT-VALUE}).")
  String http;

  @Option(
      names = "--seed",
      split = ",",
      paramLabel = "HOST:PORT",
      description =
          "Seed nodes; without them, Cluster Bootstrap discovers the other pods through the"
              + " Kubernetes API (label selector ironlb.kubernetes.bootstrap.pod-label-selector).")
  List<String> seeds;

  @Option(names = "--lb-class", description = "Handle only Services of this loadBalancerClass.")
  String loadBalancerClass;

  boolean bootstrap() {
    return seeds == null || seeds.isEmpty();
  }

  Config settings(List<String> roles, boolean speaker) {
    Config config =
        NodeBoot.settings(
            HostPort.parse(cluster),
            roles,
            bootstrap() ? List.of() : seeds,
            HostPort.parse(http),
            speaker);
    if (bootstrap()) {
      Config boot = ConfigFactory.load().getConfig("ironlb.kubernetes.bootstrap");
      config =
          ConfigFactory.parseString(
                  "pekko.management.cluster.bootstrap.contact-point-discovery {\n"
                      + "  discovery-method = kubernetes-api\n"
                      + "  required-contact-point-nr = "
                      + boot.getInt("required-contact-points")
                      + "\n}\n"
                      + "pekko.discovery.kubernetes-api.pod-label-selector = \""
                      + boot.getString("pod-label-selector")
                      + "\"\n")
              .withFallback(config);
    }
    return config;
  }

  /**
   * Starts the status port and, without seeds, Cluster Bootstrap; returns when the actor system has
   * terminated (a planned stop, or this node downed), closing the client. False at once when the
   * status port cannot be served (the reason is on {@code err}).
   */
  boolean run(ActorSystem<?> system, KubernetesClient client, java.io.PrintWriter err) {
    if (!NodeBoot.serveStatus(system, err)) {
      client.close();
      return false;
    }
    if (bootstrap()) {
      ClusterBootstrap.get(Adapter.toClassic(system)).start();
    } else {
      NodeBoot.joinSeeds(system, NodeBoot.HostPort.parse(cluster), seeds);
    }
    system.getWhenTerminated().toCompletableFuture().join();
    client.close();
    return true;
  }

  KubernetesClient client() {
    return new KubernetesClientBuilder().build();
  }

  /** fabric8 blocks: status writes run here, never on the actors' threads. */
  static ExecutorService writers() {
    return Executors.newFixedThreadPool(
        4,
        r -> {
          Thread t = new Thread(r, "ironlb-k8s-writer");
          t.setDaemon(true);
          return t;
        });
  }
}
