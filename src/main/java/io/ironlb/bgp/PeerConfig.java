package io.ironlb.bgp;

import io.ironlb.bgp.bfd.BfdSession;
import io.ironlb.bgp.session.PeerAs;
import io.ironlb.bgp.wire.Capability;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;

/**
 * One BGP session's settings, resolved from a BGPPeer and its BFDProfile.
 *
 * @param peerAs the AS the peer may have: a number, or any internal or external one
 * @param holdTime seconds offered in our OPEN (0: no keepalives, RFC 4271 §4.2)
 * @param keepaliveTime seconds between KEEPALIVEs, or null for a third of the negotiated hold
 * @param sourceAddress the local address to connect from, or null
 * @param connectRetry MetalLB's {@code connectTime} (FRR's {@code timers connect}): how long a TCP
 *     connect may take and the interval between attempts; null for IronLB's default, a 3 s connect
 *     and retries from 1 s doubling up to 30 s
 * @param password the TCP MD5 key (RFC 2385), or null
 * @param ebgpMultiHop the eBGP peer is more than one hop away (its packets leave with TTL 255)
 * @param bfd the BFD timers when the peer names a BFDProfile, else null
 * @param vrf the Linux VRF the session lives in (its device name), or null for the default VRF
 * @param iface for an unnumbered peer, the interface whose router the session is with (its
 *     link-local address learned from its Router Advertisements); {@code peer} is then null
 * @param dualStack both address families over this one session (MetalLB's {@code
 *     dualStackAddressFamily}); without it, only the family of the peer's address
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
    String vrf,
    String iface,
    boolean dualStack) {

  /** BGP's port (RFC 4271 §8.2.1): where an unnumbered peer is reached. */
  public static final int BGP_PORT = 179;

  public PeerConfig {
    if ((peer == null) == (iface == null)) {
      throw new IllegalArgumentException("a peer has an address or an interface, not both");
    }
  }

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
        null,
        null,
        false);
  }

  /** Never shows the key. */
  @Override
  public String toString() {
    return "PeerConfig["
        + (peer != null ? peer : "unnumbered on " + iface)
        + ", AS "
        + localAs
        + " -> "
        + peerAs
        + (password == null ? "" : ", TCP MD5")
        + (ebgpMultiHop ? ", multi-hop" : "")
        + (bfd == null ? "" : ", BFD")
        + (gracefulRestart ? ", graceful restart" : "")
        + (vrf == null ? "" : ", VRF " + vrf)
        + (dualStack ? ", dual-stack" : "")
        + "]";
  }

  /** How long a TCP connect may take before it counts as failed. */
  Duration connectTimeout() {
    return connectRetry != null ? connectRetry : DEFAULT_CONNECT_TIMEOUT;
  }

  private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY = Duration.ofSeconds(30);

  /**
   * The wait before connect attempt {@code failures + 1}, given {@code random} in [0, 1). With a
   * configured {@code connectTime}, that interval with RFC 4271 §10's jitter (times 0.75 to 1.0),
   * so it is never exceeded; without one, from 1 s doubling per failure in a row up to 30 s, plus
   * up to a quarter more (so peers that failed together do not retry together).
   */
  Duration retryDelay(int failures, double random) {
    if (connectRetry != null) {
      long t = connectRetry.toMillis();
      return Duration.ofMillis(t - (long) (t / 4.0 * random));
    }
    long base = FIRST_RETRY.toMillis() << Math.min(Math.max(failures, 1) - 1, 5);
    long delay = Math.min(base, MAX_RETRY.toMillis());
    return Duration.ofMillis(delay + (long) (delay / 4.0 * random));
  }

  /**
   * The unicast families the session carries: both for a dual-stack or unnumbered peer (as
   * MetalLB's FRR configuration activates them), else the family of the peer's address.
   */
  Set<Integer> families() {
    if (dualStack || iface != null) {
      return Set.of(Capability.AFI_IPV4, Capability.AFI_IPV6);
    }
    return Set.of(
        peer.getAddress() instanceof Inet4Address ? Capability.AFI_IPV4 : Capability.AFI_IPV6);
  }

  /**
   * Whether our OPEN offers IPv4 routes with an IPv6 next hop (RFC 8950): when the session is over
   * IPv6 and carries IPv4.
   */
  boolean extendedNextHop() {
    return families().contains(Capability.AFI_IPV4)
        && (iface != null || !(peer.getAddress() instanceof Inet4Address));
  }

  /** As MetalLB labels a peer: {@code address:port}, or the interface of an unnumbered one. */
  String label() {
    return peer != null ? peer.getAddress().getHostAddress() + ":" + peer.getPort() : iface;
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
