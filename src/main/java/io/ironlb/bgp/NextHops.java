package io.ironlb.bgp;

import io.ironlb.bgp.wire.IpPrefix;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Collection;

/**
 * This end's next hop for each family on one connection. The connection's own family uses its local
 * address; the other family (MetalLB's {@code dualStackAddressFamily}) an address of that family on
 * the same interface, as FRR picks one from the update source's interface. An IPv4 route may go
 * with an IPv6 next hop where the extended next hop capability was agreed (RFC 8950), which is how
 * an unnumbered session over link-local addresses carries IPv4. Pure.
 *
 * @param ipv4 the next hop of IPv4 routes, or null
 * @param ipv6 the next hop of IPv6 routes, or null
 * @param ipv6ForIpv4 IPv4 routes without an IPv4 next hop take the IPv6 one (RFC 8950 §3)
 */
record NextHops(Inet4Address ipv4, Inet6Address ipv6, boolean ipv6ForIpv4) {

  /**
   * From the connection's local address and the addresses of the interface it leaves by. A session
   * over link-local addresses (unnumbered) has no IPv4 next hop of its own: its IPv4 routes need
   * the extended next hop, and its IPv6 routes use a global address of the interface if it has one,
   * else the link-local one (RFC 2545 §3 allows it to a directly connected peer).
   */
  static NextHops of(InetAddress local, Collection<InetAddress> interfaceAddresses) {
    if (local instanceof Inet4Address v4) {
      return new NextHops(v4, global6(interfaceAddresses), false);
    }
    Inet6Address v6 = (Inet6Address) local;
    if (v6.isLinkLocalAddress()) {
      Inet6Address global = global6(interfaceAddresses);
      return new NextHops(null, global != null ? global : v6, false);
    }
    Inet4Address v4 = null;
    for (InetAddress a : interfaceAddresses) {
      if (a instanceof Inet4Address four && !four.isLoopbackAddress()) {
        v4 = four;
        break;
      }
    }
    return new NextHops(v4, v6, false);
  }

  /** As this, with IPv4 routes allowed an IPv6 next hop or not (what the OPENs agreed). */
  NextHops withIpv6ForIpv4(boolean agreed) {
    return new NextHops(ipv4, ipv6, agreed);
  }

  /** The next hop for {@code prefix}, or null when this connection cannot carry it. */
  InetAddress forPrefix(IpPrefix prefix) {
    if (!prefix.isIpv4()) {
      return ipv6;
    }
    return ipv4 != null ? ipv4 : ipv6ForIpv4 ? ipv6 : null;
  }

  private static Inet6Address global6(Collection<InetAddress> addresses) {
    for (InetAddress a : addresses) {
      if (a instanceof Inet6Address six
          && !six.isLinkLocalAddress()
          && !six.isLoopbackAddress()
          && !six.isAnyLocalAddress()) {
        return six;
      }
    }
    return null;
  }
}
