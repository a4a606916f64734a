package io.ironlb.bgp.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 prefix as carried in NLRI: the address with every bit past the length zero.
 *
 * @param address the network address
 * @param length the prefix length, at most 32 or 128
 */
public record IpPrefix(InetAddress address, int length) {

  public IpPrefix {
    int max = address instanceof Inet4Address ? 32 : 128;
    if (length < 0 || length > max) {
      throw new IllegalArgumentException(
          "prefix length " + length + " out of range for " + address);
    }
    byte[] b = address.getAddress();
    for (int bit = length; bit < b.length * 8; bit++) {
      if ((b[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
        throw new IllegalArgumentException(
            address.getHostAddress() + "/" + length + " has host bits set");
      }
    }
  }

  /** Parses {@code a.b.c.d/n} or {@code x::y/n}. */
  public static IpPrefix parse(String text) {
    int slash = text.indexOf('/');
    try {
      InetAddress a = InetAddress.getByName(slash < 0 ? text : text.substring(0, slash));
      int len =
          slash < 0
              ? (a instanceof Inet4Address ? 32 : 128)
              : Integer.parseInt(text.substring(slash + 1));
      return new IpPrefix(a, len);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address: " + text, e);
    }
  }

  public boolean isIpv4() {
    return address instanceof Inet4Address;
  }

  @Override
  public String toString() {
    return address.getHostAddress() + "/" + length;
  }
}
