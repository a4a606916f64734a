package io.ironlb.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.ironlb.config.IPAddressPool;
import io.ironlb.config.ServiceKey;
import io.ironlb.ipam.AllocatorActor;
import io.ironlb.ipam.InMemoryStatusWriter;
import io.ironlb.metrics.MetricFamilies;
import io.ironlb.source.files.FileSource;
import io.ironlb.testkit.LocalActorTestKit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Standalone mode: a watched directory feeds the allocator; results are kept in memory. */
class FileSourceTest {

  private static ActorTestKit kit;

  @BeforeAll
  static void start() {
    kit =
        ActorTestKit.create(
            ConfigFactory.parseString(
                    "pekko.remote.artery.canonical.port = 0\n"
                        + "pekko.remote.artery.canonical.hostname = 127.0.0.1")
                .withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static final String POOL =
      """
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata: {name: p, namespace: metallb-system}
      spec: {addresses: [%s]}
      """;

  private static final String SERVICE =
      """
      apiVersion: v1
      kind: Service
      metadata: {name: %s, namespace: default}
      spec: {type: LoadBalancer, ports: [{port: 80}]}
      """;

  @Test
  void invalidChangeIsRejectedAndTheLastGoodConfigurationStays(@TempDir Path dir)
      throws IOException {
    Files.writeString(dir.resolve("pool.yaml"), POOL.formatted("10.222.1.0/30"));
    LinkedBlockingDeque<Snapshot> seen = new LinkedBlockingDeque<>();
    UniqueKillSwitch stop =
        FileSource.watch(dir, Duration.ofMillis(100))
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(Sink.foreach(seen::add), Keep.left())
            .run(kit.system());
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
      assertThat(seen.getLast().configStale()).isFalse();
      assertThat(poolAddresses(seen.getLast())).containsExactly("10.222.1.0/30");

      Files.writeString(dir.resolve("pool.yaml"), POOL.formatted("10.222.1.0/33"));
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.getLast().configStale());
      Snapshot rejected = seen.getLast();
      assertThat(poolAddresses(rejected)).as("last good stays").containsExactly("10.222.1.0/30");
      assertThat(rejected.problems())
          .extracting(Object::toString)
          .containsExactly(
              "IPAddressPool metallb-system/p: spec.addresses[0]: invalid CIDR \"10.222.1.0/33\":"
                  + " not a CIDR; write a CIDR or a range a-b");

      Files.writeString(dir.resolve("svc.yaml"), SERVICE.formatted("web"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> seen.getLast().resources().services().size() == 1);
      assertThat(seen.getLast().configStale())
          .as("Services flow while the config is stale")
          .isTrue();

      Files.writeString(dir.resolve("pool.yaml"), POOL.formatted("10.222.2.0/30"));
      await().atMost(Duration.ofSeconds(10)).until(() -> !seen.getLast().configStale());
      assertThat(poolAddresses(seen.getLast())).containsExactly("10.222.2.0/30");
      int count = seen.size();
      // Five poll intervals pass without a new snapshot: an unchanged directory emits nothing.
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(2))
          .until(() -> seen.size() == count);
    } finally {
      stop.shutdown();
    }
  }

  @Test
  void anAllocatorAskedBeforeItsFirstSnapshotAnswersOnceItHasOne(@TempDir Path dir)
      throws IOException {
    Files.writeString(dir.resolve("pool.yaml"), POOL.formatted("10.222.3.0/31"));
    Files.writeString(dir.resolve("a.yaml"), SERVICE.formatted("a"));
    var snapshots =
        org.apache.pekko.stream.javadsl.Source.<Snapshot>queue(4)
            .preMaterialize(org.apache.pekko.stream.Materializer.createMaterializer(kit.system()));
    ActorRef<AllocatorActor.Command> allocator =
        kit.spawn(AllocatorActor.create(snapshots.second(), new InMemoryStatusWriter(), null));
    TestProbe<AllocatorActor.Allocations> probe = kit.createTestProbe();
    allocator.tell(new AllocatorActor.GetAllocations(probe.ref()));
    // An empty answer now would tell a speaker that nothing is allocated.
    probe.expectNoMessage(Duration.ofMillis(300));
    FileSource.watch(dir, Duration.ofMillis(100))
        .take(1)
        .runForeach(snapshots.first()::offer, kit.system())
        .toCompletableFuture()
        .join();
    assertThat(probe.receiveMessage(Duration.ofSeconds(10)).services()).containsKey("default/a");
  }

  /**
   * MetalLB's allocator and k8s client metrics, under their names, from an allocator reading a
   * directory (own actor system: its own metrics): the pool's usable and used addresses (in all and
   * per family), the Services it serves, snapshots counted, and a rejected change shown as a stale
   * configuration and an update error.
   */
  @Test
  void allocatorAndSourceMetricsFollowThePoolAndTheConfiguration(@TempDir Path dir)
      throws IOException {
    Files.writeString(
        dir.resolve("pool.yaml"), POOL.formatted("10.222.4.0/30, 'fd00:222:4::/126'"));
    Files.writeString(dir.resolve("a.yaml"), SERVICE.formatted("a"));
    ActorTestKit own = LocalActorTestKit.create();
    try {
      own.spawn(
          AllocatorActor.create(
              FileSource.watch(dir, Duration.ofMillis(100)), new InMemoryStatusWriter(), null));
      MetricFamilies metrics = MetricFamilies.get(own.system());
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(metrics.render())
                      .contains("metallb_allocator_addresses_total{pool=\"p\"} 8.0\n")
                      .contains("metallb_allocator_ipv4_addresses_total{pool=\"p\"} 4.0\n")
                      .contains("metallb_allocator_ipv6_addresses_total{pool=\"p\"} 4.0\n")
                      .contains("metallb_allocator_addresses_in_use_total{pool=\"p\"} 1.0\n")
                      .contains("metallb_allocator_ipv4_addresses_in_use_total{pool=\"p\"} 1.0\n")
                      .contains("metallb_allocator_ipv6_addresses_in_use_total{pool=\"p\"} 0.0\n")
                      .contains("metallb_allocator_services_allocated_total{pool=\"p\"} 1.0\n")
                      .contains("metallb_k8s_client_config_loaded_bool 1.0\n")
                      .contains("metallb_k8s_client_config_stale_bool 0.0\n")
                      .contains("metallb_k8s_client_update_errors_total 0.0\n")
                      .containsPattern("metallb_k8s_client_updates_total [1-9]"));

      Files.writeString(dir.resolve("pool.yaml"), POOL.formatted("10.222.4.0/33"));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(metrics.render())
                      .contains("metallb_k8s_client_config_stale_bool 1.0\n")
                      .containsPattern("metallb_k8s_client_update_errors_total [1-9]")
                      .contains("metallb_k8s_client_config_loaded_bool 1.0\n"));
    } finally {
      own.shutdownTestKit();
    }
  }

  @Test
  void allocatorActorServesStandaloneAllocationsFromMemory(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("pool.yaml"), POOL.formatted("10.222.3.0/31"));
    Files.writeString(dir.resolve("a.yaml"), SERVICE.formatted("a"));
    InMemoryStatusWriter status = new InMemoryStatusWriter();
    ActorRef<AllocatorActor.Command> allocator =
        kit.spawn(
            AllocatorActor.create(FileSource.watch(dir, Duration.ofMillis(100)), status, null));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> status.services().containsKey(new ServiceKey("default", "a")));
    assertThat(status.services().get(new ServiceKey("default", "a")).ips())
        .containsExactly("10.222.3.0");

    Files.writeString(dir.resolve("b.yaml"), SERVICE.formatted("b"));
    Files.writeString(dir.resolve("c.yaml"), SERVICE.formatted("c"));
    TestProbe<AllocatorActor.Allocations> probe = kit.createTestProbe();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              allocator.tell(new AllocatorActor.GetAllocations(probe.ref()));
              AllocatorActor.Allocations a = probe.receiveMessage();
              assertThat(a.services().keySet())
                  .containsExactly("default/a", "default/b", "default/c");
              assertThat(a.services().get("default/b").ips()).containsExactly("10.222.3.1");
              assertThat(a.services().get("default/c").error())
                  .isEqualTo("no available IPs in pool \"p\"");
              assertThat(a.pools().get(0).availableIPv4()).isZero();
            });
    assertThat(status.events())
        .extracting(InMemoryStatusWriter.Event::reason)
        .containsExactlyInAnyOrder("IPAllocated", "IPAllocated", "AllocationFailed");

    Files.delete(dir.resolve("a.yaml"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> status.services().containsKey(new ServiceKey("default", "c")));
    assertThat(status.services().get(new ServiceKey("default", "c")).ips())
        .containsExactly("10.222.3.0");
    kit.stop(allocator);
  }

  private static List<String> poolAddresses(Snapshot s) {
    return s.resources().pools().stream()
        .map(IPAddressPool::spec)
        .flatMap(p -> p.addresses().stream())
        .toList();
  }
}
