package io.ironlb.bgp.bfd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlb.bgp.bfd.BfdPacket.Diag;
import io.ironlb.bgp.bfd.BfdPacket.State;
import io.ironlb.metrics.MetricFamilies;
import io.ironlb.testkit.LocalActorTestKit;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two BFD sessions, each in its own actor system with its own receiving port, facing each other on
 * loopback: both come Up, a forged packet that did not arrive with TTL 255 changes nothing (RFC
 * 5881 §5, checked in the kernel), and a peer that falls silent is Down one Detection Time later.
 */
class BfdSessionTest {
  /**
   * 50 ms packets, detection after 10 missed (500 ms): fast next to seconds of hold time, and
   * patient enough that a unit-test JVM paused for a GC or starved by a busy build does not look
   * like a silent peer.
   */
  private static final BfdStateMachine.Settings FAST =
      new BfdStateMachine.Settings(50_000, 50_000, 10, false);

  private ActorTestKit a;
  private ActorTestKit b;

  @AfterEach
  void stop() {
    if (a != null) {
      a.shutdownTestKit();
    }
    if (b != null) {
      b.shutdownTestKit();
    }
  }

  private static int freeUdpPort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static ActorTestKit kit(int port) {
    return LocalActorTestKit.create("ironlb.bfd.single-hop-port = " + port);
  }

  @Test
  void sessionsComeUpIgnoreForgedTtlAndDetectSilence() throws Exception {
    int portA = freeUdpPort();
    int portB = freeUdpPort();
    a = kit(portA);
    b = kit(portB);
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    MetricFamilies metricsA = new MetricFamilies();
    TestProbe<BfdSession.Changed> ownerA = a.createTestProbe();
    TestProbe<BfdSession.Changed> ownerB = b.createTestProbe();
    ActorRef<BfdSession.Command> sessionA =
        a.spawn(
            BfdSession.create(
                new BfdSession.Config(lo, lo, portB, FAST),
                ownerA.ref(),
                new BfdMetrics(metricsA)));
    ActorRef<BfdSession.Command> sessionB =
        b.spawn(
            BfdSession.create(
                new BfdSession.Config(lo, lo, portA, FAST),
                ownerB.ref(),
                BfdMetrics.unregistered()));

    // Slow start (1 s below Up, RFC 5880 §6.8.3): Up within a few seconds on both ends.
    assertThat(ownerA.expectMessageClass(BfdSession.Changed.class, Duration.ofSeconds(10)).state())
        .isEqualTo(State.UP);
    assertThat(ownerB.expectMessageClass(BfdSession.Changed.class, Duration.ofSeconds(10)).state())
        .isEqualTo(State.UP);

    // A forged AdminDown from an ordinary socket (TTL 64): were it accepted, A would go Down.
    byte[] forged =
        BfdCodec.encode(
            BfdPacket.of(
                Diag.ADMINISTRATIVELY_DOWN, State.ADMIN_DOWN, false, false, 3, 99, 0, 1, 1));
    try (DatagramSocket s = new DatagramSocket()) {
      for (int i = 0; i < 5; i++) {
        s.send(new DatagramPacket(forged, forged.length, lo, portA));
      }
    }
    ownerA.expectNoMessage(Duration.ofSeconds(1));
    TestProbe<State> state = a.createTestProbe();
    sessionA.tell(new BfdSession.GetState(state.ref()));
    assertThat(state.receiveMessage()).isEqualTo(State.UP);

    // B falls silent: A is Down after its Detection Time (10 x 50 ms), not after seconds.
    b.stop(sessionB);
    BfdSession.Changed down = ownerA.expectMessageClass(BfdSession.Changed.class);
    assertThat(down.state()).isEqualTo(State.DOWN);
    assertThat(down.diag()).isEqualTo(Diag.CONTROL_DETECTION_TIME_EXPIRED);
    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(
            () ->
                assertThat(metricsA.render())
                    .contains("metallb_bfd_session_up{peer=\"127.0.0.1\"} 0.0\n")
                    .contains("metallb_bfd_session_up_events{peer=\"127.0.0.1\"} 1.0\n")
                    .contains("metallb_bfd_session_down_events{peer=\"127.0.0.1\"} 1.0\n")
                    .containsPattern("metallb_bfd_control_packet_input\\{peer=\"127.0.0.1\"} [1-9]")
                    .containsPattern(
                        "metallb_bfd_control_packet_output\\{peer=\"127.0.0.1\"} [1-9]"));
  }
}
