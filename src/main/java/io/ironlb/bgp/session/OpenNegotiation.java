package io.ironlb.bgp.session;

import io.ironlb.bgp.wire.BgpCodec;
import io.ironlb.bgp.wire.BgpMessage;
import io.ironlb.bgp.wire.Capability;
import io.ironlb.bgp.wire.NotificationCode;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a session agrees on from the peer's OPEN (RFC 4271 §6.2, RFC 4760, RFC 6793, RFC 8654, RFC
 * 4724), or the NOTIFICATION that refuses it. Pure: no actor, no channel.
 */
public final class OpenNegotiation {
  private OpenNegotiation() {}

  /** How long a peer keeps our routes across a restart (MetalLB's FRR default: 120 s). */
  public static final Duration RESTART_TIME = Duration.ofSeconds(120);

  /**
   * Our OPEN: the session's unicast families (RFC 4760), the extended next hop for IPv4 routes over
   * IPv6 (RFC 8950) where the session asks for it, route refresh (RFC 2918), 4-octet AS (RFC 6793),
   * extended messages (RFC 8654), and graceful restart (RFC 4724) when configured.
   *
   * @param restarting the R bit: this process has (re)started and has not had a session since, so
   *     its peer may hold stale routes from it
   */
  public static BgpMessage.Open offer(Local local, boolean gracefulRestart, boolean restarting) {
    List<Capability> caps = new ArrayList<>();
    for (int afi : local.families()) {
      caps.add(new Capability.Multiprotocol(afi, Capability.SAFI_UNICAST));
    }
    if (local.extendedNextHop()) {
      caps.add(new Capability.ExtendedNextHop(List.of(IPV4_OVER_IPV6)));
    }
    caps.add(new Capability.RouteRefresh());
    caps.add(new Capability.FourOctetAs(local.localAs()));
    caps.add(new Capability.ExtendedMessage());
    if (gracefulRestart) {
      // F: the node's forwarding (kube-proxy, the backends) never depended on this process.
      caps.add(
          new Capability.GracefulRestart(
              restarting,
              (int) RESTART_TIME.toSeconds(),
              local.families().stream()
                  .map(
                      afi ->
                          new Capability.GracefulRestartFamily(afi, Capability.SAFI_UNICAST, true))
                  .toList()));
    }
    int myAs = local.localAs() > 0xFFFF ? BgpCodec.AS_TRANS : (int) local.localAs();
    return new BgpMessage.Open(BgpCodec.VERSION, myAs, local.holdTime(), local.routerId(), caps);
  }

  /** IPv4 unicast routes with an IPv6 next hop (RFC 8950 §4). */
  private static final Capability.NextHopFamily IPV4_OVER_IPV6 =
      new Capability.NextHopFamily(
          Capability.AFI_IPV4, Capability.SAFI_UNICAST, Capability.AFI_IPV6);

  /**
   * This side of the session.
   *
   * @param peerAs the AS the peer may have
   * @param localAs the AS our OPEN carries
   * @param routerId our BGP identifier
   * @param holdTime seconds offered in our OPEN
   * @param keepaliveTime configured seconds between KEEPALIVEs, or null for a third of the hold
   * @param families the unicast AFIs the session is for (MetalLB: the peer address's family, both
   *     with {@code dualStackAddressFamily} or an unnumbered peer)
   * @param extendedNextHop offer IPv4 routes with an IPv6 next hop (RFC 8950)
   */
  public record Local(
      PeerAs peerAs,
      long localAs,
      Inet4Address routerId,
      int holdTime,
      Integer keepaliveTime,
      Set<Integer> families,
      boolean extendedNextHop) {

    public Local {
      families = Set.copyOf(new TreeSet<>(families));
    }

    /** A session for IPv4 and IPv6 unicast, without the extended next hop. */
    public Local(
        PeerAs peerAs, long localAs, Inet4Address routerId, int holdTime, Integer keepaliveTime) {
      this(
          peerAs,
          localAs,
          routerId,
          holdTime,
          keepaliveTime,
          Set.of(Capability.AFI_IPV4, Capability.AFI_IPV6),
          false);
    }

    /** Whether the session is internal (iBGP). */
    public boolean ibgp() {
      return peerAs.internal(localAs);
    }
  }

  /** The outcome: {@link Agreed} or {@link Refused}. */
  public sealed interface Outcome {}

  /**
   * @param holdSeconds the negotiated hold time (0: no keepalives and no hold timer)
   * @param keepaliveSeconds seconds between KEEPALIVEs (0 when the hold time is 0)
   * @param options the codec options both ends offered (4-octet AS, extended messages)
   * @param families the unicast AFIs both OPENs offered
   * @param peerGracefulRestart whether the peer offered graceful restart
   * @param ipv6ForIpv4 both offered IPv4 routes with an IPv6 next hop (RFC 8950 §4)
   */
  public record Agreed(
      int holdSeconds,
      int keepaliveSeconds,
      BgpCodec.Options options,
      Set<Integer> families,
      boolean peerGracefulRestart,
      boolean ipv6ForIpv4)
      implements Outcome {

    public Agreed(
        int holdSeconds,
        int keepaliveSeconds,
        BgpCodec.Options options,
        Set<Integer> families,
        boolean peerGracefulRestart) {
      this(holdSeconds, keepaliveSeconds, options, families, peerGracefulRestart, false);
    }
  }

  /** The OPEN is refused with this NOTIFICATION; {@code reason} is for the log and the status. */
  public record Refused(BgpMessage.Notification notification, String reason) implements Outcome {}

  public static Outcome negotiate(Local local, BgpMessage.Open open) {
    if (!local.peerAs().accepts(open.asn(), local.localAs())) {
      // RFC 4271 §6.2: the data is the 2-octet AS field as received.
      return new Refused(
          new BgpMessage.Notification(
              NotificationCode.OPEN_BAD_PEER_AS,
              new byte[] {(byte) (open.myAs() >> 8), (byte) open.myAs()}),
          "peer AS " + open.asn() + ", expected " + local.peerAs().expected(local.localAs()));
    }
    if (local.ibgp() && open.bgpId().equals(local.routerId())) {
      return new Refused(
          new BgpMessage.Notification(NotificationCode.OPEN_BAD_BGP_IDENTIFIER),
          "iBGP peer has our router ID " + open.bgpId().getHostAddress());
    }
    // RFC 4271 §4.2: the smaller of the two hold times; zero on either side means none.
    int hold = Math.min(local.holdTime(), open.holdTime());
    int keepalive =
        hold == 0
            ? 0
            : local.keepaliveTime() != null ? local.keepaliveTime() : Math.max(1, hold / 3);
    // RFC 6793 and RFC 8654: 4-octet AS numbers and larger UPDATEs only when both ends offered
    // them (we always do).
    BgpCodec.Options options =
        new BgpCodec.Options(
            open.has(Capability.FourOctetAs.class), open.has(Capability.ExtendedMessage.class));
    Set<Integer> offered = new TreeSet<>();
    boolean ipv6ForIpv4 = false;
    for (Capability c : open.capabilities()) {
      if (c instanceof Capability.Multiprotocol mp && mp.safi() == Capability.SAFI_UNICAST) {
        offered.add(mp.afi());
      } else if (c instanceof Capability.ExtendedNextHop enh
          && enh.allows(Capability.AFI_IPV4, Capability.SAFI_UNICAST, Capability.AFI_IPV6)) {
        ipv6ForIpv4 = local.extendedNextHop();
      }
    }
    if (!open.has(Capability.Multiprotocol.class)) {
      offered.add(Capability.AFI_IPV4); // RFC 4760 §1: without the capability, IPv4 unicast only
    }
    Set<Integer> families = new TreeSet<>(offered);
    families.retainAll(local.families());
    if (families.isEmpty()) {
      // RFC 5492 §5: the capability the peer lacks, in the data (one is enough to name it).
      int afi = local.families().iterator().next();
      return new Refused(
          new BgpMessage.Notification(
              NotificationCode.OPEN_UNSUPPORTED_CAPABILITY,
              new byte[] {
                Capability.MULTIPROTOCOL, 4, 0, (byte) afi, 0, (byte) Capability.SAFI_UNICAST
              }),
          "no address family in common: the session is for "
              + familyNames(local.families())
              + ", the peer offers "
              + familyNames(offered));
    }
    return new Agreed(
        hold,
        keepalive,
        options,
        Set.copyOf(families),
        open.has(Capability.GracefulRestart.class),
        ipv6ForIpv4);
  }

  private static String familyNames(Set<Integer> afis) {
    return afis.stream()
        .map(
            afi ->
                afi == Capability.AFI_IPV4
                    ? "IPv4 unicast"
                    : afi == Capability.AFI_IPV6 ? "IPv6 unicast" : "AFI " + afi)
        .collect(java.util.stream.Collectors.joining(" and "));
  }
}
