package io.ironlb.ipam;

import inet.ipaddr.IPAddress;
import io.ironlb.config.AddressRange;
import java.math.BigInteger;
import java.util.BitSet;
import java.util.NavigableSet;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Which addresses of one pool range are in use, for a lowest-free search that does not walk the
 * range: a bitset for ranges up to 2^24 addresses, a sorted set of offsets beyond (large IPv6
 * ranges, where the used part is tiny).
 */
final class RangeState {
  private static final long BITSET_LIMIT = 1L << 24;

  final AddressRange range;
  private final IPAddress lower;
  private final BigInteger lowerValue;
  private final long size;
  private final boolean ipv4;
  private final BitSet bits;
  private final NavigableSet<BigInteger> offsets;
  private long used;

  RangeState(AddressRange range) {
    this.range = range;
    this.lower = range.range().getLower();
    this.lowerValue = lower.getValue();
    BigInteger count = range.size();
    this.size = count.bitLength() < 63 ? count.longValue() : Long.MAX_VALUE;
    this.ipv4 = lower.isIPv4();
    if (size <= BITSET_LIMIT) {
      bits = new BitSet((int) size);
      offsets = null;
    } else {
      bits = null;
      offsets = new TreeSet<>();
    }
  }

  boolean isIpv4() {
    return ipv4;
  }

  boolean contains(IPAddress a) {
    return range.contains(a);
  }

  long used() {
    return used;
  }

  /** Addresses in the range, less the .0/.255 ones when they are avoided; capped at 2^63-1. */
  long capacity(boolean avoidBuggyIPs) {
    if (!ipv4 || !avoidBuggyIPs) {
      return size;
    }
    long lo = lowerValue.longValue();
    long hi = lo + size - 1;
    return size - (multiplesIn(lo, hi, 0) + multiplesIn(lo, hi, 255));
  }

  /** How many x in [lo, hi] have x mod 256 == residue. */
  private static long multiplesIn(long lo, long hi, int residue) {
    long first = lo + Math.floorMod(residue - lo, 256L);
    return first > hi ? 0 : (hi - first) / 256 + 1;
  }

  void mark(IPAddress a, boolean inUse) {
    BigInteger off = offset(a);
    if (isUsed(off) == inUse) {
      return;
    }
    used += inUse ? 1 : -1;
    if (bits != null) {
      bits.set(off.intValueExact(), inUse);
    } else if (inUse) {
      offsets.add(off);
    } else {
      offsets.remove(off);
    }
  }

  boolean isUsed(IPAddress a) {
    return isUsed(offset(a));
  }

  private boolean isUsed(BigInteger off) {
    return bits != null ? bits.get(off.intValueExact()) : offsets.contains(off);
  }

  /** The lowest address not in use, skipping .0/.255 when asked (MetalLB's getIPFromCIDR). */
  OptionalLong lowestFree(boolean avoidBuggyIPs) {
    long off = 0;
    while (off < size) {
      off = nextUnused(off);
      if (off >= size) {
        break;
      }
      if (avoidBuggyIPs && ipv4) {
        long last = (lowerValue.longValue() + off) & 0xFF;
        if (last == 0 || last == 255) {
          off++;
          continue;
        }
      }
      return OptionalLong.of(off);
    }
    return OptionalLong.empty();
  }

  private long nextUnused(long from) {
    if (bits != null) {
      return bits.nextClearBit((int) from);
    }
    long off = from;
    for (BigInteger u : offsets.tailSet(BigInteger.valueOf(from), true)) {
      if (u.longValue() != off || u.bitLength() >= 63) {
        break;
      }
      off++;
    }
    return off;
  }

  IPAddress at(long offset) {
    return lower.increment(offset).withoutPrefixLength();
  }

  private BigInteger offset(IPAddress a) {
    return a.getValue().subtract(lowerValue);
  }
}
