package io.ironlb.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlb.bgp.wire.IpPrefix;
import io.ironlb.config.ClusterResources;
import io.ironlb.config.ManifestReader;
import io.ironlb.config.ServiceKey;
import io.ironlb.metrics.MetricFamilies;
import io.ironlb.serving.Allocated;
import io.ironlb.source.AnnouncementWriter;
import io.ironlb.testkit.LocalActorTestKit;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The supervisor's care of its sessions, with fake sessions in place of Netty ones. */
class BgpSupervisorTest {
  private static final String CONFIG =
      """
      apiVersion: metallb.io/v1beta2
      kind: BGPPeer
      metadata: {name: tor, namespace: metallb-system}
      spec: {myASN: 64512, peerASN: 64500, peerAddress: 10.222.0.1}
      ---
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata: {name: web, namespace: metallb-system}
      spec: {addresses: [10.222.10.0/24]}
      ---
      apiVersion: metallb.io/v1beta1
      kind: BGPAdvertisement
      metadata: {name: all, namespace: metallb-system}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: shop, namespace: default}
      spec: {type: LoadBalancer, ports: [{port: 80}]}
      ---
      apiVersion: discovery.k8s.io/v1
      kind: EndpointSlice
      metadata: {name: shop-1, namespace: default, labels: {kubernetes.io/service-name: shop}}
      addressType: IPv4
      endpoints: [{addresses: [10.1.1.2], nodeName: node-a, conditions: {ready: true}}]
      """;

  private ActorTestKit kit;

  @AfterEach
  void stop() {
    if (kit != null) {
      kit.shutdownTestKit();
    }
  }

  /**
   * Issue 13, finding 7: a session that crashes is started again, and told what it was announcing,
   * instead of staying a dead child until its BGPPeer changes.
   */
  @Test
  void aCrashedSessionComesBackWithWhatItAnnounced() throws Exception {
    kit = LocalActorTestKit.create();
    TestProbe<Map<IpPrefix, AdvertisementPlanner.Announcement>> told = kit.createTestProbe();
    AtomicInteger incarnations = new AtomicInteger();
    ActorRef<BgpSupervisor.Command> supervisor =
        kit.spawn(
            BgpSupervisor.create(
                "node-a",
                (Inet4Address) InetAddress.getByName("10.222.0.9"),
                true,
                new BgpMetrics(new MetricFamilies()),
                AnnouncementWriter.NONE,
                a -> {},
                config -> fakeSession(incarnations.incrementAndGet(), told.ref())));
    ClusterResources r = ManifestReader.readString(CONFIG, "t.yaml").resources();
    supervisor.tell(
        new BgpSupervisor.Plan(
            r,
            Map.of(
                new ServiceKey("default", "shop"), new Allocated(List.of("10.222.10.1"), "web"))));
    Map<IpPrefix, AdvertisementPlanner.Announcement> first = told.receiveMessage();
    assertThat(first).containsOnlyKeys(IpPrefix.parse("10.222.10.1/32"));
    // The first incarnation throws on its next message; the second is told the same routes.
    supervisor.tell(
        new BgpSupervisor.GetPeers(kit.<List<PeerSession.Status>>createTestProbe().ref()));
    assertThat(told.receiveMessage(Duration.ofSeconds(10))).isEqualTo(first);
    assertThat(incarnations.get()).isEqualTo(2);
  }

  /**
   * Issue 16: each BGPPeer field reaches its session: localASN as the session's AS (FRR's {@code
   * local-as ... no-prepend replace-as}: the router sees only it), interface as an unnumbered peer,
   * dualStackAddressFamily, vrf and connectTime.
   */
  @Test
  void aBgpPeersFieldsReachItsSession() throws Exception {
    kit = LocalActorTestKit.create();
    TestProbe<PeerConfig> configs = kit.createTestProbe();
    ActorRef<BgpSupervisor.Command> supervisor =
        kit.spawn(
            BgpSupervisor.create(
                "node-a",
                (Inet4Address) InetAddress.getByName("10.222.0.9"),
                true,
                new BgpMetrics(new MetricFamilies()),
                AnnouncementWriter.NONE,
                a -> {},
                config -> {
                  configs.ref().tell(config);
                  return Behaviors.ignore();
                }));
    String peers =
        """
        ---
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: {name: local-as, namespace: metallb-system}
        spec: {myASN: 64512, localASN: 64999, peerASN: 64500, peerAddress: 10.222.0.2,
               connectTime: 5s}
        ---
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: {name: unnumbered, namespace: metallb-system}
        spec: {myASN: 64512, dynamicASN: external, interface: eth1}
        ---
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: {name: dual, namespace: metallb-system}
        spec: {myASN: 64512, peerASN: 64500, peerAddress: 10.222.0.3, dualStackAddressFamily: true,
               vrf: red}
        """;
    supervisor.tell(
        new BgpSupervisor.Plan(
            ManifestReader.readString(CONFIG + peers, "t.yaml").resources(), Map.of()));
    Map<String, PeerConfig> byLabel = new java.util.HashMap<>();
    for (int i = 0; i < 4; i++) {
      PeerConfig c = configs.receiveMessage();
      byLabel.put(c.label(), c);
    }
    PeerConfig localAs = byLabel.get("10.222.0.2:179");
    assertThat(localAs.localAs()).isEqualTo(64999);
    assertThat(localAs.connectRetry()).isEqualTo(Duration.ofSeconds(5));
    PeerConfig unnumbered = byLabel.get("eth1");
    assertThat(unnumbered.peer()).isNull();
    assertThat(unnumbered.iface()).isEqualTo("eth1");
    assertThat(unnumbered.families()).hasSize(2);
    assertThat(unnumbered.connectRetry()).as("IronLB's default policy").isNull();
    PeerConfig dual = byLabel.get("10.222.0.3:179");
    assertThat(dual.dualStack()).isTrue();
    assertThat(dual.vrf()).isEqualTo("red");
    assertThat(byLabel.get("10.222.0.1:179").families()).hasSize(1);
  }

  /** Records every Advertise; incarnation 1 crashes on the first status query. */
  private static Behavior<PeerSession.Command> fakeSession(
      int incarnation, ActorRef<Map<IpPrefix, AdvertisementPlanner.Announcement>> told) {
    return Behaviors.receiveMessage(
        m -> {
          if (m instanceof PeerSession.Advertise a) {
            told.tell(a.prefixes());
          } else if (m instanceof PeerSession.GetStatus && incarnation == 1) {
            throw new IllegalStateException("a bug in the session");
          }
          return Behaviors.same();
        });
  }
}
