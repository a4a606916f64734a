package io.ironlb.ipam;

import inet.ipaddr.IPAddress;
import java.util.Collection;

/** The address families a Service asks for. */
public enum Family {
  IPV4,
  IPV6,
  DUAL;

  public static Family of(IPAddress a) {
    return a.isIPv4() ? IPV4 : IPV6;
  }

  /** The family of a set of addresses: one of each family is DUAL; anything else is invalid. */
  public static Family of(Collection<IPAddress> addresses) {
    long v4 = addresses.stream().filter(IPAddress::isIPv4).count();
    long v6 = addresses.size() - v4;
    if (v4 == 1 && v6 == 1) {
      return DUAL;
    }
    if (addresses.size() == 1) {
      return v4 == 1 ? IPV4 : IPV6;
    }
    throw new IllegalArgumentException(
        "expected one address, or one IPv4 and one IPv6 address, got " + addresses);
  }

  public boolean includes(IPAddress a) {
    return this == DUAL || this == of(a);
  }

  public String label() {
    return switch (this) {
      case IPV4 -> "IPv4";
      case IPV6 -> "IPv6";
      case DUAL -> "dual-stack";
    };
  }
}
