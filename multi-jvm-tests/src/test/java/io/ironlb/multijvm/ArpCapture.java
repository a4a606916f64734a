package io.ironlb.multijvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@code tcpdump} on {@code eth0} of a namespace, collecting ARP lines with epoch timestamps and
 * source MACs ({@code -tt -e}). Stopped by its own PID.
 */
final class ArpCapture implements AutoCloseable {
  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private ArpCapture(Process p) {
    this.process = p;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the capture was stopped
              }
            });
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the capture and returns once tcpdump is listening. */
  static ArpCapture start(String ns) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "ip", "netns", "exec", ns, "tcpdump", "-i", "eth0", "-l", "-n", "-tt", "-e", "arp")
            .redirectErrorStream(true)
            .start();
    ArpCapture c = new ArpCapture(p);
    long deadline = System.currentTimeMillis() + 5000;
    while (c.lines.stream().noneMatch(l -> l.contains("listening on"))
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(10); // waiting for tcpdump to attach
    }
    return c;
  }

  /**
   * Whether a captured line is an announcement of {@code vip} (a reply "is-at", or a gratuitous
   * request "tell vip") sent by {@code mac}: tcpdump -e prints "SRC > DST" first.
   */
  private static boolean announces(String line, String vip, String mac) {
    return line.contains(" " + mac + " >")
        && (line.contains(vip + " is-at") || line.contains("tell " + vip + ","));
  }

  /** Every line captured so far. */
  List<String> lines() {
    return List.copyOf(lines);
  }

  /** Lines announcing {@code vip} sent by {@code mac}. */
  List<String> announcementsBy(String mac, String vip) {
    return lines.stream().filter(l -> announces(l, vip, mac)).toList();
  }

  /**
   * Epoch ms of the first announcement of {@code vip} at or after {@code after} from any MAC but
   * {@code dead}, waiting up to {@code wait}; -1 when none came.
   */
  long firstAnnouncementNotBy(String dead, String vip, long after, Duration wait)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + wait.toMillis();
    while (System.currentTimeMillis() < deadline) {
      for (String l : lines) {
        if (l.length() < 20 || !Character.isDigit(l.charAt(0)) || l.contains(" " + dead + " >")) {
          continue;
        }
        if (l.contains(vip + " is-at") || l.contains("tell " + vip + ",")) {
          long ms = (long) (Double.parseDouble(l.substring(0, l.indexOf(' '))) * 1000);
          if (ms >= after) {
            return ms;
          }
        }
      }
      Thread.sleep(20); // polling the capture's output
    }
    return -1;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
