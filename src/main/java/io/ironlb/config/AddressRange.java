package io.ironlb.config;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressSeqRange;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/**
 * One entry of {@code IPAddressPool.spec.addresses}: a CIDR ({@code 10.222.1.0/24}) or an inclusive
 * range ({@code 10.222.2.10-10.222.2.20}), IPv4 or IPv6, held as a sequential range.
 *
 * @param text what the user wrote, for messages
 * @param range the addresses it covers
 */
public record AddressRange(String text, IPAddressSeqRange range) {

  public static AddressRange parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty address range");
    }
    int dash = text.indexOf('-');
    if (dash < 0) {
      try {
        return new AddressRange(text, IpAddresses.parseCidr(text).toSequentialRange());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "invalid CIDR \"" + text + "\": " + e.getMessage() + "; write a CIDR or a range a-b");
      }
    }
    String startText = text.substring(0, dash).trim();
    String endText = text.substring(dash + 1).trim();
    IPAddress start;
    IPAddress end;
    try {
      start = IpAddresses.parseAddress(startText);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid IP range \"" + text + "\": invalid start IP \"" + startText + "\"");
    }
    try {
      end = IpAddresses.parseAddress(endText);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid IP range \"" + text + "\": invalid end IP \"" + endText + "\"");
    }
    if (start.isIPv4() != end.isIPv4()) {
      throw new IllegalArgumentException(
          "invalid IP range \"" + text + "\": start and end are of different families");
    }
    if (start.compareTo(end) > 0) {
      throw new IllegalArgumentException(
          "invalid IP range \""
              + text
              + "\": start IP \""
              + startText
              + "\" is after the end IP \""
              + endText
              + "\"");
    }
    return new AddressRange(text, start.spanWithRange(end));
  }

  public boolean isIpv4() {
    return range.getLower().isIPv4();
  }

  public boolean overlaps(AddressRange other) {
    return isIpv4() == other.isIpv4() && range.overlaps(other.range);
  }

  public boolean contains(IPAddress address) {
    return range.contains(address);
  }

  public BigInteger size() {
    return range.getCount();
  }

  /** The smallest set of CIDR blocks that covers the range exactly. */
  public List<IPAddress> prefixBlocks() {
    return Arrays.asList(range.spanWithPrefixBlocks());
  }

  /**
   * The shortest prefix length among {@link #prefixBlocks()}: an aggregation length shorter than
   * this would announce addresses outside the pool (MetalLB's {@code lowestMask}).
   */
  public int widestPrefixLength() {
    return prefixBlocks().stream()
        .mapToInt(IPAddress::getNetworkPrefixLength)
        .min()
        .orElse(range.getLower().getBitCount());
  }

  @Override
  public String toString() {
    return text;
  }
}
