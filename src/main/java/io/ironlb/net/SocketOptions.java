package io.ironlb.net;

import io.netty.channel.unix.IntegerUnixChannelOption;
import java.net.Inet4Address;
import java.net.InetAddress;

/** Linux socket options that Netty does not name, shared by the BGP and BFD sockets. */
public final class SocketOptions {
  private SocketOptions() {}

  /** setsockopt(IPPROTO_IP, IP_TTL), from Linux's in.h. */
  private static final IntegerUnixChannelOption IP_TTL =
      new IntegerUnixChannelOption("IP_TTL", 0, 2);

  /** setsockopt(IPPROTO_IPV6, IPV6_UNICAST_HOPS), from Linux's in6.h. */
  private static final IntegerUnixChannelOption IPV6_UNICAST_HOPS =
      new IntegerUnixChannelOption("IPV6_UNICAST_HOPS", 41, 16);

  /** The option that sets the TTL (IPv4) or hop limit (IPv6) of packets sent to {@code peer}. */
  public static IntegerUnixChannelOption unicastHops(InetAddress peer) {
    return peer instanceof Inet4Address ? IP_TTL : IPV6_UNICAST_HOPS;
  }
}
