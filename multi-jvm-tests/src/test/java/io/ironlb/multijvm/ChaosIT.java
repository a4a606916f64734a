package io.ironlb.multijvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short chaos schedule (every fault kind once, in an order drawn from a printed seed) judged by
 * what the client and the router observe ({@link Chaos}). Correctness only: no announcement from a
 * node other than the owner once a fault has settled, the lab recovers from every fault, the
 * router's next hops are the live nodes, and at the end each address is answered by exactly one
 * node. The timing figures are printed; {@code scripts/chaos.sh} runs the long schedule against the
 * timing goals with IronLB's own (faster) failure detector.
 */
class ChaosIT {
  private Chaos chaos;

  @RegisterExtension
  final AfterTestExecutionCallback logsOnFailure =
      Layer2Lab.logsOnFailure(() -> chaos == null ? null : chaos.lab());

  @AfterEach
  void tearDown() {
    if (chaos != null) {
      chaos.close();
    }
  }

  @Test
  void everyFaultKindSettlesWithOneOwnerPerAddressAndTheRouterOnTheLiveNodes(@TempDir Path config)
      throws Exception {
    assumeTrue(Netns.available("tcpdump", "arping", "vtysh"), "needs root, tcpdump, arping, FRR");
    long seed = Long.getLong("chaos.seed", System.nanoTime());
    System.out.println("ChaosIT: seed " + seed + " (-Dchaos.seed=" + seed + " repeats the order)");
    chaos = new Chaos(config, Chaos.Detector.PATIENT, seed, System.out).withShortPairCuts();
    List<Chaos.Result> results = chaos.run(Long.MAX_VALUE, Chaos.Kind.values().length);
    List<String> finalProblems = chaos.finalProblems();
    Chaos.summary(results, finalProblems).forEach(l -> System.out.println("ChaosIT: " + l));

    assertThat(results).hasSize(Chaos.Kind.values().length);
    assertThat(results).allSatisfy(r -> assertThat(r.recovered()).as(r.line()).isTrue());
    assertThat(results.stream().flatMap(r -> r.strays().stream()))
        .as("announcements from a node other than the owner, once settled")
        .isEmpty();
    assertThat(results.stream().flatMap(r -> r.routerProblems().stream())).isEmpty();
    assertThat(finalProblems).isEmpty();
  }
}
