package io.ironlb.config;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;

/**
 * Strict parsing of addresses and CIDRs as Kubernetes and Go's net package accept them: dotted
 * quads and RFC 4291 text only — no inet_aton shorthands, wildcards, segment ranges or leading
 * zeros that the IPAddress library would otherwise take.
 */
public final class IpAddresses {
  private IpAddresses() {}

  private static final IPAddressStringParameters WITH_PREFIX = parameters(true);
  private static final IPAddressStringParameters WITHOUT_PREFIX = parameters(false);

  private static IPAddressStringParameters parameters(boolean allowPrefix) {
    IPAddressStringParameters.Builder b =
        new IPAddressStringParameters.Builder()
            .allowEmpty(false)
            .allowAll(false)
            .allowSingleSegment(false)
            .allowMask(false)
            .allowPrefixOnly(false)
            .allowWildcardedSeparator(false)
            .allowPrefix(allowPrefix)
            .setRangeOptions(RangeParameters.NO_RANGE);
    b.allow_inet_aton(false);
    b.getIPv4AddressParametersBuilder()
        .allowLeadingZeros(false)
        .allowPrefixLengthLeadingZeros(false)
        .allowBinary(false);
    b.getIPv6AddressParametersBuilder().allowBinary(false).allowPrefixLengthLeadingZeros(false);
    return b.toParams();
  }

  /**
   * A single address such as {@code 10.222.0.1} or {@code fd00:222::1}.
   *
   * @throws IllegalArgumentException with a reason that does not repeat the text
   */
  public static IPAddress parseAddress(String text) {
    try {
      return new IPAddressString(text.trim(), WITHOUT_PREFIX).toAddress();
    } catch (AddressStringException | RuntimeException e) {
      throw new IllegalArgumentException("not an IP address");
    }
  }

  /** A CIDR such as {@code 10.222.1.0/24}; host bits are allowed and dropped, as Go does. */
  public static IPAddress parseCidr(String text) {
    IPAddress address;
    try {
      address = new IPAddressString(text.trim(), WITH_PREFIX).toAddress();
    } catch (AddressStringException | RuntimeException e) {
      throw new IllegalArgumentException("not a CIDR");
    }
    if (!address.isPrefixed()) {
      throw new IllegalArgumentException(
          "no prefix length (write " + text.trim() + "/" + address.getBitCount() + ")");
    }
    return address.toPrefixBlock();
  }
}
