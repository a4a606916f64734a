package io.ironlb.l2;

import io.ironlb.l2.link.InterfaceSelection;
import io.ironlb.l2.link.InterfaceSelection.Responders;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A node's link layer as one actor: takes the Announcer's {@link LinkCommand}s and acquires or
 * releases each address on the responders of the interfaces it belongs on — ARP responders for
 * IPv4, NDP for IPv6, narrowed to the advertisement's interfaces when it names some.
 */
public final class Links {
  private Links() {}

  /** A responder and what it can answer. */
  public record Port(ActorRef<LinkResponder.Command> responder, Responders kinds) {}

  public static Behavior<LinkCommand> create(Map<String, Port> ports) {
    return create(ports, null);
  }

  /**
   * @param alsoTell gets every command too (the {@link LocalVips} of {@code --local-vips}), or null
   */
  public static Behavior<LinkCommand> create(
      Map<String, Port> ports, ActorRef<LocalVips.Command> alsoTell) {
    Map<String, Set<String>> placed = new HashMap<>(); // vip -> interfaces it is acquired on
    return Behaviors.receive(LinkCommand.class)
        .onMessage(
            LinkCommand.Announce.class,
            m -> {
              InetAddress vip = address(m.vip());
              if (alsoTell != null) {
                alsoTell.tell(new LocalVips.Layer2(m));
              }
              Set<String> want = new HashSet<>();
              ports.forEach(
                  (name, port) -> {
                    boolean speaks =
                        vip instanceof Inet4Address ? port.kinds().arp() : port.kinds().ndp();
                    if (speaks && InterfaceSelection.announcesOn(name, m.interfaces())) {
                      want.add(name);
                    }
                  });
              Set<String> had = placed.getOrDefault(m.vip(), Set.of());
              for (String name : had) {
                if (!want.contains(name)) {
                  ports.get(name).responder().tell(new LinkResponder.Release(vip));
                }
              }
              for (String name : want) {
                if (!had.contains(name)) {
                  ports.get(name).responder().tell(new LinkResponder.Acquire(vip));
                }
              }
              placed.put(m.vip(), want);
              return Behaviors.same();
            })
        .onMessage(
            LinkCommand.Withdraw.class,
            m -> {
              InetAddress vip = address(m.vip());
              if (alsoTell != null) {
                alsoTell.tell(new LocalVips.Layer2(m));
              }
              for (String name : placed.getOrDefault(m.vip(), Set.of())) {
                ports.get(name).responder().tell(new LinkResponder.Release(vip));
              }
              placed.remove(m.vip());
              return Behaviors.same();
            })
        .build();
  }

  /** An address as the Announcer names it (canonical text), as an InetAddress. */
  static InetAddress address(String vip) {
    try {
      return InetAddress.getByName(
          io.ironlb.config.IpAddresses.parseAddress(vip).toCanonicalString());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(vip, e);
    }
  }
}
