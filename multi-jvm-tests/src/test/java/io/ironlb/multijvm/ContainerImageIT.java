package io.ironlb.multijvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: the container image that {@code scripts/build-image.sh} builds runs IronLB. It reports
 * the project's version; and a node started from it (host network of its lab namespace, NET_RAW and
 * NET_ADMIN) joins a node started from the jar in one cluster, and answers ARP for every address
 * once the jar node is killed.
 */
class ContainerImageIT {
  private static ContainerImage image;

  @TempDir Path config;
  private Layer2Lab lab;

  @RegisterExtension
  final AfterTestExecutionCallback logsOnFailure = Layer2Lab.logsOnFailure(() -> lab);

  @BeforeAll
  static void image() throws Exception {
    assumeTrue(Netns.available("podman", "runc", "arping"), "needs root, podman, runc, arping");
    image = ContainerImage.load();
  }

  @AfterAll
  static void removeImage() {
    if (image != null) {
      image.close();
    }
  }

  @AfterEach
  void tearDown() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void theImageRunsIronlbOfThisVersion() throws Exception {
    String out = ContainerImage.run(Path.of("."), Duration.ofMinutes(2), image.once("--version"));
    assertThat(out).contains("ironlb " + ContainerImage.version());
  }

  /**
   * The image's class-data sharing archive belongs to its jar and its JDK: with {@code -Xshare:on},
   * under which a JVM that cannot use its archive refuses to start, the image runs, and IronLB's
   * own classes come from the archive (the JDK's default one holds only the JDK's).
   */
  @Test
  void theImageStartsFromItsClassDataSharingArchive() throws Exception {
    String out =
        ContainerImage.run(
            Path.of("."),
            Duration.ofMinutes(2),
            image.once(List.of("JAVA_TOOL_OPTIONS=-Xshare:on -Xlog:class+load=info"), "--version"));
    assertThat(out)
        .contains("ironlb " + ContainerImage.version())
        .contains("io.ironlb.Main source: shared objects file");
  }

  /**
   * The image node starts first and so owns every address (with the sticky spread, which this lab
   * sets); two jar nodes join it. It answers ARP for them all with its own MAC, in a cluster the
   * three agree on; killed, its addresses move to the jar nodes.
   */
  @Test
  void aNodeFromTheImageServesBesideJarNodesAndHandsOverWhenKilled() throws Exception {
    Layer2Lab.writeConfig(
        config, List.of("10.222.70.200-10.222.70.210"), Layer2Lab.services("web", 3, false));
    List<String> sticky = new java.util.ArrayList<>(IronlbProcess.PATIENT_DETECTOR);
    sticky.add("-Dironlb.layer2.spread=sticky");
    lab = new Layer2Lab(config, 3, sticky);
    lab.startFromImage(1, image);
    await()
        .atMost(Duration.ofSeconds(150))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> lab.agreedOwners(List.of(1)), o -> o != null && o.size() == 3);
    List<String> addresses = List.of(lab.ipOf("web-0"), lab.ipOf("web-1"), lab.ipOf("web-2"));
    lab.start(2);
    lab.start(3);
    List<Integer> all = List.of(1, 2, 3);
    Map<String, String> owners =
        await()
            .atMost(Duration.ofSeconds(150))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    all.stream().allMatch(id -> lab.upMembers(id) == 3)
                        ? lab.agreedOwners(all)
                        : null,
                o -> o != null && o.size() == 3);
    assertThat(owners.values()).containsOnly(Layer2Lab.node(1));
    String imageMac = Layer2Lab.mac(1).toUpperCase();
    for (String ip : addresses) {
      assertThat(lab.arpingMacs(ip, 2)).as("%s, from the image node", ip).containsOnly(imageMac);
    }

    image.kill("ironlb-n1");
    List<String> jarMacs = List.of(Layer2Lab.mac(2).toUpperCase(), Layer2Lab.mac(3).toUpperCase());
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              for (String ip : addresses) {
                List<String> macs = lab.arpingMacs(ip, 1);
                assertThat(macs).as("%s after the image node's death", ip).hasSize(1);
                assertThat(jarMacs).contains(macs.get(0));
              }
            });
  }
}
