package io.ironlb.l2.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.Pcaps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LinkIo} over libpcap (pcap4j), opened in immediate mode: without it every ARP answer would
 * wait for the capture buffer's timeout. A responder captures only {@link #REQUESTS} (the kernel
 * drops everything else before it is copied to the JVM); a client, {@code arp or icmp6}. One
 * receive thread per interface. Multicast groups are joined through a plain {@link DatagramChannel}
 * (the kernel then sends the MLD reports). Needs CAP_NET_RAW and Debian's libpcap0.8.
 */
public final class PcapLinkIo implements LinkIo {
  private static final Logger log = LoggerFactory.getLogger(PcapLinkIo.class);

  private final String name;
  private final MacAddress mac;
  private final PcapHandle receive;
  private final PcapHandle transmit;
  private final NetworkInterface nic;
  private final DatagramChannel groups;
  private final Map<Inet6Address, MembershipKey> joined = new HashMap<>();
  private volatile boolean running;
  private Thread receiver;

  /**
   * What a responder must see: ARP requests that are not gratuitous (opcode 1, sender and target
   * protocol addresses differ) and Neighbor Solicitations (ICMPv6 type 135 right after the IPv6
   * header, as hosts send them). A mass failover puts thousands of gratuitous frames a second on
   * the segment, its own echoed back included; filtered in the kernel, they cost the responder
   * nothing, and the requests of clients waiting for an answer are not queued behind them. (Another
   * node's gratuitous request for an address this node holds is not answered either: during a
   * hand-over that answer would only turn clients back to the old owner.)
   */
  public static final String REQUESTS =
      "(arp and arp[6:2] = 1 and arp[14:4] != arp[24:4]) or (icmp6 and ip6[40] = 135)";

  /** A capture of every ARP and ICMPv6 frame (a client's view). */
  public PcapLinkIo(String name) {
    this(name, "arp or icmp6");
  }

  /** A capture of the frames that match {@code filter} (libpcap syntax). */
  public PcapLinkIo(String name, String filter) {
    this.name = name;
    try {
      nic = NetworkInterface.getByName(name);
      if (nic == null || nic.getHardwareAddress() == null) {
        throw new IllegalArgumentException("no Ethernet interface named " + name);
      }
      mac = MacAddress.of(nic.getHardwareAddress());
      PcapNetworkInterface dev = Pcaps.getDevByName(name);
      receive =
          new PcapHandle.Builder(dev.getName())
              .snaplen(256)
              .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
              .immediateMode(true)
              .timeoutMillis(100)
              .build();
      receive.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
      transmit = new PcapHandle.Builder(dev.getName()).snaplen(64).immediateMode(true).build();
      // A handle captures as well as sends: without a filter the kernel would copy every frame on
      // the segment into this one's buffer too (thousands a second in a mass failover), for
      // nobody to read. "less 1" matches no frame.
      transmit.setFilter("less 1", BpfProgram.BpfCompileMode.OPTIMIZE);
      groups = DatagramChannel.open(StandardProtocolFamily.INET6);
    } catch (PcapNativeException | NotOpenException e) {
      throw new IllegalStateException(
          "cannot open " + name + " with libpcap: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public MacAddress mac() {
    return mac;
  }

  @Override
  public void start(Consumer<byte[]> sink) {
    running = true;
    receiver =
        new Thread(
            () -> {
              while (running) {
                try {
                  byte[] frame = receive.getNextRawPacket();
                  if (frame != null) {
                    sink.accept(frame);
                  }
                } catch (NotOpenException e) {
                  return;
                } catch (RuntimeException e) {
                  log.warn("{}: receive failed: {}", name, e.toString());
                }
              }
            },
            "ironlb-link-" + name);
    receiver.setDaemon(true);
    receiver.start();
  }

  @Override
  public void send(byte[] frame) {
    try {
      transmit.sendPacket(frame);
    } catch (PcapNativeException | NotOpenException e) {
      log.warn("{}: send failed: {}", name, e.getMessage());
    }
  }

  @Override
  public synchronized void join(Inet6Address group) {
    if (joined.containsKey(group)) {
      return;
    }
    try {
      joined.put(group, groups.join(group, nic));
    } catch (IOException e) {
      log.warn("{}: cannot join {}: {}", name, group.getHostAddress(), e.getMessage());
    }
  }

  @Override
  public synchronized void leave(Inet6Address group) {
    MembershipKey key = joined.remove(group);
    if (key != null) {
      key.drop();
    }
  }

  @Override
  public void close() {
    running = false;
    // Wake the receive thread first: in immediate mode libpcap's read timeout does not apply, so
    // on a quiet link (a responder's filter passes only requests) it would wait for a frame that
    // never comes, holding the handle, and close() would wait with it (found by
    // LinkResponderRealPeersIT: the test kit could not stop the responder).
    try {
      receive.breakLoop();
    } catch (NotOpenException e) {
      // already closed
    }
    if (receiver != null) {
      try {
        receiver.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    receive.close();
    transmit.close();
    try {
      groups.close();
    } catch (IOException e) {
      log.debug("{}: closing the multicast channel: {}", name, e.getMessage());
    }
  }
}
