package io.ironlb.multijvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BFD against FRR's bfdd: each of three speakers holds a BFD session Up with the router; a frozen
 * speaker's next hop leaves FRR's kernel route within a second — measured and printed against the
 * goal of detectMultiplier × interval + 100 ms, whose distribution {@link BfdBenchmark} reports;
 * BGP's hold time is 30 s, so nothing else could have removed it — and both sessions come back when
 * it resumes.
 */
class BfdFrrIT {
  @TempDir Path config;

  @Test
  void aFrozenSpeakersNextHopLeavesTheRouterWithinTheBfdDetectionTime() throws Exception {
    assumeTrue(Netns.available("vtysh", "/usr/lib/frr/bfdd", "curl"), "needs root, FRR, curl");
    try (BfdLab bfd = new BfdLab(config, IronlbProcess.PATIENT_DETECTOR)) {
      try {
        bfd.awaitAllUp();
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(bfd.lab.http(1, "/metrics"))
                        .contains("metallb_bfd_session_up{peer=\"" + BfdLab.ROUTER + "\"} 1.0\n"));

        double ms = bfd.freeze(2) / 1e6;
        System.out.printf("BFD: FRR dropped the frozen speaker's next hop after %.1f ms%n", ms);
        // The goal is 3 x 100 ms + 100 ms, and every run so far met it (305-390 ms here, 20 of 20
        // in scripts/bench-bfd.sh, which reports the distribution). The bound asserted leaves
        // room for a loaded CI machine delaying FRR's own processing, while still far below the
        // 30 s hold time: only BFD can have removed the path this soon.
        assertThat(ms).as("BFD, not the 30 s hold time").isLessThan(1000);
        assertThat(bfd.kernelRoute()).contains("via 10.222.70.1 ").contains("via 10.222.70.3 ");
        // FRR says why the session went: BFD, not the (30 s) hold timer.
        assertThat(
                java.nio.file.Files.readString(
                    bfd.routers.work().resolve("frr-" + bfd.frr).resolve("bgpd.log")))
            .contains("sent to neighbor 10.222.70.2 6/10 (Cease/BFD Down)");

        bfd.resume(2);
        assertThat(bfd.kernelRoute()).contains("via 10.222.70.2 ");
      } catch (Exception | AssertionError e) {
        System.out.println(bfd.lab.logTails(40));
        throw e;
      }
    }
  }
}
