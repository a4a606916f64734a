package io.ironlb.multijvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.ConfigFactory;
import io.ironlb.l2.LinkResponder;
import io.ironlb.l2.link.PcapLinkIo;
import java.net.InetAddress;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The LinkResponder over libpcap, answering real clients: iputils {@code arping} and {@code ndisc6}
 * in a namespace, across a veth whose other end the responder owns.
 */
class LinkResponderRealPeersIT {

  private Netns net;
  private ActorTestKit kit;
  private String client;
  private String responderLink;
  private PcapLinkIo link;
  private ActorRef<LinkResponder.Command> responder;

  @BeforeEach
  void setUp() {
    assumeTrue(Netns.available("arping", "ndisc6"), "needs root, arping and ndisc6");
    net = new Netns();
    client = net.namespace("client");
    responderLink = net.prefix() + "r";
    net.veth(responderLink, client, net.prefix() + "c");
    net.mustIn(client, "ip", "addr", "add", "10.222.253.2/24", "dev", net.prefix() + "c");
    net.mustIn(
        client, "ip", "addr", "add", "fd00:222:253::2/64", "dev", net.prefix() + "c", "nodad");
    kit =
        ActorTestKit.create(
            ConfigFactory.parseString("pekko.actor.provider = local")
                .withFallback(ConfigFactory.load()));
    link = new PcapLinkIo(responderLink, PcapLinkIo.REQUESTS);
    responder =
        kit.spawn(
            LinkResponder.create(
                link,
                new LinkResponder.Settings(Duration.ofMillis(1100), Duration.ofSeconds(5), 64)));
  }

  @AfterEach
  void tearDown() {
    if (kit != null) {
      kit.shutdownTestKit();
    }
    if (net != null) {
      net.close();
    }
  }

  @Test
  void arpingAndNdisc6GetAnswersFromTheOwnerOnlyWhileItOwns() throws Exception {
    String mac = link.mac().toString().toUpperCase();
    String dev = net.prefix() + "c";
    responder.tell(new LinkResponder.Acquire(InetAddress.getByName("10.222.253.50")));
    responder.tell(new LinkResponder.Acquire(InetAddress.getByName("fd00:222:253::50")));

    Netns.Result arping =
        net.in(client, "arping", "-c", "3", "-w", "5", "-I", dev, "10.222.253.50");
    assertThat(arping.output()).contains("Received 3 response(s)").contains("[" + mac + "]");

    Netns.Result ndisc =
        net.in(client, "ndisc6", "-1", "-r", "3", "-w", "1000", "fd00:222:253::50", dev);
    assertThat(ndisc.exit()).as(ndisc.output()).isZero();
    assertThat(ndisc.output()).contains("Target link-layer address: " + mac);

    responder.tell(new LinkResponder.Release(InetAddress.getByName("10.222.253.50")));
    responder.tell(new LinkResponder.Release(InetAddress.getByName("fd00:222:253::50")));
    Netns.Result silent =
        net.in(client, "arping", "-c", "2", "-w", "3", "-I", dev, "10.222.253.50");
    assertThat(silent.output()).contains("Received 0 response(s)");
    Netns.Result silent6 =
        net.in(client, "ndisc6", "-1", "-r", "2", "-w", "500", "fd00:222:253::50", dev);
    assertThat(silent6.exit()).as(silent6.output()).isNotZero();
  }

  /**
   * The capture filter lets only requests through: another host's gratuitous ARP for an address
   * this responder holds (both forms, as arping -U and -A send them, and as a failover's new owner
   * would) is neither counted nor answered — answering would turn clients back to the old owner.
   */
  @Test
  void gratuitousArpFromAnotherHostNeverReachesTheResponder() throws Exception {
    String dev = net.prefix() + "c";
    responder.tell(new LinkResponder.Acquire(InetAddress.getByName("10.222.253.51")));
    Netns.Result answered =
        net.in(client, "arping", "-c", "1", "-w", "3", "-I", dev, "10.222.253.51");
    assertThat(answered.output()).contains("Received 1 response(s)");
    LinkResponder.Counters before = counters();

    net.in(client, "arping", "-U", "-c", "3", "-w", "3", "-I", dev, "10.222.253.51");
    net.in(client, "arping", "-A", "-c", "3", "-w", "3", "-I", dev, "10.222.253.51");
    Netns.Result again = net.in(client, "arping", "-c", "1", "-w", "3", "-I", dev, "10.222.253.51");
    assertThat(again.output()).contains("Received 1 response(s)");

    // Only the last ordinary request was seen and answered; the six gratuitous frames were not.
    LinkResponder.Counters after = counters();
    assertThat(after.requestsReceived()).isEqualTo(before.requestsReceived() + 1);
    assertThat(after.responsesSent()).isEqualTo(before.responsesSent() + 1);
  }

  private LinkResponder.Counters counters() {
    var probe = kit.<LinkResponder.Counters>createTestProbe();
    responder.tell(new LinkResponder.GetCounters(probe.ref()));
    return probe.receiveMessage(Duration.ofSeconds(5));
  }
}
