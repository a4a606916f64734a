package io.ironlb.multijvm;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * BFD detection at the router: in the {@link BfdLab} (100 ms × 3 both ways, BGP hold time 30 s),
 * freezes one speaker (SIGSTOP) RUNS times (default 20) and prints how long FRR took each time to
 * take the frozen speaker's next hop out of its kernel route, then the distribution. Run with
 * {@code scripts/bench-bfd.sh [RUNS]} (root; the lab's namespaces are removed at the end).
 */
public final class BfdBenchmark {
  private BfdBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    List<Double> ms = new ArrayList<>();
    try (BfdLab bfd = new BfdLab(Files.createTempDirectory("ironlb-bfdbench-"), List.of())) {
      bfd.awaitAllUp();
      for (int i = 0; i < runs; i++) {
        int node = 1 + i % 3;
        double t = bfd.freeze(node) / 1e6;
        ms.add(t);
        System.out.printf(
            "run %2d: node-%d frozen, next hop gone after %6.1f ms%n", i + 1, node, t);
        bfd.resume(node);
      }
    }
    Collections.sort(ms);
    System.out.printf(
        "%nBFD 100 ms x 3 (detection 300 ms), %d runs: min %.1f ms, p50 %.1f ms, p90 %.1f ms,"
            + " max %.1f ms; within 400 ms: %d of %d%n",
        ms.size(),
        ms.get(0),
        ms.get(ms.size() / 2),
        ms.get((int) Math.ceil(ms.size() * 0.9) - 1),
        ms.get(ms.size() - 1),
        ms.stream().filter(t -> t <= 400).count(),
        ms.size());
  }
}
