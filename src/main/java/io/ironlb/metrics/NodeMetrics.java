package io.ironlb.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * A node's metrics: the Micrometer registry (IronLB's own meters) and the families under MetalLB's
 * exact names, both in one {@code prometheus-metrics-core} registry and scraped together at {@code
 * GET /metrics}. Every capability registers its meters here.
 */
public final class NodeMetrics implements Extension {
  private final PrometheusMeterRegistry registry;
  private final MetricFamilies families;

  public static final ExtensionId<NodeMetrics> ID =
      new ExtensionId<>() {
        @Override
        public NodeMetrics createExtension(ActorSystem<?> system) {
          NodeMetrics metrics = new NodeMetrics(MetricFamilies.get(system));
          if ("cluster".equals(system.settings().config().getString("pekko.actor.provider"))) {
            metrics.clusterGauges(Cluster.get(system));
          }
          return metrics;
        }
      };

  private NodeMetrics(MetricFamilies families) {
    this.families = families;
    // One registry under both: one scrape, one writer, and one check that no name is taken twice.
    this.registry =
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, families.registry(), Clock.SYSTEM);
  }

  public static NodeMetrics get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  /**
   * {@code ironlb_cluster_members{status}}: the members this node sees by status (Joining, Up,
   * Leaving, ...), and {@code ironlb_cluster_unreachable_members}: those its failure detector
   * cannot reach now. Read from the cluster's state at each scrape.
   */
  private void clusterGauges(Cluster cluster) {
    for (MemberStatus status :
        List.of(
            MemberStatus.joining(),
            MemberStatus.weaklyUp(),
            MemberStatus.up(),
            MemberStatus.leaving(),
            MemberStatus.exiting(),
            MemberStatus.down())) {
      String name = status.toString();
      Gauge.builder(
              "ironlb_cluster_members",
              cluster,
              c -> {
                int n = 0;
                for (Member m : c.state().getMembers()) {
                  n += m.status().equals(status) ? 1 : 0;
                }
                return n;
              })
          .description("Cluster members this node sees, by status")
          .tag("status", name)
          .register(registry);
    }
    Gauge.builder(
            "ironlb_cluster_unreachable_members", cluster, c -> c.state().getUnreachable().size())
        .description("Members this node's failure detector cannot reach now")
        .register(registry);
  }

  /** The Micrometer registry. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The metrics rendered under MetalLB's exact names, scraped with the others. */
  public MetricFamilies families() {
    return families;
  }

  /** Everything {@code GET /metrics} shows. */
  public String scrape() {
    return registry.scrape();
  }
}
