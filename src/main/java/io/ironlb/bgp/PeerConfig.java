package io.ironlb.bgp;

import io.ironlb.bgp.bfd.BfdSession;
import io.ironlb.bgp.session.PeerAs;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One BGP session's settings, resolved from a BGPPeer and its BFDProfile.
 *
 * @param peerAs the AS the peer may have: a number, or any internal or external one
 * @param holdTime seconds offered in our OPEN (0: no keepalives, RFC 4271 §4.2)
 * @param keepaliveTime seconds between KEEPALIVEs, or null for a third of the negotiated hold
 * @param sourceAddress the local address to connect from, or null
 * @param password the TCP MD5 key (RFC 2385), or null
 * @param ebgpMultiHop the eBGP peer is more than one hop away (its packets leave with TTL 255)
 * @param bfd the BFD timers when the peer names a BFDProfile, else null
 * @param vrf the Linux VRF the session lives in (its device name), or null for the default VRF
 * @param gracefulRestart advertise graceful restart (RFC 4724): a restart of this process leaves
 *     the routes at the peer, stale, until the new session has resent them
 */
public record PeerConfig(
    InetSocketAddress peer,
    InetAddress sourceAddress,
    long localAs,
    PeerAs peerAs,
    Inet4Address routerId,
    int holdTime,
    Integer keepaliveTime,
    Duration connectRetry,
    String password,
    boolean ebgpMultiHop,
    BfdSession.Profile bfd,
    boolean gracefulRestart,
    String vrf) {

  public PeerConfig(
      InetSocketAddress peer,
      InetAddress sourceAddress,
      long localAs,
      long peerAs,
      Inet4Address routerId,
      int holdTime,
      Integer keepaliveTime,
      Duration connectRetry) {
    this(
        peer,
        sourceAddress,
        localAs,
        new PeerAs.Exactly(peerAs),
        routerId,
        holdTime,
        keepaliveTime,
        connectRetry,
        null,
        false,
        null,
        false,
        null);
  }

  /** Never shows the key. */
  @Override
  public String toString() {
    return "PeerConfig["
        + peer
        + ", AS "
        + localAs
        + " -> "
        + peerAs
        + (password == null ? "" : ", TCP MD5")
        + (ebgpMultiHop ? ", multi-hop" : "")
        + (bfd == null ? "" : ", BFD")
        + (gracefulRestart ? ", graceful restart" : "")
        + (vrf == null ? "" : ", VRF " + vrf)
        + "]";
  }

  boolean ibgp() {
    return peerAs.internal(localAs);
  }

  /**
   * The TTL (hop limit) of the session's packets: 1 to a directly connected eBGP peer, so a session
   * can never form through a router by mistake; 255 to an iBGP or multi-hop eBGP one (as FRR does,
   * and as MetalLB's {@code ebgpMultiHop} asks).
   */
  int ttl() {
    return ibgp() || ebgpMultiHop ? 255 : 1;
  }
}
