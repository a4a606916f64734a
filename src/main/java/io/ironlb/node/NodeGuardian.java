package io.ironlb.node;

import io.ironlb.bgp.BgpMetrics;
import io.ironlb.bgp.BgpSupervisor;
import io.ironlb.l2.LinkCommand;
import io.ironlb.l2.LinkResponder;
import io.ironlb.l2.Links;
import io.ironlb.l2.LocalVips;
import io.ironlb.l2.Speaker;
import io.ironlb.l2.VipEntity;
import io.ironlb.l2.link.InterfaceSelection;
import io.ironlb.l2.link.KernelAddresses;
import io.ironlb.l2.link.PcapLinkIo;
import io.ironlb.metrics.NodeMetrics;
import io.ironlb.source.AnnouncementWriter;
import io.ironlb.source.Snapshot;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A speaker node's composition root, the same for every command that runs one: spawns the link
 * responders, the BGP supervisor, the layer-2 {@link Speaker} and the {@link NodeFeed} that feeds
 * both protocols; puts each under the node's {@link Lifeline}; and registers the planned-stop tasks
 * with CoordinatedShutdown (layer 2 withdraws once the cluster has seen the node leave, BGP drains
 * and closes its sessions).
 */
public final class NodeGuardian {
  private NodeGuardian() {}

  /**
   * What differs between a standalone node and a node in Kubernetes.
   *
   * @param standalone nodes are members of the Pekko cluster, not Kubernetes Nodes
   * @param interfaces the interfaces to answer ARP/NDP on, and which of the two on each
   * @param kernel the {@code --local-vips} kernel state, or null without it
   * @param routerId the default BGP identifier
   * @param snapshots the configuration, Services, endpoints and nodes as they change
   * @param allocations where the allocations come from; called once in the guardian's setup (a
   *     standalone node spawns its allocator there)
   * @param writer where announcements are recorded (ServiceL2Status, ServiceBGPStatus, events)
   */
  public record Settings(
      String node,
      boolean standalone,
      Map<String, InterfaceSelection.Responders> interfaces,
      KernelAddresses kernel,
      Inet4Address routerId,
      Source<Snapshot, ?> snapshots,
      Function<ActorContext<Void>, NodeFeed.AllocationSource> allocations,
      AnnouncementWriter writer) {}

  /** The guardian of a speaker node's actor system. */
  public static Behavior<Void> create(Settings settings) {
    return Behaviors.setup(
        ctx -> {
          ActorSystem<Void> system = ctx.getSystem();
          NodeFeed.AllocationSource allocations = settings.allocations().apply(ctx);
          VipEntity.init(system);
          ActorRef<LocalVips.Command> local =
              settings.kernel() == null
                  ? null
                  : ctx.spawn(LocalVips.create(settings.kernel()), "local-vips");
          ActorRef<Lifeline.Command> lifeline = ctx.spawn(Lifeline.create(), "lifeline");
          ActorRef<LinkCommand> links = links(ctx, settings.interfaces(), local, lifeline);
          ActorRef<BgpSupervisor.Command> bgp = bgp(ctx, settings, local);
          ClusterSharding sharding = ClusterSharding.get(system);
          ActorRef<Speaker.Command> speaker =
              ctx.spawn(
                  Speaker.create(
                      settings.node(),
                      settings.standalone(),
                      List.copyOf(settings.interfaces().keySet()),
                      links,
                      (group, m) -> sharding.entityRefFor(VipEntity.TYPE, group).tell(m),
                      settings.writer()),
                  "speaker");
          ActorRef<NodeFeed.Command> feed =
              ctx.spawn(
                  NodeFeed.create(
                      settings.node(),
                      settings.standalone(),
                      settings.snapshots(),
                      allocations,
                      speaker,
                      bgp),
                  "feed");
          withdrawOnShutdown(system, speaker);
          lifeline.tell(new Lifeline.Watch(speaker, "the speaker"));
          lifeline.tell(new Lifeline.Watch(feed, "the node feed"));
          lifeline.tell(new Lifeline.Watch(bgp, "the BGP supervisor"));
          ctx.getLog()
              .info(
                  "node {} started: interfaces {}",
                  settings.node(),
                  settings.interfaces().keySet());
          return Behaviors.empty();
        });
  }

  /**
   * One LinkResponder per chosen interface behind a {@link Links}, which tells {@code local} (the
   * {@code --local-vips} actor, or null) every announcement too.
   */
  /** The dispatcher of the link responders (application.conf): one thread each. */
  static final String LINK_DISPATCHER = "ironlb.link-dispatcher";

  private static ActorRef<LinkCommand> links(
      ActorContext<?> ctx,
      Map<String, InterfaceSelection.Responders> chosen,
      ActorRef<LocalVips.Command> local,
      ActorRef<Lifeline.Command> lifeline) {
    Map<String, Links.Port> ports = new LinkedHashMap<>();
    chosen.forEach(
        (name, kinds) -> {
          ActorRef<LinkResponder.Command> responder =
              ctx.spawn(
                  LinkResponder.create(
                      new PcapLinkIo(name, PcapLinkIo.REQUESTS), LinkResponder.Settings.DEFAULT),
                  "link-" + name,
                  // A thread of its own: answers and gratuitous frames never queue behind the
                  // thousands of messages a mass failover brings every other actor.
                  DispatcherSelector.fromConfig(LINK_DISPATCHER));
          lifeline.tell(new Lifeline.Watch(responder, "the link responder on " + name));
          ports.put(name, new Links.Port(responder, kinds));
        });
    ActorRef<LinkCommand> links = ctx.spawn(Links.create(ports, local), "links");
    lifeline.tell(new Lifeline.Watch(links, "the link fan-out"));
    return links;
  }

  /**
   * On a planned stop, withdraw once every other node has seen this one leave (the Speaker waits
   * for Exiting): the others skip a leaving owner at once, so for a moment two nodes answer instead
   * of none.
   */
  private static void withdrawOnShutdown(ActorSystem<?> system, ActorRef<Speaker.Command> speaker) {
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseClusterExiting(),
            "ironlb-withdraw",
            () ->
                AskPattern.<Speaker.Command, Done>ask(
                    speaker,
                    Speaker.PlannedStop::new,
                    Speaker.HANDOVER_LIMIT.plus(Duration.ofSeconds(2)),
                    system.scheduler()));
  }

  /**
   * The node's BGP side, stopped on a planned stop before the node leaves the cluster: routes
   * withdrawn, sessions closed with Cease / Administrative Shutdown.
   */
  private static ActorRef<BgpSupervisor.Command> bgp(
      ActorContext<?> ctx, Settings settings, ActorRef<LocalVips.Command> local) {
    ActorSystem<?> system = ctx.getSystem();
    ActorRef<BgpSupervisor.Command> bgp =
        ctx.spawn(
            BgpSupervisor.create(
                settings.node(),
                settings.routerId(),
                settings.standalone(),
                new BgpMetrics(NodeMetrics.get(system).families()),
                settings.writer(),
                local == null
                    ? addresses -> {}
                    : addresses -> local.tell(new LocalVips.Routed(addresses))),
            "bgp");
    Duration drain = system.settings().config().getDuration("ironlb.bgp.drain-time");
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeClusterShutdown(),
            "ironlb-bgp-stop",
            () ->
                AskPattern.<BgpSupervisor.Command, Done>ask(
                    bgp, BgpSupervisor.PlannedStop::new, drain.plusSeconds(6), system.scheduler()));
    return bgp;
  }
}
