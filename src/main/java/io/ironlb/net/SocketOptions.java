package io.ironlb.net;

import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.unix.RawUnixChannelOption;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Linux socket options that Netty does not name, shared by the BGP and BFD sockets. */
public final class SocketOptions {
  private SocketOptions() {}

  /** setsockopt(IPPROTO_IP, IP_TTL), from Linux's in.h. */
  private static final IntegerUnixChannelOption IP_TTL =
      new IntegerUnixChannelOption("IP_TTL", 0, 2);

  /** setsockopt(IPPROTO_IPV6, IPV6_UNICAST_HOPS), from Linux's in6.h. */
  private static final IntegerUnixChannelOption IPV6_UNICAST_HOPS =
      new IntegerUnixChannelOption("IPV6_UNICAST_HOPS", 41, 16);

  /** setsockopt(SOL_SOCKET, SO_BINDTODEVICE), from Linux's socket.h: at most IFNAMSIZ bytes. */
  private static final RawUnixChannelOption SO_BINDTODEVICE =
      new RawUnixChannelOption("SO_BINDTODEVICE", 1, 25, 16);

  /**
   * The option that binds a socket to a device; for a Linux VRF device, the socket then routes and
   * picks addresses in that VRF's table only (Documentation/networking/vrf.rst).
   */
  public static RawUnixChannelOption bindToDevice() {
    return SO_BINDTODEVICE;
  }

  /**
   * The value {@link #bindToDevice()} takes: the device's name, NUL-padded to IFNAMSIZ (the kernel
   * reads at most 15 bytes and ends the name at the first NUL).
   */
  public static ByteBuffer deviceName(String device) {
    byte[] name = device.getBytes(StandardCharsets.US_ASCII);
    if (name.length > 15) {
      throw new IllegalArgumentException("device name longer than 15 bytes: " + device);
    }
    ByteBuffer value = ByteBuffer.allocateDirect(16);
    value.put(name);
    value.clear();
    return value;
  }

  /** The option that sets the TTL (IPv4) or hop limit (IPv6) of packets sent to {@code peer}. */
  public static IntegerUnixChannelOption unicastHops(InetAddress peer) {
    return peer instanceof Inet4Address ? IP_TTL : IPV6_UNICAST_HOPS;
  }
}
