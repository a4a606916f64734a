package io.ironlb;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.ironlb.NodeBoot.HostPort;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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

  @Option(
      names = "--cluster-tls-secret",
      defaultValue = "ironlb-cluster-tls",
      paramLabel = "NAME",
      description = {
        "Cluster traffic over TLS with the credentials in this Secret (tls.crt, tls.key, ca.crt),",
        "which the first component to start creates when there is none (default:",
        "${DEFAULT-VALUE}). Empty: TLS only if a pair is mounted in ironlb.cluster.tls-dir."
      })
  String clusterTlsSecret;

  boolean bootstrap() {
    return seeds == null || seeds.isEmpty();
  }

  /**
   * This node's settings: its addresses, how it finds the others, and (unless {@code
   * --cluster-tls-secret} is empty) TLS with the cluster's credentials, copied from their Secret
   * (created if missing) into a private directory that is kept current while the process runs.
   */
  Config settings(KubernetesClient client, List<String> roles, boolean speaker) {
    Config config =
        NodeBoot.settings(
            HostPort.parse(cluster),
            roles,
            bootstrap() ? List.of() : seeds,
            HostPort.parse(http),
            speaker);
    if (!clusterTlsSecret.isEmpty()) {
      Path dir = Path.of(System.getProperty("java.io.tmpdir"), "ironlb-cluster-tls");
      ClusterCredentials.write(ClusterCredentials.obtain(client, namespace, clusterTlsSecret), dir);
      keepCurrent(client, dir);
      config = ConfigFactory.parseString(NodeBoot.clusterTls(dir)).withFallback(config);
    }
    if (bootstrap()) {
      Config boot = ConfigFactory.load().getConfig("ironlb.kubernetes.bootstrap");
      config =
          ConfigFactory.parseString(
                  "pekko.management.cluster.bootstrap.contact-point-discovery {\n"
                      + "  discovery-method = kubernetes-api\n"
                      // Each pod's contact point is its container port named "http" (the
                      // status port, in deploy/k8s), at the pod's IP itself: no dependence on
                      // pod DNS records, which not every cluster serves.
                      + "  port-name = \""
                      + boot.getString("port-name")
                      + "\"\n"
                      + "  required-contact-point-nr = "
                      + boot.getInt("required-contact-points")
                      + "\n}\n"
                      + "pekko.discovery.kubernetes-api.use-raw-ip = true\n"
                      + "pekko.discovery.kubernetes-api.pod-label-selector = \""
                      + boot.getString("pod-label-selector")
                      + "\"\n")
              .withFallback(config);
    }
    return config;
  }

  /**
   * Runs the node ({@link NodeBoot#runUntilStopped}): each incarnation joins by its seeds or
   * Cluster Bootstrap and serves the status port. Returns the exit status once the node has
   * stopped, closing the client; 1 at once when the status port cannot be served (the reason is on
   * {@code err}).
   */
  int run(
      com.typesafe.config.Config settings,
      java.util.function.Function<com.typesafe.config.Config, ActorSystem<Void>> start,
      KubernetesClient client,
      java.io.PrintWriter err) {
    try {
      return NodeBoot.runUntilStopped(
          settings,
          NodeBoot.HostPort.parse(cluster),
          seeds,
          start,
          system -> {
            if (!bootstrap()) {
              // Joining starts before the status port is up (binding it took seconds on a busy
              // machine).
              NodeBoot.joinSeeds(system, NodeBoot.HostPort.parse(cluster), seeds);
            }
            if (!NodeBoot.serveStatus(system, err)) {
              return false;
            }
            if (bootstrap()) {
              ClusterBootstrap.get(Adapter.toClassic(system)).start();
            }
            return true;
          });
    } finally {
      client.close();
    }
  }

  /** Re-reads the credentials every minute: a replaced Secret reaches Pekko without a restart. */
  private void keepCurrent(KubernetesClient client, Path dir) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ironlb-cluster-tls");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            if (ClusterCredentials.write(
                ClusterCredentials.obtain(client, namespace, clusterTlsSecret), dir)) {
              LOG.info("cluster TLS: new credentials from Secret {}", clusterTlsSecret);
            }
          } catch (RuntimeException e) {
            LOG.warn("cluster TLS: cannot refresh the credentials: {}", e.toString());
          }
        },
        1,
        1,
        TimeUnit.MINUTES);
  }

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(KubernetesOptions.class);

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
