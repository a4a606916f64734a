package io.ironlb.bgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlb.l2.link.LinkIo;
import io.ironlb.l2.link.MacAddress;
import io.ironlb.l2.ndp.RouterDiscoveryCodec;
import io.ironlb.testkit.LocalActorTestKit;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How an unnumbered peer's router is found, over a fake link: solicit and advertise at once, name
 * the router whose advertisement arrives (scoped to the interface), ignore our own, follow a change
 * of address, and wait for an interface that is not there yet.
 */
class RouterDiscoveryTest {
  private static final MacAddress OURS = MacAddress.parse("02:22:00:00:00:01");
  private static final MacAddress ROUTER = MacAddress.parse("02:22:00:00:00:0c");
  private ActorTestKit kit;

  @AfterEach
  void stop() {
    if (kit != null) {
      kit.shutdownTestKit();
    }
  }

  private static Inet6Address ip(String s) throws Exception {
    return (Inet6Address) InetAddress.getByName(s);
  }

  /** A link that records what is sent and lets the test deliver frames. */
  private static final class Link implements LinkIo {
    final List<byte[]> sent = new CopyOnWriteArrayList<>();
    volatile Consumer<byte[]> receiver;

    @Override
    public String name() {
      return "swp1";
    }

    @Override
    public MacAddress mac() {
      return OURS;
    }

    @Override
    public void start(Consumer<byte[]> r) {
      receiver = r;
    }

    @Override
    public void send(byte[] frame) {
      sent.add(frame.clone());
    }

    @Override
    public void join(Inet6Address group) {}

    @Override
    public void leave(Inet6Address group) {}

    @Override
    public void close() {}
  }

  @Test
  void theRouterIsWhoeverAdvertisesOnTheLink() throws Exception {
    kit = LocalActorTestKit.create();
    Link link = new Link();
    TestProbe<RouterDiscovery.Found> parent = kit.createTestProbe();
    Inet6Address ours = ip("fe80::22:ff:fe00:1");
    kit.spawn(
        RouterDiscovery.create(
            "swp1",
            name -> link,
            name -> Optional.of(new RouterDiscovery.Interface(ours, 7)),
            parent.ref()));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> link.receiver != null && link.sent.size() >= 2);
    // At once: a solicitation, and our advertisement (router lifetime 0) from our link-local.
    assertThat(link.sent.get(0)).isEqualTo(RouterDiscoveryCodec.solicitation(OURS, ours));
    assertThat(link.sent.get(1)).isEqualTo(RouterDiscoveryCodec.advertisement(OURS, ours));

    // Our own advertisement, seen going out, names no router.
    link.receiver.accept(RouterDiscoveryCodec.advertisement(OURS, ours));
    parent.expectNoMessage(Duration.ofMillis(300));

    int before = link.sent.size();
    link.receiver.accept(RouterDiscoveryCodec.advertisement(ROUTER, ip("fe80::22:ff:fe00:c")));
    Inet6Address found = parent.receiveMessage(Duration.ofSeconds(5)).router();
    assertThat(found).isEqualTo(ip("fe80::22:ff:fe00:c"));
    assertThat(found.getScopeId()).as("scoped to the interface").isEqualTo(7);
    // The router hears from us right away, so it accepts our session without waiting 10 s.
    await().atMost(Duration.ofSeconds(5)).until(() -> link.sent.size() > before);
    assertThat(link.sent.get(before)).isEqualTo(RouterDiscoveryCodec.advertisement(OURS, ours));

    // The same router again: nothing new. Another address: the parent hears of it.
    link.receiver.accept(RouterDiscoveryCodec.advertisement(ROUTER, ip("fe80::22:ff:fe00:c")));
    parent.expectNoMessage(Duration.ofMillis(300));
    link.receiver.accept(RouterDiscoveryCodec.advertisement(ROUTER, ip("fe80::c")));
    assertThat(parent.receiveMessage(Duration.ofSeconds(5)).router()).isEqualTo(ip("fe80::c"));
  }

  @Test
  void anInterfaceThatIsNotThereYetIsWaitedFor() throws Exception {
    kit = LocalActorTestKit.create();
    Link link = new Link();
    AtomicReference<Optional<RouterDiscovery.Interface>> iface =
        new AtomicReference<>(Optional.empty());
    TestProbe<RouterDiscovery.Found> parent = kit.createTestProbe();
    kit.spawn(RouterDiscovery.create("swp1", name -> link, name -> iface.get(), parent.ref()));
    parent.expectNoMessage(Duration.ofMillis(500));
    assertThat(link.sent).isEmpty();
    iface.set(Optional.of(new RouterDiscovery.Interface(ip("fe80::1"), 3)));
    await().atMost(Duration.ofSeconds(10)).until(() -> link.sent.size() >= 2);
    link.receiver.accept(RouterDiscoveryCodec.advertisement(ROUTER, ip("fe80::c")));
    assertThat(parent.receiveMessage(Duration.ofSeconds(5)).router().getScopeId()).isEqualTo(3);
  }
}
