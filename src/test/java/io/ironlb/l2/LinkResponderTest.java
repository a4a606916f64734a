package io.ironlb.l2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlb.l2.arp.ArpCodec;
import io.ironlb.l2.arp.ArpPacket;
import io.ironlb.l2.link.MacAddress;
import io.ironlb.l2.ndp.NdpCodec;
import io.ironlb.metrics.MetricFamilies;
import io.ironlb.testkit.LocalActorTestKit;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LinkResponderTest {
  private static final Map<String, byte[]> CAPTURED = Captures.load("linux-arping-ndisc6.txt");
  private static final MacAddress A = MacAddress.parse("02:22:00:00:00:0a");
  private static ActorTestKit kit;

  @BeforeAll
  static void start() {
    kit = LocalActorTestKit.create();
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static final LinkResponder.Settings QUICK =
      new LinkResponder.Settings(Duration.ofMillis(50), Duration.ofMillis(200), 64);

  private record Node(FakeLinkIo link, ActorRef<LinkResponder.Command> responder) {
    LinkResponder.Counters counters() {
      TestProbe<LinkResponder.Counters> p = kit.createTestProbe();
      responder.tell(new LinkResponder.GetCounters(p.ref()));
      return p.receiveMessage();
    }
  }

  private static Node node(LinkResponder.Settings settings) {
    FakeLinkIo link = new FakeLinkIo(A);
    Node n = new Node(link, kit.spawn(LinkResponder.create(link, settings)));
    await().until(link::started); // the responder attaches to its link as it starts
    return n;
  }

  @Test
  void acquiringSendsGratuitousArpInBothFormsRepeatedly() throws Exception {
    Node n = node(QUICK);
    Inet4Address vip = (Inet4Address) InetAddress.getByName("10.222.250.1");
    n.responder().tell(new LinkResponder.Acquire(vip));
    // 1 + 200/50 = 5 bursts of request + reply.
    await().atMost(Duration.ofSeconds(5)).until(() -> n.link().sent().size() == 10);
    byte[] request = ArpCodec.encode(ArpCodec.gratuitousRequest(A, vip));
    byte[] reply = ArpCodec.encode(ArpCodec.gratuitousReply(A, vip));
    for (int i = 0; i < 10; i += 2) {
      assertThat(n.link().sent().get(i)).isEqualTo(request);
      assertThat(n.link().sent().get(i + 1)).isEqualTo(reply);
    }
    assertThat(n.counters().gratuitousSent()).isEqualTo(10);
  }

  @Test
  void answersArpingLikeTheKernelOnlyForOwnedAddresses() throws Exception {
    Node n = node(new LinkResponder.Settings(Duration.ofSeconds(10), Duration.ZERO, 64));
    n.link().inject(CAPTURED.get("arping-request"));
    n.responder().tell(new LinkResponder.Acquire(InetAddress.getByName("10.222.250.1")));
    await().until(() -> n.link().sent().size() == 2); // the gratuitous pair
    n.link().inject(CAPTURED.get("arping-request"));
    await().until(() -> n.link().sent().size() == 3);
    assertThat(n.link().sent().get(2)).isEqualTo(CAPTURED.get("kernel-arp-reply"));
    // A request unicast to another MAC, and our own echoed gratuitous request, get no answer.
    ArpPacket req = ArpCodec.decode(CAPTURED.get("arping-request"));
    n.link()
        .inject(
            ArpCodec.encode(
                new ArpPacket(
                    MacAddress.parse("02:22:00:00:00:99"),
                    req.ethernetSource(),
                    1,
                    req.senderHardware(),
                    req.senderProtocol(),
                    req.targetHardware(),
                    req.targetProtocol())));
    n.link()
        .inject(
            ArpCodec.encode(
                ArpCodec.gratuitousRequest(
                    A, (Inet4Address) InetAddress.getByName("10.222.250.1"))));
    LinkResponder.Counters c = n.counters();
    assertThat(c.requestsReceived()).isEqualTo(1);
    assertThat(c.responsesSent()).isEqualTo(1);
    assertThat(n.link().sent()).hasSize(3);
  }

  @Test
  void answersNdisc6LikeTheKernelAndJoinsTheSolicitedNodeGroup() throws Exception {
    Node n = node(new LinkResponder.Settings(Duration.ofSeconds(10), Duration.ZERO, 64));
    InetAddress vip = InetAddress.getByName("fd00:222:250::1");
    n.responder().tell(new LinkResponder.Acquire(vip));
    await().until(() -> n.link().sent().size() == 1);
    assertThat(n.link().sent().get(0))
        .isEqualTo(NdpCodec.encode(NdpCodec.unsolicited((java.net.Inet6Address) vip, A)));
    assertThat(n.link().groups())
        .containsExactly((java.net.Inet6Address) InetAddress.getByName("ff02::1:ff00:1"));
    n.link().inject(CAPTURED.get("ndisc6-solicitation"));
    await().until(() -> n.link().sent().size() == 2);
    assertThat(n.link().sent().get(1)).isEqualTo(CAPTURED.get("kernel-solicited-advert"));
    // MetalLB's per-address counters, the address as the status API writes it.
    assertThat(MetricFamilies.get(kit.system()).render())
        .contains("metallb_layer2_requests_received{ip=\"fd00:222:250::1\"} 1.0\n")
        .contains("metallb_layer2_responses_sent{ip=\"fd00:222:250::1\"} 1.0\n")
        .contains("metallb_layer2_gratuitous_sent{ip=\"fd00:222:250::1\"} 1.0\n");
    n.responder().tell(new LinkResponder.Release(vip));
    n.link().inject(CAPTURED.get("ndisc6-solicitation"));
    await().until(() -> n.link().groups().isEmpty());
    assertThat(n.counters().responsesSent()).isEqualTo(1);
    // Issue 13, finding 10: an address no longer announced leaves no series behind (as MetalLB
    // deletes its label values when it stops announcing).
    assertThat(MetricFamilies.get(kit.system()).render()).doesNotContain("fd00:222:250::1");
  }

  @Test
  void malformedFramesAreDroppedAndCountedByReason() throws Exception {
    Node n = node(QUICK);
    byte[] bad = CAPTURED.get("ndisc6-solicitation").clone();
    bad[60] ^= 1;
    n.link().inject(bad);
    n.link().inject(new byte[] {1, 2, 3});
    n.link().inject(CAPTURED.get("kernel-router-solicitation")); // not ours to count
    await()
        .untilAsserted(
            () ->
                assertThat(n.counters().dropped())
                    .containsExactlyInAnyOrderEntriesOf(
                        Map.of("bad-checksum", 1L, "truncated", 1L)));
  }

  @Test
  void massFailoverIsPaced() throws Exception {
    Node n = node(new LinkResponder.Settings(Duration.ofSeconds(10), Duration.ZERO, 10));
    for (int i = 1; i <= 100; i++) {
      n.responder().tell(new LinkResponder.Acquire(InetAddress.getByName("10.222.251." + i)));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> n.link().sent().size() == 200);
    List<Long> at = n.link().sentAt();
    // 200 frames at 10 per 10 ms tick take at least 19 ticks.
    assertThat((at.get(199) - at.get(0)) / 1_000_000).isGreaterThanOrEqualTo(150);
  }
}
