package io.ironlb.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.ironlb.config.ObjectKind;
import io.ironlb.l2.LinkCommand;
import io.ironlb.l2.MembershipView;
import io.ironlb.l2.Speaker;
import io.ironlb.l2.VipEntity;
import io.ironlb.node.NodeFeed;
import io.ironlb.source.kubernetes.KubernetesSource;
import io.ironlb.source.kubernetes.KubernetesStatusWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A speaker in Kubernetes mode against fabric8's mock API server (CRUD): it reads the allocations
 * from the Services' status (no controller in the test), announces what it wins, and records that
 * as ServiceL2Status objects and {@code nodeAssigned} events — an event only when ownership
 * changes.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesSpeakerTest {

  KubernetesClient client;

  private static final String NS = "metallb-system";
  private static final String NODE = "node-a";
  private ActorSystem<Void> system;
  private ActorTestKit kit;
  private ExecutorService writers;

  @BeforeEach
  void start() {
    writers = Executors.newFixedThreadPool(2);
    apply(
        """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: lab, namespace: metallb-system}
        spec: {addresses: [10.222.7.0/28]}
        ---
        apiVersion: metallb.io/v1beta1
        kind: L2Advertisement
        metadata: {name: lab, namespace: metallb-system}
        """);
    client
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata().build())
        .create();
    system =
        ClusterFixture.member(
            "speaker-a", List.of("speaker", MembershipView.NODE_ROLE_PREFIX + NODE), null);
    kit = ActorTestKit.create(system);
    VipEntity.init(system);
  }

  @AfterEach
  void stop() {
    kit.shutdownTestKit();
    writers.shutdownNow();
  }

  @Test
  void theOwnerWritesL2StatusAndOneNodeAssignedEventPerChange() {
    TestProbe<LinkCommand> link = kit.createTestProbe();
    service("web", "10.222.7.0", null);
    speaker(link.ref(), new KubernetesStatusWriter(client, NS, "ironlb-speaker", writers), null);

    // The only node wins the address: it answers for it, and says so in the API.
    link.expectMessage(
        Duration.ofSeconds(30), new LinkCommand.Announce("10.222.7.0", java.util.Set.of()));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(l2Statuses())
                    .containsExactly(
                        Map.of(
                            "node",
                            NODE,
                            "serviceName",
                            "web",
                            "serviceNamespace",
                            "default",
                            "interfaces",
                            List.of(Map.of("name", "eth0")))));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                events("web")
                    .equals(
                        List.of(
                            "Normal nodeAssigned announcing from node \"node-a\" with protocol"
                                + " \"layer2\"")));

    // A second Service changes this node's announcements: one event for it, none again for web.
    service("api", "10.222.7.1", "lab");
    await().atMost(Duration.ofSeconds(20)).until(() -> events("api").size() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> l2Statuses().size() == 2);
    assertThat(events("web")).hasSize(1);

    // web loses its address: its status object goes, api's stays.
    var web = client.services().inNamespace("default").withName("web").get();
    web.getStatus().getLoadBalancer().setIngress(List.of());
    client.services().inNamespace("default").resource(web).updateStatus();
    link.fishForMessage(
        Duration.ofSeconds(20),
        m ->
            m.equals(new LinkCommand.Withdraw("10.222.7.0"))
                ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(l2Statuses())
                    .singleElement()
                    .extracting(s -> s.get("serviceName"))
                    .isEqualTo("api"));
  }

  /**
   * BGP mode: the Services this node announces get a ServiceBGPStatus naming the peers they go to,
   * whether or not the session is up (the peer here, loopback's discard port, never completes one);
   * a Service no advertisement covers any more loses its object.
   */
  @Test
  void bgpAnnouncementsAreWrittenAsServiceBgpStatus() throws Exception {
    // A peer port MetalLB's validation accepts (1-16384).
    apply(
        """
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: {name: router, namespace: metallb-system}
        spec: {myASN: 64512, peerASN: 64500, peerAddress: 127.0.0.1, peerPort: 9}
        ---
        apiVersion: metallb.io/v1beta1
        kind: BGPAdvertisement
        metadata: {name: web-only, namespace: metallb-system}
        spec: {serviceSelectors: [{matchLabels: {app: web}}]}
        """);
    service("web", "10.222.7.0", null);
    service("api", "10.222.7.1", null);
    var web = client.services().inNamespace("default").withName("web").get();
    web.getMetadata().setLabels(Map.of("app", "web"));
    client.services().inNamespace("default").resource(web).update();

    KubernetesStatusWriter writer =
        new KubernetesStatusWriter(client, NS, "ironlb-speaker", writers);
    var bgp =
        kit.spawn(
            io.ironlb.bgp.BgpSupervisor.create(
                NODE,
                (java.net.Inet4Address) java.net.InetAddress.getByName("10.222.7.50"),
                false,
                new io.ironlb.bgp.BgpMetrics(new io.ironlb.metrics.MetricFamilies()),
                writer));
    speaker(kit.<LinkCommand>createTestProbe().ref(), writer, bgp);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(statuses(ObjectKind.SERVICE_BGP_STATUS))
                    .containsExactly(
                        Map.of(
                            "node",
                            NODE,
                            "serviceName",
                            "web",
                            "serviceNamespace",
                            "default",
                            "peers",
                            List.of("router"))));

    client
        .genericKubernetesResources(KubernetesSource.context(ObjectKind.BGP_ADVERTISEMENT))
        .inNamespace(NS)
        .withName("web-only")
        .delete();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> statuses(ObjectKind.SERVICE_BGP_STATUS).isEmpty());
  }

  /**
   * The speaker's ConfigurationState, as {@code ironlb speaker} wires it: Valid; Invalid with every
   * error (object, field, reason) while a bad object is in place; Valid again once it is gone.
   */
  @Test
  void theConfigurationStateSaysWhetherTheConfigurationIsInForce() {
    speaker(
        kit.<LinkCommand>createTestProbe().ref(),
        new KubernetesStatusWriter(client, NS, "ironlb-speaker", writers),
        null);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(statuses(ObjectKind.CONFIGURATION_STATE))
                    .containsExactly(Map.of("result", "Valid", "errorSummary", "")));

    apply(
        """
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: {name: bad, namespace: metallb-system}
        spec: {myASN: 64512, peerASN: 64500, peerAddress: 127.0.0.1, holdTime: 90s, keepaliveTime: 120s}
        """);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(statuses(ObjectKind.CONFIGURATION_STATE))
                    .containsExactly(
                        Map.of(
                            "result",
                            "Invalid",
                            "errorSummary",
                            "BGPPeer metallb-system/bad: spec.keepaliveTime: 120s is longer than"
                                + " spec.holdTime 90s")));
    var state =
        client
            .genericKubernetesResources(KubernetesSource.context(ObjectKind.CONFIGURATION_STATE))
            .inNamespace(NS)
            .withName("speaker-" + NODE)
            .get();
    assertThat(state.getMetadata().getLabels())
        .containsEntry("metallb.io/component-type", "speaker")
        .containsEntry("metallb.io/node-name", NODE);

    client
        .genericKubernetesResources(KubernetesSource.context(ObjectKind.BGP_PEER))
        .inNamespace(NS)
        .withName("bad")
        .delete();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(statuses(ObjectKind.CONFIGURATION_STATE))
                    .containsExactly(Map.of("result", "Valid", "errorSummary", "")));
  }

  /** This node's speaker in Kubernetes mode, against the mock API server, wired as the command. */
  private void speaker(
      org.apache.pekko.actor.typed.ActorRef<LinkCommand> link,
      KubernetesStatusWriter writer,
      org.apache.pekko.actor.typed.ActorRef<io.ironlb.bgp.BgpSupervisor.Command> bgp) {
    ClusterSharding sharding = ClusterSharding.get(system);
    var state =
        writer.configurationState(
            "speaker-" + NODE,
            Map.of("metallb.io/component-type", "speaker", "metallb.io/node-name", NODE));
    var speaker =
        kit.spawn(
            Speaker.create(
                NODE,
                false,
                List.of("eth0"),
                link,
                (group, m) -> sharding.entityRefFor(VipEntity.TYPE, group).tell(m),
                writer));
    kit.spawn(
        NodeFeed.create(
            NODE,
            false,
            KubernetesSource.watch(
                    client, NS, Duration.ofMinutes(5), KubernetesSource.Copies.SLICES)
                .map(state::apply),
            new NodeFeed.FromServiceStatus(),
            speaker,
            bgp));
  }

  /** A LoadBalancer Service with a ready endpoint on this node and the given status address. */
  private void service(String name, String ip, String poolAnnotation) {
    var svc =
        MockApi.loadBalancer("default", name)
            .editMetadata()
            .withAnnotations(
                poolAnnotation == null
                    ? Map.of()
                    : Map.of("metallb.io/ip-allocated-from-pool", poolAnnotation))
            .endMetadata()
            .build();
    svc = client.services().inNamespace("default").resource(svc).create();
    svc.setStatus(
        new io.fabric8.kubernetes.api.model.ServiceStatusBuilder()
            .withNewLoadBalancer()
            .addNewIngress()
            .withIp(ip)
            .endIngress()
            .endLoadBalancer()
            .build());
    client.services().inNamespace("default").resource(svc).updateStatus();
    MockApi.readyEndpoint(client, "default", name, NODE);
  }

  private List<Map<String, Object>> l2Statuses() {
    return statuses(ObjectKind.SERVICE_L2_STATUS);
  }

  private List<Map<String, Object>> statuses(ObjectKind kind) {
    return MockApi.statuses(client, NS, kind);
  }

  private List<String> events(String name) {
    return MockApi.events(client, "default", name);
  }

  private void apply(String yaml) {
    MockApi.apply(client, yaml);
  }
}
