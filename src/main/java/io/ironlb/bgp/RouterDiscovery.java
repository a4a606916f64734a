package io.ironlb.bgp;

import io.ironlb.l2.link.LinkIo;
import io.ironlb.l2.link.MalformedFrameException;
import io.ironlb.l2.ndp.RouterAdvertisement;
import io.ironlb.l2.ndp.RouterDiscoveryCodec;
import java.net.Inet6Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Finds an unnumbered BGP peer, as FRR's {@code neighbor IFACE interface} does: the router on the
 * interface is whoever sends Router Advertisements there (RFC 4861 §6), and its link-local address
 * is where the session goes. This end solicits them (a Router Solicitation every second until one
 * arrives) and advertises its own link-local address every 10 s, with router lifetime 0, because
 * FRR only accepts a session from a neighbour it has heard an advertisement from. Tells its parent
 * the router's address, scoped to the interface, and again whenever it changes.
 */
final class RouterDiscovery extends AbstractBehavior<RouterDiscovery.Command> {

  sealed interface Command {}

  /** The router on the interface: a link-local address scoped to it. */
  record Found(Inet6Address router) {}

  private record Advertised(RouterAdvertisement ra) implements Command {}

  private record Tick() implements Command {}

  /** Solicit this often until a router answers, and retry opening the interface as often. */
  static final Duration SOLICIT_EVERY = Duration.ofSeconds(1);

  /** FRR's own advertisement interval on an unnumbered BGP interface. */
  static final Duration ADVERTISE_EVERY = Duration.ofSeconds(10);

  /** What this end needs of the interface: its link-local address and its index (the scope). */
  record Interface(Inet6Address linkLocal, int index) {}

  private final String iface;
  private final Function<String, LinkIo> links;
  private final Function<String, Optional<Interface>> interfaces;
  private final ActorRef<Found> parent;
  private final TimerScheduler<Command> timers;
  private LinkIo link;
  private Inet6Address ours;
  private Inet6Address router;
  private int index;
  private String lastProblem;

  static Behavior<Command> create(
      String iface, Function<String, LinkIo> links, ActorRef<Found> parent) {
    return create(iface, links, RouterDiscovery::lookUp, parent);
  }

  /** With another way to look the interface up (tests: a fake one). */
  static Behavior<Command> create(
      String iface,
      Function<String, LinkIo> links,
      Function<String, Optional<Interface>> interfaces,
      ActorRef<Found> parent) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  RouterDiscovery d =
                      new RouterDiscovery(ctx, iface, links, interfaces, parent, timers);
                  d.tick();
                  return d;
                }));
  }

  private RouterDiscovery(
      ActorContext<Command> ctx,
      String iface,
      Function<String, LinkIo> links,
      Function<String, Optional<Interface>> interfaces,
      ActorRef<Found> parent,
      TimerScheduler<Command> timers) {
    super(ctx);
    this.iface = iface;
    this.links = links;
    this.interfaces = interfaces;
    this.parent = parent;
    this.timers = timers;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Tick.class, m -> tick())
        .onMessage(Advertised.class, this::onAdvertised)
        .onSignal(
            PostStop.class,
            s -> {
              if (link != null) {
                link.close();
              }
              return this;
            })
        .build();
  }

  /** Opens the interface if it is not yet, then solicits (until found) and advertises. */
  private Behavior<Command> tick() {
    if (link == null && !open()) {
      timers.startSingleTimer(new Tick(), SOLICIT_EVERY);
      return this;
    }
    if (router == null) {
      link.send(RouterDiscoveryCodec.solicitation(link.mac(), ours));
    }
    link.send(RouterDiscoveryCodec.advertisement(link.mac(), ours));
    timers.startSingleTimer(new Tick(), router == null ? SOLICIT_EVERY : ADVERTISE_EVERY);
    return this;
  }

  /** The interface and its link-local address; false (logged once per reason) until both exist. */
  private boolean open() {
    try {
      Optional<Interface> found = interfaces.apply(iface);
      if (found.isEmpty()) {
        problem("no interface " + iface + " with an IPv6 link-local address");
        return false;
      }
      ours = found.get().linkLocal();
      index = found.get().index();
      link = links.apply(iface);
    } catch (RuntimeException e) {
      problem("cannot open " + iface + ": " + e.getMessage());
      return false;
    }
    ActorRef<Command> self = getContext().getSelf();
    var mac = link.mac();
    link.start(
        frame -> {
          try {
            RouterAdvertisement ra = RouterDiscoveryCodec.decodeAdvertisement(frame);
            if (!ra.ethernetSource().equals(mac)) { // our own, seen going out
              self.tell(new Advertised(ra));
            }
          } catch (MalformedFrameException e) {
            // Anything but a valid Router Advertisement is someone else's business.
          }
        });
    getContext().getLog().info("{}: looking for the BGP router with Router Solicitations", iface);
    return true;
  }

  /** The real interface: its first link-local address and its index. */
  private static Optional<Interface> lookUp(String name) {
    try {
      NetworkInterface nif = NetworkInterface.getByName(name);
      if (nif == null) {
        return Optional.empty();
      }
      return Collections.list(nif.getInetAddresses()).stream()
          .filter(a -> a instanceof Inet6Address six && six.isLinkLocalAddress())
          .map(a -> new Interface((Inet6Address) a, nif.getIndex()))
          .findFirst();
    } catch (SocketException e) {
      return Optional.empty();
    }
  }

  private void problem(String what) {
    if (!what.equals(lastProblem)) {
      getContext().getLog().warn("unnumbered BGP peer: {}; trying again", what);
      lastProblem = what;
    }
  }

  private Behavior<Command> onAdvertised(Advertised m) {
    if (router != null && Arrays.equals(m.ra().source().getAddress(), router.getAddress())) {
      return this;
    }
    try {
      router = Inet6Address.getByAddress(null, m.ra().source().getAddress(), index);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are always an IPv6 address", e);
    }
    parent.tell(new Found(router));
    // The router knows us once it has our advertisement: send it now rather than in 10 s.
    link.send(RouterDiscoveryCodec.advertisement(link.mac(), ours));
    timers.startSingleTimer(new Tick(), ADVERTISE_EVERY);
    return this;
  }
}
