package io.ironlb.l2.arp;

import io.ironlb.l2.link.MacAddress;
import java.net.Inet4Address;

/**
 * An ARP message for IPv4 over Ethernet (RFC 826) with the Ethernet header it came in or goes out
 * in.
 *
 * @param ethernetDestination the frame's destination (broadcast for requests)
 * @param ethernetSource the frame's source
 * @param operation {@link #REQUEST} or {@link #REPLY}
 */
public record ArpPacket(
    MacAddress ethernetDestination,
    MacAddress ethernetSource,
    int operation,
    MacAddress senderHardware,
    Inet4Address senderProtocol,
    MacAddress targetHardware,
    Inet4Address targetProtocol) {

  public static final int REQUEST = 1;
  public static final int REPLY = 2;

  public boolean isRequest() {
    return operation == REQUEST;
  }

  /** A gratuitous message announces the sender's own address (sender IP == target IP). */
  public boolean isGratuitous() {
    return senderProtocol.equals(targetProtocol);
  }
}
