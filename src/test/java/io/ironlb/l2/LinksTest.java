package io.ironlb.l2;

import io.ironlb.l2.link.InterfaceSelection.Responders;
import io.ironlb.testkit.LocalActorTestKit;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class LinksTest {
  private static final ActorTestKit kit = LocalActorTestKit.create();

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void addressesGoWhereTheirFamilyIsSpokenAndTheAdvertisementAllows() throws Exception {
    TestProbe<LinkResponder.Command> eth0 = kit.createTestProbe();
    TestProbe<LinkResponder.Command> eth1 = kit.createTestProbe();
    TestProbe<LinkResponder.Command> wg0 = kit.createTestProbe();
    ActorRef<LinkCommand> links =
        kit.spawn(
            Links.create(
                Map.of(
                    "eth0", new Links.Port(eth0.ref(), new Responders(true, true)),
                    "eth1", new Links.Port(eth1.ref(), new Responders(true, true)),
                    "wg0", new Links.Port(wg0.ref(), new Responders(false, true)))));
    InetAddress v4 = InetAddress.getByName("10.222.1.1");
    InetAddress v6 = InetAddress.getByName("fd00:222::1");

    links.tell(new LinkCommand.Announce("10.222.1.1", Set.of()));
    eth0.expectMessage(new LinkResponder.Acquire(v4));
    eth1.expectMessage(new LinkResponder.Acquire(v4));
    wg0.expectNoMessage(Duration.ofMillis(100));

    links.tell(new LinkCommand.Announce("fd00:222::1", Set.of("wg0")));
    wg0.expectMessage(new LinkResponder.Acquire(v6));
    eth0.expectNoMessage(Duration.ofMillis(100));

    links.tell(new LinkCommand.Announce("10.222.1.1", Set.of("eth1")));
    eth0.expectMessage(new LinkResponder.Release(v4));
    eth1.expectNoMessage(Duration.ofMillis(100));

    links.tell(new LinkCommand.Withdraw("10.222.1.1"));
    eth1.expectMessage(new LinkResponder.Release(v4));
  }
}
