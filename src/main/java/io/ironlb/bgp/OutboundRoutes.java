package io.ironlb.bgp;

import io.ironlb.bgp.wire.BgpMessage;
import io.ironlb.bgp.wire.Capability;
import io.ironlb.bgp.wire.IpPrefix;
import io.ironlb.bgp.wire.PathAttribute;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The routes one session sends for the prefixes it should announce: pure, from the session's AS
 * relationship and what its OPENs negotiated. A {@link PeerSession} hands the result to its {@link
 * AdjRibOut}.
 *
 * @param localAs our AS, the AS_PATH of an eBGP route
 * @param ibgp whether the peer is in our AS
 */
record OutboundRoutes(long localAs, boolean ibgp) {

  /** The well-known GRACEFUL_SHUTDOWN community, 65535:0 (RFC 8326 §3). */
  static final long GRACEFUL_SHUTDOWN = 0xFFFF0000L;

  private static final Comparator<PathAttribute.LargeCommunity> LARGE_ORDER =
      Comparator.comparingLong(PathAttribute.LargeCommunity::globalAdministrator)
          .thenComparingLong(PathAttribute.LargeCommunity::localData1)
          .thenComparingLong(PathAttribute.LargeCommunity::localData2);

  /**
   * The families both ends carry, each prefix with this end's next hop of its family (a prefix the
   * connection has no next hop for is skipped): ORIGIN IGP, our AS in the AS_PATH on eBGP (empty on
   * iBGP, RFC 4271 §5.1.2), LOCAL_PREF on iBGP only (100 unless the advertisement sets one; RFC
   * 4271 §5.1.5 requires it there).
   *
   * @param families the AFIs the session carries: asked for and offered by both OPENs (RFC 4760 §8)
   * @param nextHops this end's next hops on the connection
   * @param draining graceful shutdown (RFC 8326) is under way
   */
  Map<IpPrefix, AdjRibOut.Route> routes(
      Map<IpPrefix, AdvertisementPlanner.Announcement> prefixes,
      Set<Integer> families,
      NextHops nextHops,
      boolean draining) {
    Map<IpPrefix, AdjRibOut.Route> out = new HashMap<>();
    // Thousands of prefixes share a handful of announcements: one Route each per next hop, shared.
    Map<AdvertisementPlanner.Announcement, AdjRibOut.Route> v4Routes = new HashMap<>();
    Map<AdvertisementPlanner.Announcement, AdjRibOut.Route> v6Routes = new HashMap<>();
    prefixes.forEach(
        (p, a) -> {
          boolean v4 = p.isIpv4();
          InetAddress nextHop = nextHops.forPrefix(p);
          if (nextHop != null
              && families.contains(v4 ? Capability.AFI_IPV4 : Capability.AFI_IPV6)) {
            out.put(
                p, (v4 ? v4Routes : v6Routes).computeIfAbsent(a, x -> route(x, nextHop, draining)));
          }
        });
    return out;
  }

  private AdjRibOut.Route route(
      AdvertisementPlanner.Announcement a, InetAddress local, boolean draining) {
    List<PathAttribute> attributes = new ArrayList<>();
    attributes.add(PathAttribute.Origin.IGP);
    attributes.add(
        ibgp ? new PathAttribute.AsPath(List.of()) : PathAttribute.AsPath.sequence(localAs));
    if (ibgp) {
      // RFC 8326 §4.2: an iBGP path being drained also carries the lowest LOCAL_PREF.
      long pref = draining ? 0 : a.localPref() > 0 ? a.localPref() : 100;
      attributes.add(new PathAttribute.LocalPref(pref));
    }
    TreeSet<Long> communities = new TreeSet<>(a.communities());
    if (draining) {
      communities.add(GRACEFUL_SHUTDOWN);
    }
    if (!communities.isEmpty()) {
      attributes.add(new PathAttribute.Communities(new ArrayList<>(communities)));
    }
    if (!a.large().isEmpty()) {
      attributes.add(
          new PathAttribute.LargeCommunities(a.large().stream().sorted(LARGE_ORDER).toList()));
    }
    return new AdjRibOut.Route(attributes, local);
  }

  /** One End-of-RIB per negotiated family (RFC 4724 §2). */
  static List<BgpMessage.Update> endOfRib(Set<Integer> families) {
    List<BgpMessage.Update> out = new ArrayList<>();
    if (families.contains(Capability.AFI_IPV4)) {
      out.add(new BgpMessage.Update(List.of(), List.of(), List.of()));
    }
    if (families.contains(Capability.AFI_IPV6)) {
      out.add(
          new BgpMessage.Update(
              List.of(),
              List.of(
                  new PathAttribute.MpUnreach(
                      Capability.AFI_IPV6, Capability.SAFI_UNICAST, List.of())),
              List.of()));
    }
    return out;
  }
}
