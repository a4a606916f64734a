package io.ironlb.l2.link;

import java.net.Inet6Address;
import java.util.function.Consumer;

/**
 * One interface's link layer: raw Ethernet frames in and out, and IPv6 multicast membership. The
 * port that keeps pcap (unmaintained) out of the rest of the code; tests put a fake behind it.
 */
public interface LinkIo extends AutoCloseable {

  String name();

  MacAddress mac();

  /**
   * Starts delivering received ARP and ICMPv6 frames to {@code receiver}, on a thread of the
   * implementation's own (never the caller's).
   */
  void start(Consumer<byte[]> receiver);

  /** Sends one frame; returns quickly (a syscall), never waits for the network. */
  void send(byte[] frame);

  /**
   * Joins an IPv6 multicast group on the interface, so that switches with MLD snooping deliver
   * solicitations for it (RFC 4861 §7.2.1: a node joins the solicited-node group of its addresses).
   */
  void join(Inet6Address group);

  void leave(Inet6Address group);

  @Override
  void close();
}
