package io.ironlb.bgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlb.bgp.wire.BgpCodec;
import io.ironlb.bgp.wire.BgpMessage;
import io.ironlb.bgp.wire.Capability;
import io.ironlb.bgp.wire.IpPrefix;
import io.ironlb.bgp.wire.NotificationCode;
import io.ironlb.metrics.MetricFamilies;
import io.ironlb.testkit.LocalActorTestKit;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The session's timers against a scripted peer on loopback (the real routers are the multi-JVM
 * tests' job): the OpenSent hold timer ends with OpenSent, and the negotiated hold timer ends a
 * session whose peer falls silent, with Hold Timer Expired.
 */
class PeerSessionTest {
  private static final BgpCodec.Options FOUR = new BgpCodec.Options(true);
  private static final AdvertisementPlanner.Announcement ANNOUNCEMENT =
      new AdvertisementPlanner.Announcement(0, Set.of(), Set.of());
  private final MetricFamilies families = new MetricFamilies();
  private ActorTestKit kit;
  private ServerSocket server;
  private final AtomicBoolean keepalives = new AtomicBoolean(true);
  private final List<BgpMessage> received = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws IOException {
    keepalives.set(false);
    if (kit != null) {
      kit.shutdownTestKit();
    }
    if (server != null) {
      server.close();
    }
  }

  /** A router that answers OPEN with OPEN (hold 3 s) and sends KEEPALIVEs while asked to. */
  private void peer() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              try (Socket s = server.accept()) {
                OutputStream out = s.getOutputStream();
                DataInputStream in = new DataInputStream(s.getInputStream());
                Thread reader = new Thread(() -> readAll(in));
                reader.setDaemon(true);
                reader.start();
                out.write(
                    BgpCodec.encode(
                        new BgpMessage.Open(
                            4,
                            64500,
                            3,
                            (Inet4Address) InetAddress.getByName("10.222.0.1"),
                            List.of(
                                new Capability.Multiprotocol(1, 1),
                                new Capability.FourOctetAs(64500))),
                        FOUR));
                while (!s.isClosed()) {
                  if (keepalives.get()) {
                    out.write(BgpCodec.encode(new BgpMessage.Keepalive(), FOUR));
                  }
                  Thread.sleep(500); // the peer's keepalive interval
                }
              } catch (Exception e) {
                // the test is over
              }
            });
    t.setDaemon(true);
    t.start();
  }

  /** Decodes what the session sends into {@link #received} until it closes the connection. */
  private void readAll(DataInputStream in) {
    try {
      while (true) {
        byte[] h = new byte[BgpCodec.HEADER_LENGTH];
        in.readFully(h);
        int len = ((h[16] & 0xFF) << 8) | (h[17] & 0xFF);
        byte[] m = new byte[len];
        System.arraycopy(h, 0, m, 0, h.length);
        in.readFully(m, h.length, len - h.length);
        received.add(BgpCodec.decode(m, FOUR));
      }
    } catch (Exception e) {
      // closed
    }
  }

  /** A session of AS 64512 to the scripted peer (AS 64500, hold 3 s) on this test's server. */
  private PeerConfig toServer(Duration connectRetry) throws IOException {
    return new PeerConfig(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()),
        null,
        64512,
        64500,
        (Inet4Address) InetAddress.getByName("10.222.0.2"),
        3,
        null,
        connectRetry);
  }

  private PeerSession.State state(
      ActorRef<PeerSession.Command> session, TestProbe<PeerSession.Status> p) {
    session.tell(new PeerSession.GetStatus(p.ref()));
    return p.receiveMessage().state();
  }

  @Test
  void theOpenSentTimerEndsWithOpenSentAndSilenceEndsTheSession() throws Exception {
    peer();
    kit = LocalActorTestKit.create();
    ActorRef<PeerSession.Command> session =
        kit.spawn(
            PeerSession.create(
                toServer(Duration.ofMillis(200)),
                new BgpMetrics(families),
                Duration.ofSeconds(1),
                name -> null));
    session.tell(
        new PeerSession.Advertise(
            Map.of(
                IpPrefix.parse("10.222.9.1/32"), ANNOUNCEMENT,
                IpPrefix.parse("10.222.9.2/32"), ANNOUNCEMENT)));
    TestProbe<PeerSession.Status> probe = kit.createTestProbe();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> state(session, probe) == PeerSession.State.ESTABLISHED);
    String peer = "peer=\"127.0.0.1:" + server.getLocalPort() + "\"";
    // MetalLB's names, exactly: the peer holds both prefixes from one UPDATE, none pending.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(families.render())
                    .contains("metallb_bgp_session_up{" + peer + "} 1.0\n")
                    .contains("metallb_bgp_announced_prefixes_total{" + peer + "} 2.0\n")
                    .contains("metallb_bgp_pending_prefixes_total{" + peer + "} 0.0\n")
                    .contains("# TYPE metallb_bgp_updates_total counter\n")
                    .contains("metallb_bgp_updates_total{" + peer + "} 1.0\n"));
    // Well past the 1 s OpenSent timer: the negotiated hold time (3 s, refreshed by the peer's
    // KEEPALIVEs) is the only one running.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> state(session, probe) == PeerSession.State.ESTABLISHED);
    assertThat(received).anyMatch(m -> m instanceof BgpMessage.Keepalive);

    keepalives.set(false);
    await()
        .atMost(Duration.ofSeconds(6))
        .until(
            () -> {
              session.tell(new PeerSession.GetStatus(probe.ref()));
              return probe.receiveMessage();
            },
            s ->
                s.state() != PeerSession.State.ESTABLISHED
                    && "hold timer expired".equals(s.lastError()));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                received.stream()
                    .anyMatch(m -> m instanceof BgpMessage.Notification n && n.code() == 4));
    // Down: nothing held by the peer, both prefixes pending.
    assertThat(families.render())
        .contains("metallb_bgp_session_up{" + peer + "} 0.0\n")
        .contains("metallb_bgp_announced_prefixes_total{" + peer + "} 0.0\n")
        .contains("metallb_bgp_pending_prefixes_total{" + peer + "} 2.0\n");
  }

  /**
   * A router of the wrong AS sends its OPEN and, right behind it, a KEEPALIVE (FRR does): the
   * session refuses the OPEN with Bad Peer AS, and the KEEPALIVE already on its way does not
   * replace that reason with "unexpected KEEPALIVE" — after a NOTIFICATION the FSM is Idle.
   */
  @Test
  void aRefusedOpenKeepsItsReasonWhateverFollowsIt() throws Exception {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              try (Socket s = server.accept()) {
                byte[] open =
                    BgpCodec.encode(
                        new BgpMessage.Open(
                            4,
                            64999,
                            3,
                            (Inet4Address) InetAddress.getByName("10.222.0.1"),
                            List.of(new Capability.FourOctetAs(64999))),
                        FOUR);
                byte[] keepalive = BgpCodec.encode(new BgpMessage.Keepalive(), FOUR);
                byte[] both = new byte[open.length + keepalive.length];
                System.arraycopy(open, 0, both, 0, open.length);
                System.arraycopy(keepalive, 0, both, open.length, keepalive.length);
                s.getOutputStream().write(both);
                readAll(new DataInputStream(s.getInputStream()));
              } catch (Exception e) {
                // the test is over
              }
            });
    t.setDaemon(true);
    t.start();
    kit = LocalActorTestKit.create();
    ActorRef<PeerSession.Command> session =
        kit.spawn(PeerSession.create(toServer(Duration.ofSeconds(30)), new BgpMetrics(families)));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                received.stream()
                    .anyMatch(
                        m ->
                            m instanceof BgpMessage.Notification n
                                && n.code() == NotificationCode.OPEN_BAD_PEER_AS.code()
                                && n.subcode() == NotificationCode.OPEN_BAD_PEER_AS.subcode()));
    TestProbe<PeerSession.Status> probe = kit.createTestProbe();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              session.tell(new PeerSession.GetStatus(probe.ref()));
              PeerSession.Status status = probe.receiveMessage();
              assertThat(status.state()).isNotEqualTo(PeerSession.State.OPEN_SENT);
              assertThat(status.lastError()).isEqualTo("peer AS 64999, expected 64500");
            });
    assertThat(received).noneMatch(m -> m instanceof BgpMessage.Notification n && n.code() == 5);
  }

  /**
   * Issue 13, finding 7: a session stopped while its TCP connect is under way leaves no connection
   * behind — the router sees the connection close instead of holding one that never sends OPEN.
   */
  @Test
  void aStopDuringConnectLeavesNoConnectionOpen() throws Exception {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    kit = LocalActorTestKit.create();
    ActorRef<PeerSession.Command> session =
        kit.spawn(PeerSession.create(toServer(Duration.ofSeconds(5)), new BgpMetrics(families)));
    TestProbe<org.apache.pekko.Done> stopped = kit.createTestProbe();
    session.tell(new PeerSession.Stop(stopped.ref())); // before the connect completes
    stopped.receiveMessage(Duration.ofSeconds(5));
    // Either the connect was abandoned before it reached the peer (nothing to accept), or the
    // connection that did arrive ends: whatever came before (an OPEN, when the connect won the
    // race), it is closed. A connection left open fails the read with a timeout.
    server.setSoTimeout(3_000);
    Socket accepted;
    try {
      accepted = server.accept();
    } catch (java.net.SocketTimeoutException abandoned) {
      return;
    }
    try (Socket s = accepted) {
      s.setSoTimeout(10_000);
      java.io.InputStream in = s.getInputStream();
      while (in.read() != -1) {
        // drain
      }
    }
  }
}
