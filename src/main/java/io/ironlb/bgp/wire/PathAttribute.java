package io.ironlb.bgp.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

/** UPDATE path attributes (RFC 4271 §5 and extensions); unknown ones are carried as received. */
public sealed interface PathAttribute {

  int typeCode();

  int ORIGIN = 1;
  int AS_PATH = 2;
  int NEXT_HOP = 3;
  int MULTI_EXIT_DISC = 4;
  int LOCAL_PREF = 5;
  int ATOMIC_AGGREGATE = 6;
  int AGGREGATOR = 7;
  int COMMUNITIES = 8;
  int MP_REACH_NLRI = 14;
  int MP_UNREACH_NLRI = 15;
  int AS4_PATH = 17;
  int AS4_AGGREGATOR = 18;
  int LARGE_COMMUNITY = 32;

  /**
   * @param value 0 IGP, 1 EGP, 2 INCOMPLETE
   */
  record Origin(int value) implements PathAttribute {
    public static final Origin IGP = new Origin(0);
    public static final Origin INCOMPLETE = new Origin(2);

    @Override
    public int typeCode() {
      return ORIGIN;
    }
  }

  /** A run of AS numbers: AS_SET (1) or AS_SEQUENCE (2). */
  record Segment(int type, List<Long> asns) {
    public static final int AS_SET = 1;
    public static final int AS_SEQUENCE = 2;

    public Segment {
      asns = List.copyOf(asns);
    }
  }

  /** AS_PATH, or AS4_PATH when {@code four} is set (RFC 6793 §3). */
  record AsPath(List<Segment> segments, boolean as4) implements PathAttribute {
    public AsPath {
      segments = List.copyOf(segments);
    }

    public AsPath(List<Segment> segments) {
      this(segments, false);
    }

    public static AsPath sequence(Long... asns) {
      return new AsPath(
          asns.length == 0 ? List.of() : List.of(new Segment(Segment.AS_SEQUENCE, List.of(asns))));
    }

    @Override
    public int typeCode() {
      return as4 ? AS4_PATH : AS_PATH;
    }
  }

  record NextHop(Inet4Address address) implements PathAttribute {
    @Override
    public int typeCode() {
      return NEXT_HOP;
    }
  }

  record MultiExitDisc(long value) implements PathAttribute {
    @Override
    public int typeCode() {
      return MULTI_EXIT_DISC;
    }
  }

  /** iBGP only (RFC 4271 §5.1.5). */
  record LocalPref(long value) implements PathAttribute {
    @Override
    public int typeCode() {
      return LOCAL_PREF;
    }
  }

  record AtomicAggregate() implements PathAttribute {
    @Override
    public int typeCode() {
      return ATOMIC_AGGREGATE;
    }
  }

  /** AGGREGATOR, or AS4_AGGREGATOR when {@code as4} is set. */
  record Aggregator(long asn, Inet4Address address, boolean as4) implements PathAttribute {
    @Override
    public int typeCode() {
      return as4 ? AS4_AGGREGATOR : AGGREGATOR;
    }
  }

  /** RFC 1997: each value is (AS &lt;&lt; 16) | number. */
  record Communities(List<Long> values) implements PathAttribute {
    public Communities {
      values = List.copyOf(values);
    }

    @Override
    public int typeCode() {
      return COMMUNITIES;
    }
  }

  /** RFC 8092. */
  record LargeCommunity(long globalAdministrator, long localData1, long localData2) {}

  record LargeCommunities(List<LargeCommunity> values) implements PathAttribute {
    public LargeCommunities {
      values = List.copyOf(values);
    }

    @Override
    public int typeCode() {
      return LARGE_COMMUNITY;
    }
  }

  /**
   * RFC 4760 §3.
   *
   * @param nextHops one address, or for IPv6 a global and a link-local one (RFC 2545 §3)
   */
  record MpReach(int afi, int safi, List<InetAddress> nextHops, List<IpPrefix> nlri)
      implements PathAttribute {
    public MpReach {
      nextHops = List.copyOf(nextHops);
      nlri = List.copyOf(nlri);
    }

    @Override
    public int typeCode() {
      return MP_REACH_NLRI;
    }
  }

  /** RFC 4760 §4. */
  record MpUnreach(int afi, int safi, List<IpPrefix> withdrawn) implements PathAttribute {
    public MpUnreach {
      withdrawn = List.copyOf(withdrawn);
    }

    @Override
    public int typeCode() {
      return MP_UNREACH_NLRI;
    }
  }

  /** An attribute IronLB does not interpret, kept with its flags. */
  record Unknown(int flags, int typeCode, Octets value) implements PathAttribute {
    public Unknown(int flags, int typeCode, byte[] value) {
      this(flags, typeCode, Octets.copyOf(value));
    }
  }
}
