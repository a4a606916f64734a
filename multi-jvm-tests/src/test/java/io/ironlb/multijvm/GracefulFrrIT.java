package io.ironlb.multijvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graceful restart (RFC 4724) and graceful shutdown (RFC 8326) against FRR: a restarted speaker's
 * route stays in FRR's table, stale, with no gap in its kernel FIB, until the new process has
 * resent it and End-of-RIB; a drained speaker's path carries GRACEFUL_SHUTDOWN and leaves FRR's
 * forwarding while it is still announced, and is withdrawn only after the drain time.
 */
class GracefulFrrIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROUTER = "10.222.70.101";

  @TempDir Path config;
  private Layer2Lab lab;
  private BgpRouters routers;
  private String frr;

  @AfterEach
  void tearDown() {
    if (routers != null) {
      routers.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  /** {@code nodes} speakers and FRR; the BGPPeer with or without graceful restart. */
  private String start(int nodes, boolean gracefulRestart, List<String> jvmOptions, boolean write)
      throws Exception {
    assumeTrue(Netns.available("vtysh", "curl"), "needs root, FRR, curl");
    Layer2Lab.writeConfig(
        config,
        List.of("10.222.70.240/32"),
        Layer2Lab.routedWeb("{ipAddressPools: [routed]}")
            + """
            ---
            apiVersion: metallb.io/v1beta2
            kind: BGPPeer
            metadata: {name: frr, namespace: metallb-system}
            spec: {myASN: 64512, peerASN: 64500, peerAddress: %s, holdTime: 9s, enableGracefulRestart: %s}
            """
                .formatted(ROUTER, gracefulRestart));
    List<String> options = new ArrayList<>(IronlbProcess.PATIENT_DETECTOR);
    options.addAll(jvmOptions);
    lab = new Layer2Lab(config, nodes, options);
    if (write) {
      lab.withWriteRoutes();
    }
    routers = new BgpRouters();
    frr = lab.extraHost("rfrr", 101);
    routers.startFrr(lab.net(), frr, 64500, ROUTER, 64512, "10.222.70.0/24", "fd00:222:70::/64");
    for (int id = 1; id <= nodes; id++) {
      lab.start(id);
    }
    return lab.ipOf("web");
  }

  private JsonNode paths(String vip) throws Exception {
    String out = routers.vtysh(lab.net(), frr, "show bgp ipv4 unicast " + vip + "/32 json");
    JsonNode paths = out.isBlank() ? null : JSON.readTree(out).path("paths");
    return paths == null || !paths.isArray() ? JSON.createArrayNode() : paths;
  }

  private String kernel(String vip) {
    return lab.net().in(frr, "ip", "route", "show", vip).output();
  }

  @Test
  void aRestartedSpeakersRouteStaysStaleWithNoGapUntilEndOfRib() throws Exception {
    String vip = start(1, true, List.of(), false);
    await().atMost(Duration.ofSeconds(90)).until(() -> kernel(vip).contains("via 10.222.70.1 "));

    // Watch FRR's kernel FIB for the whole restart.
    AtomicBoolean watching = new AtomicBoolean(true);
    AtomicInteger gaps = new AtomicInteger();
    AtomicInteger looks = new AtomicInteger();
    Thread watcher =
        new Thread(
            () -> {
              while (watching.get()) {
                if (!kernel(vip).contains("via 10.222.70.1 ")) {
                  gaps.incrementAndGet();
                }
                looks.incrementAndGet();
              }
            });
    watcher.start();
    try {
      // A planned stop of a graceful-restart session: no NOTIFICATION, no withdrawal.
      lab.process(1).terminate();
      assertThat(lab.process(1).awaitExit(Duration.ofSeconds(30))).isNotNegative();
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () -> {
                JsonNode p = paths(vip);
                assertThat(p.size()).isEqualTo(1);
                assertThat(p.get(0).path("stale").asBoolean()).as("stale while away").isTrue();
              });

      lab.start(1);
      // The new process resends the route and End-of-RIB: the stale flag goes.
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                JsonNode p = paths(vip);
                assertThat(p.size()).isEqualTo(1);
                assertThat(p.get(0).path("stale").asBoolean()).isFalse();
              });
    } finally {
      watching.set(false);
      watcher.join();
    }
    System.out.printf(
        "graceful restart: FRR's kernel route looked at %d times, missing %d times%n",
        looks.get(), gaps.get());
    assertThat(looks.get()).isPositive();
    assertThat(gaps.get()).as("no gap in FRR's kernel FIB").isZero();
    assertThat(
            java.nio.file.Files.readString(
                routers.work().resolve("frr-" + frr).resolve("bgpd.log")))
        .contains("rcvd End-of-RIB for IPv4 Unicast from 10.222.70.1");
  }

  @Test
  void aDrainedSpeakerLosesTheTrafficBeforeItsPathIsWithdrawn() throws Exception {
    String vip = start(2, false, List.of("-Dironlb.bgp.drain-time=6s"), true);
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                kernel(vip).contains("via 10.222.70.1 ")
                    && kernel(vip).contains("via 10.222.70.2 "));

    IronlbProcess drain =
        IronlbProcess.startIn(
            lab.namespace(2),
            "drain",
            List.of("drain", "--http", "127.0.0.1:" + Layer2Lab.HTTP_PORT));
    try {
      // During the drain time: node-2's path is still there, with GRACEFUL_SHUTDOWN and the
      // LOCAL_PREF FRR gives such paths (0), and FRR no longer forwards over it.
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(
              () -> {
                JsonNode paths = paths(vip);
                assertThat(paths.size()).isEqualTo(2);
                JsonNode drained = null;
                for (JsonNode p : paths) {
                  if (p.toString().contains("10.222.70.2")) {
                    drained = p;
                  }
                }
                assertThat(drained).isNotNull();
                assertThat(drained.path("community").toString())
                    .containsPattern("(?i)graceful-?shutdown");
                assertThat(drained.path("locPrf").asInt(-1)).isZero();
                assertThat(kernel(vip))
                    .contains("via 10.222.70.1")
                    .doesNotContain("via 10.222.70.2");
              });
      // Then withdrawn and closed; the command reports success.
      await().atMost(Duration.ofSeconds(20)).until(() -> paths(vip).size() == 1);
      assertThat(drain.awaitExit(Duration.ofSeconds(20))).isZero();
      assertThat(drain.stdout()).contains("drained");
    } finally {
      drain.close();
    }
  }
}
