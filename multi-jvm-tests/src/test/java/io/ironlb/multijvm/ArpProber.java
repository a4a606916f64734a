package io.ironlb.multijvm;

import io.ironlb.l2.arp.ArpCodec;
import io.ironlb.l2.arp.ArpPacket;
import io.ironlb.l2.link.MacAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.Pcaps;

/**
 * A client that asks for each address every INTERVAL ms with a broadcast ARP request, as a host
 * whose cache entry keeps expiring would; started inside the client namespace ({@code ip netns
 * exec}). It only sends: the answers are read from tcpdump's capture, so what the checker sees is
 * the kernel's timestamped record, not this program's. Usage: {@code ArpProber IFACE MAC SENDER_IP
 * INTERVAL_MS ADDRESS...}; runs until killed.
 */
public final class ArpProber {
  private ArpProber() {}

  /**
   * Starts a prober in namespace {@code ns} (its eth0, with {@code mac} and {@code senderIp}),
   * asking for each address every {@code intervalMs}; returns once it sends. Stop it with {@code
   * destroy()}.
   */
  static Process start(
      String ns, String mac, String senderIp, long intervalMs, List<String> addresses)
      throws java.io.IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                ns,
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                ArpProber.class.getName(),
                "eth0",
                mac,
                senderIp,
                String.valueOf(intervalMs)));
    command.addAll(addresses);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    java.io.BufferedReader output =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = output.readLine()) != null; ) {
      if (line.equals("probing")) {
        Thread drain =
            new Thread(
                () -> {
                  try {
                    while (output.readLine() != null) {
                      // nothing more is expected; never let a full pipe stop the prober
                    }
                  } catch (java.io.IOException e) {
                    // the prober was stopped
                  }
                });
        drain.setDaemon(true);
        drain.start();
        return p;
      }
      seen.append(line).append('\n');
    }
    p.destroyForcibly();
    throw new IllegalStateException("the ARP prober did not start:\n" + seen);
  }

  public static void main(String[] args) throws Exception {
    PcapNetworkInterface dev = Pcaps.getDevByName(args[0]);
    MacAddress mac = MacAddress.parse(args[1]);
    Inet4Address sender = (Inet4Address) InetAddress.getByName(args[2]);
    long interval = Long.parseLong(args[3]);
    List<byte[]> requests = new ArrayList<>();
    for (int i = 4; i < args.length; i++) {
      Inet4Address target = (Inet4Address) InetAddress.getByName(args[i]);
      requests.add(
          ArpCodec.encode(
              new ArpPacket(
                  MacAddress.BROADCAST,
                  mac,
                  ArpPacket.REQUEST,
                  mac,
                  sender,
                  MacAddress.ZERO,
                  target)));
    }
    try (PcapHandle out =
        dev.openLive(128, PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS, 10)) {
      System.out.println("probing");
      long next = System.nanoTime();
      while (true) {
        for (byte[] r : requests) {
          out.sendPacket(r);
        }
        next += interval * 1_000_000;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // the probing cadence
        }
      }
    }
  }
}
