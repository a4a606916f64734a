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
