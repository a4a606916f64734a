package io.ironlb.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.ironlb.source.kubernetes.KubernetesSource;
import io.ironlb.source.kubernetes.KubernetesSource.Copies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a node keeps of the Services it watches: a speaker keeps slices (no managed fields, no
 * kubectl annotation), and follows their changes; the controller, which writes Services back, keeps
 * them whole.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesObjectCopiesTest {

  KubernetesClient client;
  KubernetesMockServer server;

  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  private ActorTestKit kit;

  @BeforeEach
  void start() {
    kit = ActorTestKit.create();
    client
        .services()
        .inNamespace("default")
        .resource(
            MockApi.loadBalancer("default", "web")
                .editMetadata()
                .withAnnotations(
                    Map.of(LAST_APPLIED, "{\"kind\":\"Service\"}", "metallb.io/address-pool", "a"))
                .addNewManagedField()
                .withManager("kubectl")
                .withOperation("Update")
                .endManagedField()
                .endMetadata()
                .build())
        .create();
    client
        .nodes()
        .resource(
            new io.fabric8.kubernetes.api.model.NodeBuilder()
                .withNewMetadata()
                .withName("node-a")
                .addToLabels("zone", "z1")
                .endMetadata()
                .withNewStatus()
                .addNewImage()
                .withNames("registry.example/app:v1")
                .withSizeBytes(123456L)
                .endImage()
                .endStatus()
                .build())
        .create();
  }

  @AfterEach
  void stop() {
    kit.shutdownTestKit();
  }

  private Service web(LinkedBlockingDeque<Snapshot> seen) {
    return seen.getLast().resources().services().stream()
        .filter(s -> s.getMetadata().getName().equals("web"))
        .findFirst()
        .orElseThrow();
  }

  private UniqueKillSwitch watch(Copies copies, LinkedBlockingDeque<Snapshot> seen) {
    return KubernetesSource.watch(client, "metallb-system", Duration.ofMinutes(5), copies)
        .viaMat(KillSwitches.single(), Keep.right())
        .toMat(Sink.foreach(seen::add), Keep.left())
        .run(kit.system());
  }

  @Test
  void aSpeakerKeepsSlicesAndSeesTheirChanges() {
    LinkedBlockingDeque<Snapshot> seen = new LinkedBlockingDeque<>();
    UniqueKillSwitch stop = watch(Copies.SLICES, seen);
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> !seen.isEmpty());
      Service web = web(seen);
      assertThat(web.getMetadata().getAnnotations()).containsOnlyKeys("metallb.io/address-pool");
      assertThat(web.getMetadata().getManagedFields()).isEmpty();
      assertThat(web.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(80);
      var node = seen.getLast().resources().node("node-a").orElseThrow();
      assertThat(node.getMetadata().getLabels()).containsEntry("zone", "z1");
      assertThat(node.getStatus().getImages()).isEmpty();

      // A change to the Service reaches the speaker as a new slice.
      var stored = client.services().inNamespace("default").withName("web").get();
      stored.getMetadata().getAnnotations().put("metallb.io/address-pool", "b");
      client.services().inNamespace("default").resource(stored).update();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  "b"
                      .equals(
                          web(seen).getMetadata().getAnnotations().get("metallb.io/address-pool")));
      assertThat(web(seen).getMetadata().getAnnotations()).doesNotContainKey(LAST_APPLIED);
    } finally {
      stop.shutdown();
    }
  }

  /**
   * Services, EndpointSlices and Nodes are listed in pages (one response of every Service in a big
   * cluster is tens of megabytes at once); fabric8 follows the continue tokens.
   */
  @Test
  void theClusterWideKindsAreListedInPages() throws Exception {
    LinkedBlockingDeque<Snapshot> seen = new LinkedBlockingDeque<>();
    UniqueKillSwitch stop = watch(Copies.SLICES, seen);
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> !seen.isEmpty());
    } finally {
      stop.shutdown();
    }
    List<String> lists = new ArrayList<>();
    for (RecordedRequest r = server.takeRequest(0, TimeUnit.SECONDS);
        r != null;
        r = server.takeRequest(0, TimeUnit.SECONDS)) {
      String path = r.getPath();
      if (r.getMethod().equals("GET")
          && !path.contains("watch=true")
          && (path.startsWith("/api/v1/services?")
              || path.startsWith("/api/v1/nodes?")
              || path.startsWith("/apis/discovery.k8s.io/v1/endpointslices?"))) {
        lists.add(path);
      }
    }
    // Every list of the three kinds asks for a page (a relist after a dropped watch included).
    assertThat(lists)
        .allSatisfy(path -> assertThat(path).contains("limit=" + 500))
        .anyMatch(path -> path.startsWith("/api/v1/services?"))
        .anyMatch(path -> path.startsWith("/api/v1/nodes?"))
        .anyMatch(path -> path.startsWith("/apis/discovery.k8s.io/v1/endpointslices?"));
  }

  @Test
  void theControllerKeepsServicesWhole() {
    LinkedBlockingDeque<Snapshot> seen = new LinkedBlockingDeque<>();
    UniqueKillSwitch stop = watch(Copies.FULL, seen);
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> !seen.isEmpty());
      assertThat(web(seen).getMetadata().getAnnotations()).containsKey(LAST_APPLIED);
      assertThat(web(seen).getMetadata().getManagedFields()).hasSize(1);
      assertThat(seen.getLast().resources().node("node-a").orElseThrow().getStatus().getImages())
          .hasSize(1);
    } finally {
      stop.shutdown();
    }
  }
}
