package io.ironlb.bgp.wire;

import java.util.List;

/** OPEN capabilities (RFC 5492) IronLB understands; anything else is kept as {@link Unknown}. */
public sealed interface Capability {

  int code();

  /** Capability codes (IANA "Capability Codes" registry). */
  int MULTIPROTOCOL = 1;

  int ROUTE_REFRESH = 2;
  int EXTENDED_NEXT_HOP = 5;
  int EXTENDED_MESSAGE = 6;
  int GRACEFUL_RESTART = 64;
  int FOUR_OCTET_AS = 65;

  /** RFC 4760 §8: the peer can carry this address family. */
  record Multiprotocol(int afi, int safi) implements Capability {
    @Override
    public int code() {
      return MULTIPROTOCOL;
    }
  }

  /**
   * RFC 8950 §4: the sender takes routes of these families with a next hop of another family; IPv4
   * unicast with an IPv6 next hop is the one unnumbered peering needs.
   */
  record ExtendedNextHop(List<NextHopFamily> families) implements Capability {
    public ExtendedNextHop {
      families = List.copyOf(families);
    }

    @Override
    public int code() {
      return EXTENDED_NEXT_HOP;
    }

    /** Whether routes of {@code afi}/{@code safi} may carry a next hop of {@code nextHopAfi}. */
    public boolean allows(int afi, int safi, int nextHopAfi) {
      return families.contains(new NextHopFamily(afi, safi, nextHopAfi));
    }
  }

  /** One tuple of {@link ExtendedNextHop}: NLRI AFI and SAFI, and the next hop's AFI. */
  record NextHopFamily(int afi, int safi, int nextHopAfi) {}

  /** RFC 2918 §2. */
  record RouteRefresh() implements Capability {
    @Override
    public int code() {
      return ROUTE_REFRESH;
    }
  }

  /**
   * RFC 4724 §3.
   *
   * @param restarting the R bit: the sender has restarted and is waiting for End-of-RIB
   * @param restartTime seconds the receiver should keep the sender's routes (12 bits)
   * @param families the families whose state the sender preserves
   */
  record GracefulRestart(boolean restarting, int restartTime, List<GracefulRestartFamily> families)
      implements Capability {
    public GracefulRestart {
      families = List.copyOf(families);
    }

    @Override
    public int code() {
      return GRACEFUL_RESTART;
    }
  }

  /** One family of {@link GracefulRestart}: forwarding state preserved (the F bit) or not. */
  record GracefulRestartFamily(int afi, int safi, boolean forwardingPreserved) {}

  /** RFC 8654: UPDATEs (and NOTIFICATIONs, ROUTE-REFRESHes) of up to 65,535 bytes. */
  record ExtendedMessage() implements Capability {
    @Override
    public int code() {
      return EXTENDED_MESSAGE;
    }
  }

  /** RFC 6793 §3. */
  record FourOctetAs(long asn) implements Capability {
    @Override
    public int code() {
      return FOUR_OCTET_AS;
    }
  }

  /** A capability IronLB does not interpret, carried as received. */
  record Unknown(int code, Octets value) implements Capability {
    public Unknown(int code, byte[] value) {
      this(code, Octets.copyOf(value));
    }
  }

  int AFI_IPV4 = 1;
  int AFI_IPV6 = 2;
  int SAFI_UNICAST = 1;
}
