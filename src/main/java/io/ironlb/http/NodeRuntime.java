package io.ironlb.http;

import io.ironlb.bgp.BgpSupervisor;
import io.ironlb.l2.Speaker;
import io.ironlb.metrics.MetricFamilies;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Where the HTTP routes (instantiated by Pekko Management by reflection) find this node's actors
 * (set once by the command that starts the node) and its metrics registry.
 */
public final class NodeRuntime implements Extension {

  private final AtomicReference<ActorRef<Speaker.Command>> speaker = new AtomicReference<>();
  private final PrometheusMeterRegistry metrics =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MetricFamilies families;

  public static final ExtensionId<NodeRuntime> ID =
      new ExtensionId<>() {
        @Override
        public NodeRuntime createExtension(ActorSystem<?> system) {
          NodeRuntime runtime = new NodeRuntime(MetricFamilies.get(system));
          if ("cluster".equals(system.settings().config().getString("pekko.actor.provider"))) {
            runtime.clusterGauges(Cluster.get(system));
          }
          return runtime;
        }
      };

  private NodeRuntime(MetricFamilies families) {
    this.families = families;
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
          .register(metrics);
    }
    Gauge.builder(
            "ironlb_cluster_unreachable_members", cluster, c -> c.state().getUnreachable().size())
        .description("Members this node's failure detector cannot reach now")
        .register(metrics);
  }

  public static NodeRuntime get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  public void speaker(ActorRef<Speaker.Command> ref) {
    speaker.set(ref);
  }

  public ActorRef<Speaker.Command> speaker() {
    return speaker.get();
  }

  private final AtomicReference<ActorRef<BgpSupervisor.Command>> bgp = new AtomicReference<>();

  public void bgp(ActorRef<BgpSupervisor.Command> ref) {
    bgp.set(ref);
  }

  public ActorRef<BgpSupervisor.Command> bgp() {
    return bgp.get();
  }

  /** This node's metrics, scraped at {@code GET /metrics}. */
  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  /** The metrics rendered under MetalLB's exact names, scraped with the others. */
  public MetricFamilies families() {
    return families;
  }

  /** Everything {@code GET /metrics} shows. */
  public String scrape() {
    return metrics.scrape() + families.render();
  }
}
