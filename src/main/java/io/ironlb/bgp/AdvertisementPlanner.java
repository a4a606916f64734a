package io.ironlb.bgp;

import io.fabric8.kubernetes.api.model.Service;
import io.ironlb.bgp.wire.IpPrefix;
import io.ironlb.bgp.wire.PathAttribute;
import io.ironlb.config.BGPAdvertisement;
import io.ironlb.config.BGPPeer;
import io.ironlb.config.BgpCommunity;
import io.ironlb.config.ClusterResources;
import io.ironlb.config.Community;
import io.ironlb.config.IPAddressPool;
import io.ironlb.config.LabelSelector;
import io.ironlb.config.ServiceKey;
import io.ironlb.serving.Allocated;
import io.ironlb.serving.Serving;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one node announces to each of its BGP peers, from the configuration, the Services and their
 * endpoints — MetalLB's rules: a BGPAdvertisement applies to the pools it names or selects (all
 * when it names none), to the Services its service selectors match, from the nodes its node
 * selectors match, to the peers it names (all of this node's when it names none); the address is
 * announced as its aggregation-length prefix; with {@code externalTrafficPolicy: Local} only from
 * nodes with a serving endpoint, with Cluster from every node while any endpoint serves; nothing
 * from a node with NetworkUnavailable or the exclude label. Advertisements of one prefix to one
 * peer merge: communities and large communities united, the highest LOCAL_PREF. Pure.
 */
public final class AdvertisementPlanner {
  private AdvertisementPlanner() {}

  /**
   * A prefix's attributes for one peer, before the session adds ORIGIN, AS_PATH and next hop.
   *
   * @param localPref LOCAL_PREF (sent on iBGP sessions only), 0 for none
   */
  public record Announcement(
      long localPref, Set<Long> communities, Set<PathAttribute.LargeCommunity> large) {
    public Announcement {
      communities = Set.copyOf(communities);
      large = Set.copyOf(large);
    }

    Announcement merge(Announcement other) {
      Set<Long> c = new TreeSet<>(communities);
      c.addAll(other.communities);
      Set<PathAttribute.LargeCommunity> l = new java.util.HashSet<>(large);
      l.addAll(other.large);
      return new Announcement(Math.max(localPref, other.localPref), c, l);
    }
  }

  /** The BGPPeers this node peers with: their node selectors match it (empty: every node). */
  public static List<BGPPeer> peersOf(ClusterResources r, String node) {
    Map<String, String> labels = Serving.nodeLabels(r, node);
    return r.bgpPeers().stream()
        .filter(p -> LabelSelector.anyMatches(p.spec().nodeSelectors(), labels))
        .toList();
  }

  /** Peer name → prefix → announcement, for this node. */
  public static Map<String, Map<IpPrefix, Announcement>> plan(
      ClusterResources r,
      Map<ServiceKey, Allocated> allocations,
      String node,
      boolean missingSlicesMeanServed) {
    return plan(r, allocations, node, missingSlicesMeanServed, new HashMap<>());
  }

  /**
   * Service → the names of the BGPPeers this node announces it to (a ServiceBGPStatus each), for
   * the Services announced to at least one.
   */
  public static Map<ServiceKey, Set<String>> peersByService(
      ClusterResources r,
      Map<ServiceKey, Allocated> allocations,
      String node,
      boolean missingSlicesMeanServed) {
    Map<ServiceKey, Set<String>> out = new HashMap<>();
    plan(r, allocations, node, missingSlicesMeanServed, out);
    return out;
  }

  /** The Services this node announces to at least one peer (the status API's {@code bgp.nodes}). */
  public static Set<ServiceKey> announcedServices(
      ClusterResources r,
      Map<ServiceKey, Allocated> allocations,
      String node,
      boolean missingSlicesMeanServed) {
    return peersByService(r, allocations, node, missingSlicesMeanServed).keySet();
  }

  /**
   * Peer name → prefix → announcement, for this node; {@code announced} receives Service → the
   * peers it is announced to.
   */
  public static Map<String, Map<IpPrefix, Announcement>> plan(
      ClusterResources r,
      Map<ServiceKey, Allocated> allocations,
      String node,
      boolean missingSlicesMeanServed,
      Map<ServiceKey, Set<String>> announced) {
    Map<String, Map<IpPrefix, Announcement>> out = new TreeMap<>();
    List<BGPPeer> peers = peersOf(r, node);
    peers.forEach(p -> out.put(p.metadata().name(), new HashMap<>()));
    if (peers.isEmpty() || Serving.nodeBlocked(r, node).isPresent()) {
      return out;
    }
    Map<String, String> nodeLabels = Serving.nodeLabels(r, node);
    Map<String, BgpCommunity> aliases = aliases(r);
    for (Service svc : r.services()) {
      Allocated a = allocations.get(ServiceKey.of(svc));
      if (a == null || a.ips().isEmpty() || a.pool() == null) {
        continue;
      }
      Optional<IPAddressPool> pool = r.pool(a.pool());
      if (pool.isEmpty() || Serving.unserved(r, svc, node, missingSlicesMeanServed).isPresent()) {
        continue;
      }
      Map<String, String> svcLabels =
          svc.getMetadata().getLabels() == null ? Map.of() : svc.getMetadata().getLabels();
      for (BGPAdvertisement ad : r.bgpAdvertisements()) {
        BGPAdvertisement.Spec s = ad.spec();
        if (!pool.get().isSelectedBy(s.ipAddressPools(), s.ipAddressPoolSelectors())
            || !LabelSelector.anyMatches(s.serviceSelectors(), svcLabels)
            || !LabelSelector.anyMatches(s.nodeSelectors(), nodeLabels)) {
          continue;
        }
        Announcement ann = announcement(s, aliases);
        for (String ip : a.ips()) {
          IpPrefix prefix = prefix(ip, s.aggregationLength(), s.aggregationLengthV6());
          for (BGPPeer p : peers) {
            if (s.peers().isEmpty() || s.peers().contains(p.metadata().name())) {
              out.get(p.metadata().name()).merge(prefix, ann, Announcement::merge);
              announced
                  .computeIfAbsent(ServiceKey.of(svc), k -> new TreeSet<>())
                  .add(p.metadata().name());
            }
          }
        }
      }
    }
    return out;
  }

  private static Announcement announcement(
      BGPAdvertisement.Spec s, Map<String, BgpCommunity> aliases) {
    Set<Long> communities = new TreeSet<>();
    Set<PathAttribute.LargeCommunity> large = new java.util.HashSet<>();
    for (String text : s.communities()) {
      BgpCommunity c = aliases.containsKey(text) ? aliases.get(text) : BgpCommunity.parse(text);
      if (c instanceof BgpCommunity.Standard std) {
        communities.add(std.toInt() & 0xFFFFFFFFL);
      } else if (c instanceof BgpCommunity.Large l) {
        large.add(
            new PathAttribute.LargeCommunity(
                l.globalAdministrator(), l.localData1(), l.localData2()));
      }
    }
    return new Announcement(s.localPref(), communities, large);
  }

  private static Map<String, BgpCommunity> aliases(ClusterResources r) {
    Map<String, BgpCommunity> out = new HashMap<>();
    for (Community c : r.communities()) {
      for (Community.Alias a : c.spec().communities()) {
        out.put(a.name(), BgpCommunity.parse(a.value()));
      }
    }
    return out;
  }

  /** The address's network at the aggregation length of its family. */
  static IpPrefix prefix(String ip, int lengthV4, int lengthV6) {
    try {
      InetAddress a = InetAddress.getByName(ip);
      int length = a.getAddress().length == 4 ? lengthV4 : lengthV6;
      byte[] b = a.getAddress();
      for (int bit = length; bit < b.length * 8; bit++) {
        b[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
      }
      return new IpPrefix(InetAddress.getByAddress(b), length);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address: " + ip, e);
    }
  }
}
