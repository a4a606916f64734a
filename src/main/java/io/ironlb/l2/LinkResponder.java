package io.ironlb.l2;

import static io.ironlb.l2.link.Frames.u16;

import io.ironlb.l2.arp.ArpCodec;
import io.ironlb.l2.arp.ArpPacket;
import io.ironlb.l2.link.LinkIo;
import io.ironlb.l2.link.MacAddress;
import io.ironlb.l2.link.MalformedFrameException;
import io.ironlb.l2.ndp.NdpCodec;
import io.ironlb.l2.ndp.NeighborSolicitation;
import io.ironlb.metrics.MetricFamilies;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One per interface: answers ARP requests and Neighbor Solicitations for the addresses it owns,
 * with the interface's MAC, and announces each address it acquires with gratuitous ARP (request and
 * reply forms) or an unsolicited Neighbor Advertisement with Override — at once, then every {@code
 * interval} for {@code duration}. Gratuitous frames go out through an {@link AnnouncementPacer}
 * that sends at most {@code framesPerTick} every 10 ms, so a mass failover does not flood the
 * segment, first announcements before repeats. Answers to requests never wait for the pacer.
 */
public final class LinkResponder extends AbstractBehavior<LinkResponder.Command> {

  /** Everything a LinkResponder understands. */
  public sealed interface Command {}

  public record Acquire(InetAddress vip) implements Command {}

  public record Release(InetAddress vip) implements Command {}

  /** A frame from the interface (delivered by the LinkIo's receive thread). */
  public record FrameReceived(byte[] frame) implements Command {}

  public record GetCounters(ActorRef<Counters> replyTo) implements Command {}

  private record Tick() implements Command {}

  /** MetalLB's layer-2 counters, plus frames dropped by reason. */
  public record Counters(
      long requestsReceived, long responsesSent, long gratuitousSent, Map<String, Long> dropped) {}

  /** Gratuitous announcement timing (MetalLB sends once; IronLB repeats, as keepalived does). */
  public record Settings(Duration interval, Duration duration, int framesPerTick) {
    /**
     * 128 frames per 10 ms: the first announcements of 3,000 addresses (two frames each) leave
     * within half a second; a segment carries 12,800 small frames a second without notice.
     */
    public static final Settings DEFAULT =
        new Settings(Duration.ofMillis(1100), Duration.ofSeconds(5), 128);

    int bursts() {
      return 1 + (int) (duration.toMillis() / interval.toMillis());
    }
  }

  private static final Duration TICK = Duration.ofMillis(10);

  private final LinkIo link;
  private final Layer2Metrics metrics;
  private final Settings settings;
  private final TimerScheduler<Command> timers;
  private final Set<InetAddress> owned = new HashSet<>();
  private final AnnouncementPacer pacer;
  private long requestsReceived;
  private long responsesSent;
  private long gratuitousSent;
  private final Map<String, Long> dropped = new TreeMap<>();

  public static Behavior<Command> create(LinkIo link, Settings settings) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  ActorRef<Command> self = ctx.getSelf();
                  link.start(frame -> self.tell(new FrameReceived(frame)));
                  return new LinkResponder(
                      ctx,
                      link,
                      settings,
                      timers,
                      new Layer2Metrics(MetricFamilies.get(ctx.getSystem())));
                }));
  }

  private LinkResponder(
      ActorContext<Command> ctx,
      LinkIo link,
      Settings settings,
      TimerScheduler<Command> timers,
      Layer2Metrics metrics) {
    super(ctx);
    this.metrics = metrics;
    this.link = link;
    this.settings = settings;
    this.timers = timers;
    this.pacer =
        new AnnouncementPacer(
            settings.bursts(),
            Math.max(1, settings.interval().toMillis() / TICK.toMillis()),
            settings.framesPerTick());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FrameReceived.class, m -> onFrame(m.frame()))
        .onMessage(Acquire.class, this::onAcquire)
        .onMessage(Release.class, this::onRelease)
        .onMessage(Tick.class, m -> onTick())
        .onMessage(
            GetCounters.class,
            m -> {
              m.replyTo()
                  .tell(
                      new Counters(
                          requestsReceived, responsesSent, gratuitousSent, Map.copyOf(dropped)));
              return this;
            })
        .onSignal(
            PostStop.class,
            s -> {
              link.close();
              return this;
            })
        .build();
  }

  private Behavior<Command> onAcquire(Acquire m) {
    InetAddress vip = m.vip();
    if (!owned.add(vip)) {
      return this;
    }
    if (vip instanceof Inet6Address v6) {
      link.join(NdpCodec.solicitedNodeMulticast(v6));
    }
    pacer.acquire(vip);
    startTicking();
    return this;
  }

  private Behavior<Command> onRelease(Release m) {
    InetAddress vip = m.vip();
    if (owned.remove(vip)) {
      pacer.release(vip);
      if (vip instanceof Inet6Address v6) {
        link.leave(NdpCodec.solicitedNodeMulticast(v6));
      }
      metrics.forget(vip);
    }
    return this;
  }

  private void startTicking() {
    if (!timers.isTimerActive("tick")) {
      timers.startSingleTimer("tick", new Tick(), Duration.ZERO);
    }
  }

  /**
   * Sends what the pacer says is due now, and asks for the next tick a tick from now. Not a
   * fixed-rate timer: on a starved machine a tick's frames take longer than a tick, fixed-rate
   * ticks then pile up in the mailbox, and every address acquired meanwhile (and every request)
   * waits behind them — measured at a cold start of 10,000 addresses on two cores, first
   * announcements left up to 13 s after the Announcer had decided them.
   */
  private Behavior<Command> onTick() {
    pacer.tick().forEach(this::announce);
    if (!pacer.idle()) {
      timers.startSingleTimer("tick", new Tick(), TICK);
    }
    return this;
  }

  /** Sends the gratuitous frames for one address. */
  private void announce(InetAddress vip) {
    if (vip instanceof Inet4Address v4) {
      link.send(ArpCodec.encode(ArpCodec.gratuitousRequest(link.mac(), v4)));
      link.send(ArpCodec.encode(ArpCodec.gratuitousReply(link.mac(), v4)));
      gratuitousSent += 2;
      metrics.gratuitous(vip, 2);
      return;
    }
    link.send(NdpCodec.encode(NdpCodec.unsolicited((Inet6Address) vip, link.mac())));
    gratuitousSent++;
    metrics.gratuitous(vip, 1);
  }

  private Behavior<Command> onFrame(byte[] frame) {
    if (frame.length < 14) {
      drop("truncated");
      return this;
    }
    int ethertype = u16(frame, 12);
    try {
      if (ethertype == ArpCodec.ETHERTYPE_ARP) {
        onArp(ArpCodec.decode(frame));
      } else if (ethertype == NdpCodec.ETHERTYPE_IPV6) {
        onSolicitation(NdpCodec.decodeSolicitation(frame));
      }
    } catch (MalformedFrameException e) {
      if (!e.reason().equals("not-solicitation") && !e.reason().equals("not-icmpv6")) {
        drop(e.reason());
      }
    }
    return this;
  }

  private void onArp(ArpPacket p) {
    if (!p.isRequest() || p.senderHardware().equals(link.mac())) {
      return; // replies, and our own gratuitous requests echoed back
    }
    // Only broadcast requests or those unicast to us: a request unicast to another MAC is a
    // neighbour refreshing its entry for someone else.
    if (!p.ethernetDestination().equals(MacAddress.BROADCAST)
        && !p.ethernetDestination().equals(link.mac())) {
      return;
    }
    if (!owned.contains(p.targetProtocol())) {
      return;
    }
    requestsReceived++;
    metrics.request(p.targetProtocol());
    link.send(ArpCodec.encode(ArpCodec.reply(p, link.mac())));
    responsesSent++;
    metrics.response(p.targetProtocol());
  }

  private void onSolicitation(NeighborSolicitation ns) {
    if (!owned.contains(ns.target()) || link.mac().equals(ns.ethernetSource())) {
      return;
    }
    requestsReceived++;
    metrics.request(ns.target());
    link.send(NdpCodec.encode(NdpCodec.answer(ns, link.mac())));
    responsesSent++;
    metrics.response(ns.target());
  }

  private void drop(String reason) {
    dropped.merge(reason, 1L, Long::sum);
  }
}
