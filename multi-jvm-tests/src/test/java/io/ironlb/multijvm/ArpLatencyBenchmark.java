package io.ironlb.multijvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How fast a node answers ARP for an address it owns: one {@code ironlb standalone} node in the
 * namespace lab, and a client sending broadcast ARP requests with {@code arping}, one process per
 * request (which times its request to the reply). The same client asks for the node's own interface
 * address too, which the node's kernel answers: the baseline of the same path without IronLB. Run
 * with {@code scripts/bench-arp.sh [requests]} (root; the lab's namespaces are removed at the end).
 */
public final class ArpLatencyBenchmark {
  private static final String VIP = Layer2Lab.V4 + ".200";
  private static final Pattern TIME =
      Pattern.compile("reply from \\S+ \\[[0-9A-F:]+\\]\\s+([0-9.]+)ms");

  private ArpLatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    if (!Netns.available("arping")) {
      System.err.println("needs root and arping");
      System.exit(2);
    }
    Path config = Files.createTempDirectory("ironlb-bench-");
    Layer2Lab.writeConfig(config, List.of(VIP + "/32"), Layer2Lab.services("web", 1, false));
    try (Layer2Lab lab = new Layer2Lab(config, 1, List.of())) {
      lab.start(1);
      Layer2Lab.within(
          java.time.Duration.ofSeconds(60),
          () -> lab.arpingMacs(VIP, 1).isEmpty() ? null : true,
          VIP + " answered");
      // Warm-up: the JIT compiles the responder's path before anything is timed.
      times(lab, VIP, 300);
      List<Double> ironlb = times(lab, VIP, requests);
      List<Double> kernel = times(lab, Layer2Lab.V4 + ".1", requests);
      System.out.printf(
          "%nARP request -> reply at the client, %d broadcast requests, one arping each:%n",
          requests);
      report("IronLB (libpcap responder), " + VIP, ironlb, requests);
      report("the node's kernel, its own " + Layer2Lab.V4 + ".1", kernel, requests);
    }
  }

  /** The client's request-to-reply times (ms) for {@code count} requests for {@code ip}. */
  private static List<Double> times(Layer2Lab lab, String ip, int count)
      throws java.io.IOException {
    String output;
    // One arping per request, as a client resolving an address once: its broadcast request is
    // timed to the reply. (iputils arping takes whole-second intervals only.)
    // (Into a file: thousands of lines would fill a pipe nobody reads until the end.)
    Path log = Files.createTempFile("ironlb-arping-", ".txt");
    try {
      Netns.Result r =
          Netns.run(
              List.of(
                  "ip",
                  "netns",
                  "exec",
                  lab.client(),
                  "sh",
                  "-c",
                  "for i in $(seq "
                      + count
                      + "); do arping -b -f -w 1 -I eth0 "
                      + ip
                      + "; done > "
                      + log),
              java.time.Duration.ofMinutes(10));
      if (r.exit() != 0) {
        System.err.println("arping loop: " + r.output());
      }
      output = Files.readString(log);
    } finally {
      Files.deleteIfExists(log);
    }
    List<Double> out = new ArrayList<>();
    Matcher m = TIME.matcher(output);
    while (m.find()) {
      out.add(Double.parseDouble(m.group(1)));
    }
    return out;
  }

  private static void report(String what, List<Double> ms, int sent) {
    if (ms.isEmpty()) {
      System.out.printf("  %s: no replies to %d requests%n", what, sent);
      return;
    }
    List<Double> s = new ArrayList<>(ms);
    Collections.sort(s);
    System.out.printf(
        "  %-48s p50 %.3f ms, p99 %.3f ms, max %.3f ms, min %.3f ms (%d replies to %d requests)%n",
        what + ":",
        s.get((s.size() - 1) / 2),
        s.get((int) Math.ceil(s.size() * 0.99) - 1),
        s.get(s.size() - 1),
        s.get(0),
        s.size(),
        sent);
  }
}
