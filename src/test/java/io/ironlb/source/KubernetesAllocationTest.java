package io.ironlb.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.ironlb.ipam.AllocatorActor;
import io.ironlb.source.kubernetes.KubernetesSource;
import io.ironlb.source.kubernetes.KubernetesStatusWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The allocator singleton against fabric8's mock API server in CRUD mode: objects applied as YAML,
 * statuses, annotations, events and pool status written back; deletion frees; a restart and a
 * singleton failover change no address and assign none twice.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesAllocationTest {

  /** An instance field: a fresh mock API server for each test. */
  KubernetesClient client;

  /** The same server, for the tests that make it refuse writes. */
  io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server;

  private static final String NS = "metallb-system";
  private final List<ActorSystem<Void>> systems = new ArrayList<>();
  private ExecutorService writers;

  @BeforeEach
  void setUp() {
    writers = Executors.newFixedThreadPool(4);
  }

  @AfterEach
  void tearDown() {
    systems.forEach(ActorTestKit::shutdown);
    writers.shutdownNow();
  }

  private ActorRef<AllocatorActor.Command> controller(String name, ActorSystem<Void> seed) {
    ActorSystem<Void> system = ClusterFixture.member(name, List.of("controller"), seed);
    systems.add(system);
    return AllocatorActor.singleton(
        system,
        () ->
            KubernetesSource.watch(client, NS, Duration.ofMinutes(5), KubernetesSource.Copies.FULL),
        new KubernetesStatusWriter(client, NS, "ironlb-controller", writers),
        null);
  }

  @Test
  void examplesGetStatusesAnnotationsEventsAndPoolCounts() throws IOException {
    applyDirectory(Path.of("examples"));
    controller("c1", null);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(ips("default", "echo")).containsExactly("10.222.10.7");
              assertThat(ips("web", "nginx")).containsExactly("10.222.20.1");
              assertThat(ips("default", "first")).containsExactly("10.222.40.1");
            });
    assertThat(annotation("web", "nginx")).isEqualTo("expensive");
    assertThat(annotation("default", "echo")).isEqualTo("first-pool");
    assertThat(ips("default", "second")).isEmpty();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(events("web", "nginx"))
                  .contains("Normal IPAllocated Assigned IP [\"10.222.20.1\"]");
              assertThat(events("default", "second"))
                  .contains(
                      "Warning AllocationFailed Failed to allocate IP for \"default/second\": no available IPs in pool \"tiny\"");
              assertThat(events("default", "squatter"))
                  .contains(
                      "Warning AllocationFailed Failed to allocate IP for \"default/squatter\": 10.222.10.7 is in use by default/echo, which does not allow sharing");
              assertThat(poolStatus("expensive"))
                  .containsEntry("assignedIPv4", 1)
                  .containsEntry("availableIPv4", 62);
            });
  }

  /**
   * Issue 13, finding 8: the API server refuses the first pool status and event writes (403, as
   * while a new ClusterRole propagates; fabric8 itself does not retry those); both still arrive,
   * because refused writes are retried with backoff.
   */
  @Test
  void poolStatusAndEventsTheApiServerRefusedAtFirstStillArrive() {
    createPool("p", "10.222.7.0/30");
    createService("default", "a");
    server
        .expect()
        .put()
        .withPath("/apis/metallb.io/v1beta1/namespaces/" + NS + "/ipaddresspools/p/status")
        .andReturn(403, "forbidden")
        .times(2);
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/default/events")
        .andReturn(403, "forbidden")
        .times(2);
    controller("c1", null);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(ips("default", "a")).containsExactly("10.222.7.0");
              assertThat(poolStatus("p"))
                  .containsEntry("assignedIPv4", 1)
                  .containsEntry("availableIPv4", 3);
              assertThat(events("default", "a"))
                  .contains("Normal IPAllocated Assigned IP [\"10.222.7.0\"]");
            });
  }

  /** Repeats of one event become one Event with a count, as client-go's recorder makes them. */
  @Test
  void repeatedEventsAreOneEventWithACount() throws Exception {
    createService("default", "a");
    KubernetesStatusWriter writer =
        new KubernetesStatusWriter(client, NS, "ironlb-controller", writers);
    io.ironlb.config.ServiceKey key = new io.ironlb.config.ServiceKey("default", "a");
    for (int i = 0; i < 3; i++) {
      writer
          .event(key, true, "AllocationFailed", "no available IPs")
          .toCompletableFuture()
          .get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
    writer
        .event(key, false, "IPAllocated", "Assigned IP [\"10.222.7.0\"]")
        .toCompletableFuture()
        .get(10, java.util.concurrent.TimeUnit.SECONDS);
    var list = client.v1().events().inNamespace("default").list().getItems();
    assertThat(list)
        .extracting(e -> e.getReason() + " x" + e.getCount())
        .containsExactlyInAnyOrder("AllocationFailed x3", "IPAllocated x1");
  }

  @Test
  void deletingAServiceFreesItsAddress() {
    createPool("p", "10.222.7.0/31");
    createService("default", "a");
    controller("c1", null);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ips("default", "a").equals(List.of("10.222.7.0")));
    createService("default", "b");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ips("default", "b").equals(List.of("10.222.7.1")));
    createService("default", "c");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> events("default", "c").stream().anyMatch(e -> e.contains("AllocationFailed")));

    client.services().inNamespace("default").withName("a").delete();
    // c was waiting for an address: it gets the freed one without being touched.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ips("default", "c").equals(List.of("10.222.7.0")));
  }

  @Test
  void aWriteFromAStaleCopyRetriesAndLosesNoConcurrentChange() throws Exception {
    createService("default", "web");
    Service stale = client.services().inNamespace("default").withName("web").get();
    client
        .services()
        .inNamespace("default")
        .withName("web")
        .edit(
            s ->
                new ServiceBuilder(s)
                    .editMetadata()
                    .addToLabels("owner", "team-a")
                    .endMetadata()
                    .build());
    new KubernetesStatusWriter(client, NS, "ironlb-controller", writers)
        .writeService(stale, List.of("10.222.9.9"), "p")
        .toCompletableFuture()
        .get(10, java.util.concurrent.TimeUnit.SECONDS);
    Service now = client.services().inNamespace("default").withName("web").get();
    assertThat(ips(now)).containsExactly("10.222.9.9");
    assertThat(now.getMetadata().getAnnotations())
        .containsEntry("metallb.io/ip-allocated-from-pool", "p");
    assertThat(now.getMetadata().getLabels())
        .as("the concurrent edit survives")
        .containsEntry("owner", "team-a");
  }

  @Test
  void restartAndSingletonFailoverChangeNoAddressAndAssignNoneTwice() {
    createPool("big", "10.222.64.0/21");
    int n = Integer.getInteger("ironlb.test.services", 1000);
    for (int i = 0; i < n; i++) {
      createService("ns" + (i % 10), "svc-" + i);
    }
    ActorSystem<Void> first = startControllerSystem("c1", null);
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> allocated().size() == n);
    Map<String, List<String>> before = allocated();
    assertNoDuplicates(before);

    // Restart: the only controller stops; a new one starts from the statuses alone.
    ActorTestKit.shutdown(first);
    systems.remove(first);
    ActorSystem<Void> second = startControllerSystem("c2", null);
    createService("default", "after-restart");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> allocated().size() == n + 1);
    Map<String, List<String>> afterRestart = allocated();
    assertThat(afterRestart).containsAllEntriesOf(before);
    assertNoDuplicates(afterRestart);

    // Failover: a second controller joins; the first (oldest, running the singleton) stops.
    ActorSystem<Void> third = startControllerSystem("c3", second);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Cluster.get(third).selfMember().status().equals(MemberStatus.up()));
    ActorTestKit.shutdown(second);
    systems.remove(second);
    createService("default", "after-failover");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> allocated().size() == n + 2);
    Map<String, List<String>> afterFailover = allocated();
    assertThat(afterFailover).containsAllEntriesOf(afterRestart);
    assertNoDuplicates(afterFailover);
  }

  /**
   * Issue 15, the API server's load: with 1,000 Services at steady state the controller only
   * watches (no write at all for 10 s); after a controller failover the new one writes only for the
   * object that changes (a new Service: its annotation, status, event and its pool's status), none
   * for the 1,000 it takes over unchanged.
   */
  @Test
  void atSteadyStateTheControllerOnlyWatchesAndAFailoverRewritesNothing() throws Exception {
    createPool("big", "10.222.64.0/21");
    int n = 1000;
    for (int i = 0; i < n; i++) {
      createService("ns" + (i % 10), "svc-" + i);
    }
    ActorSystem<Void> first = startControllerSystem("c1", null);
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> allocated().size() == n && poolAssigned("big") == n);
    drainRequests();
    await()
        .during(Duration.ofSeconds(10))
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> writes().isEmpty());

    ActorSystem<Void> second = startControllerSystem("c2", first);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Cluster.get(second).selfMember().status().equals(MemberStatus.up()));
    drainRequests();
    ActorTestKit.shutdown(first);
    systems.remove(first);
    createService("default", "after-failover");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> allocated().size() == n + 1 && poolAssigned("big") == n + 1);
    // Only the new Service and what counts it; the thousand taken over are left alone.
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () ->
                assertThat(writes())
                    .allMatch(
                        w ->
                            w.equals("POST /api/v1/namespaces/default/services") // this test's
                                || w.contains("/services/after-failover")
                                || w.contains("/namespaces/default/events")
                                || w.contains("/ipaddresspools/big/status")
                                || w.contains("/servicel2statuses")
                                || w.contains("/configurationstates")));
    assertThat(written).anyMatch(w -> w.contains("/services/after-failover"));
  }

  /** Writes seen since the last {@link #drainRequests}, method and path. */
  private final List<String> written = new java.util.concurrent.CopyOnWriteArrayList<>();

  private void drainRequests() throws InterruptedException {
    while (server.takeRequest(200, java.util.concurrent.TimeUnit.MILLISECONDS) != null) {
      // what came before the window
    }
    written.clear();
  }

  /** The writes (POST, PUT, PATCH, DELETE) the API server received since the last look. */
  private List<String> writes() throws InterruptedException {
    for (var r = server.takeRequest(50, java.util.concurrent.TimeUnit.MILLISECONDS);
        r != null;
        r = server.takeRequest(50, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      if (!r.getMethod().equals("GET")) {
        written.add(r.getMethod() + " " + r.getPath());
      }
    }
    return written;
  }

  private int poolAssigned(String pool) {
    Object v = poolStatus(pool).get("assignedIPv4");
    return v instanceof Number num ? num.intValue() : -1;
  }

  private ActorSystem<Void> startControllerSystem(String name, ActorSystem<Void> seed) {
    controller(name, seed);
    return systems.get(systems.size() - 1);
  }

  private void assertNoDuplicates(Map<String, List<String>> allocations) {
    Set<String> seen = new HashSet<>();
    allocations.forEach(
        (svc, ips) ->
            ips.forEach(ip -> assertThat(seen.add(ip)).as("%s assigned twice", ip).isTrue()));
  }

  private Map<String, List<String>> allocated() {
    Map<String, List<String>> m = new HashMap<>();
    for (Service s : client.services().inAnyNamespace().list().getItems()) {
      List<String> ips = ips(s);
      if (!ips.isEmpty()) {
        m.put(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), ips);
      }
    }
    return m;
  }

  private List<String> ips(String ns, String name) {
    return MockApi.ingress(client, ns, name);
  }

  private List<String> ips(Service s) {
    return MockApi.ingress(s);
  }

  private String annotation(String ns, String name) {
    Map<String, String> a =
        client.services().inNamespace(ns).withName(name).get().getMetadata().getAnnotations();
    return a == null ? null : a.get("metallb.io/ip-allocated-from-pool");
  }

  private List<String> events(String ns, String name) {
    return MockApi.events(client, ns, name);
  }

  private Map<String, Object> poolStatus(String pool) {
    return MockApi.poolStatus(client, NS, pool);
  }

  private void createPool(String name, String cidr) {
    apply(
        "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: "
            + name
            + ", namespace: "
            + NS
            + "}\nspec: {addresses: ["
            + cidr
            + "]}\n");
  }

  private void createService(String ns, String name) {
    client.services().inNamespace(ns).resource(MockApi.loadBalancer(ns, name).build()).create();
  }

  /** Applies every document of every YAML file in a directory, as kubectl apply -f would. */
  void applyDirectory(Path dir) throws IOException {
    List<Path> files;
    try (var walk = Files.walk(dir)) {
      files = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path f : files) {
      for (String doc : Files.readString(f).split("(?m)^---\\s*$")) {
        if (!doc.isBlank() && doc.contains("kind:")) {
          apply(doc);
        }
      }
    }
  }

  void apply(String doc) {
    MockApi.apply(client, doc);
  }
}
