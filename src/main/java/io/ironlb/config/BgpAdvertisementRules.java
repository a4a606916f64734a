package io.ironlb.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * BGPAdvertisement's rules (MetalLB's webhook and config parser): pools, selectors and communities
 * that resolve, aggregation lengths that fit every pool block, LOCAL_PREF that agrees between
 * advertisements of the same prefixes, and BFD echo mode only for IPv4.
 */
final class BgpAdvertisementRules {
  private final ValidationRun c;
  private final ClusterResources r;

  BgpAdvertisementRules(ValidationRun c) {
    this.c = c;
    this.r = c.r;
  }

  void check() {
    List<BGPAdvertisement> advs = r.bgpAdvertisements();
    for (int i = 0; i < advs.size(); i++) {
      BGPAdvertisement adv = advs.get(i);
      BGPAdvertisement.Spec s = adv.spec();
      c.noDuplicates(adv, "spec.ipAddressPools", s.ipAddressPools());
      c.noDuplicates(adv, "spec.communities", s.communities());
      c.noDuplicates(adv, "spec.peers", s.peers());
      c.missingPools(adv, s.ipAddressPools());
      c.selectors(adv, "spec.ipAddressPoolSelectors", s.ipAddressPoolSelectors());
      c.selectors(adv, "spec.nodeSelectors", s.nodeSelectors());
      c.selectors(adv, "spec.serviceSelectors", s.serviceSelectors());
      if (!s.serviceSelectors().isEmpty()) {
        if (s.aggregationLength() != BGPAdvertisement.DEFAULT_AGGREGATION_LENGTH) {
          c.error(
              adv,
              "spec.serviceSelectors",
              "serviceSelectors and aggregationLength are mutually exclusive, both cannot be set");
        }
        if (s.aggregationLengthV6() != BGPAdvertisement.DEFAULT_AGGREGATION_LENGTH_V6) {
          c.error(
              adv,
              "spec.serviceSelectors",
              "serviceSelectors and aggregationLengthV6 are mutually exclusive, both cannot be set");
        }
      }
      for (int c = 0; c < s.communities().size(); c++) {
        community(adv, "spec.communities[" + c + "]", s.communities().get(c));
      }
      for (String peer : new LinkedHashSet<>(s.peers())) {
        if (r.peer(peer).isEmpty()) {
          c.warning(adv, "spec.peers", "BGPPeer \"" + peer + "\" does not exist");
        }
      }
      if (s.localPref() != 0
          && !s.peers().isEmpty()
          && targetPeers(s).stream().noneMatch(p -> p.spec() != null && p.spec().isInternal())) {
        c.warning(
            adv,
            "spec.localPref",
            "LOCAL_PREF is only sent to iBGP peers, and every peer here is eBGP");
      }
      for (int j = 0; j < i; j++) {
        if (advs.get(j).spec().equals(s)) {
          c.warning(
              adv, "spec", "same spec as " + advs.get(j).describe() + "; one of them is redundant");
        }
      }
      for (IPAddressPool pool : r.pools()) {
        if (pool.spec() != null
            && pool.isSelectedBy(s.ipAddressPools(), s.ipAddressPoolSelectors())) {
          aggregation(adv, pool);
          localPref(adv, pool, advs.subList(0, i));
          echoMode(adv, pool);
        }
      }
    }
  }

  /**
   * MetalLB's validateBGPAdvPerPool: aggregating wider than a pool block announces others' space.
   */
  private void aggregation(BGPAdvertisement adv, IPAddressPool pool) {
    for (AddressRange range : c.ranges.getOrDefault(pool, List.of())) {
      boolean v4 = range.isIpv4();
      int length = v4 ? adv.spec().aggregationLength() : adv.spec().aggregationLengthV6();
      int widest = range.widestPrefixLength();
      if (length < 1) {
        continue; // out of the schema's range, reported there
      }
      if (length < widest) {
        c.error(
            adv,
            v4 ? "spec.aggregationLength" : "spec.aggregationLengthV6",
            "invalid aggregation length "
                + length
                + ": prefix "
                + widest
                + " of \""
                + range
                + "\" in "
                + pool.describe()
                + " is more specific than the aggregation length");
      }
    }
  }

  /**
   * Two advertisements that would announce the same prefix to the same peer from the same node must
   * agree on LOCAL_PREF (MetalLB's BGPAdvertisementsHaveCompatibleLocalPref). Advertisements with
   * service selectors are exempt, as in MetalLB: which Services they cover is not known here.
   */
  private void localPref(BGPAdvertisement adv, IPAddressPool pool, List<BGPAdvertisement> earlier) {
    BGPAdvertisement.Spec s = adv.spec();
    if (!s.serviceSelectors().isEmpty()) {
      return;
    }
    for (BGPAdvertisement other : earlier) {
      BGPAdvertisement.Spec o = other.spec();
      if (!o.serviceSelectors().isEmpty()
          || o.localPref() == s.localPref()
          || !pool.isSelectedBy(o.ipAddressPools(), o.ipAddressPoolSelectors())
          || aggregationDiffers(s, o, pool)
          || !namesOverlap(s.peers(), o.peers())
          || !nodesOverlap(s.nodeSelectors(), o.nodeSelectors())) {
        continue;
      }
      c.error(
          adv,
          "spec.localPref",
          "invalid local preference "
              + s.localPref()
              + ": local preference "
              + o.localPref()
              + " was already set by "
              + other.describe()
              + " for "
              + pool.describe()
              + " with the same peers, nodes and aggregation length");
    }
  }

  private boolean aggregationDiffers(
      BGPAdvertisement.Spec a, BGPAdvertisement.Spec b, IPAddressPool pool) {
    List<AddressRange> rs = c.ranges.getOrDefault(pool, List.of());
    boolean v4 = rs.stream().anyMatch(AddressRange::isIpv4);
    boolean v6 = rs.stream().anyMatch(x -> !x.isIpv4());
    boolean differsV4 = !a.aggregationLength().equals(b.aggregationLength());
    boolean differsV6 = !a.aggregationLengthV6().equals(b.aggregationLengthV6());
    if (!v4 && !v6) {
      return true;
    }
    if (v4 && v6) {
      return differsV4 && differsV6;
    }
    return v4 ? differsV4 : differsV6;
  }

  private static boolean namesOverlap(List<String> a, List<String> b) {
    return a.isEmpty() || b.isEmpty() || a.stream().anyMatch(b::contains);
  }

  /**
   * With Nodes known, compares the nodes each side selects, as MetalLB does. Without them (a
   * directory of configuration only), selectors overlap unless both are given and share none.
   */
  private boolean nodesOverlap(List<LabelSelector> a, List<LabelSelector> b) {
    if (!r.nodes().isEmpty()) {
      Set<String> left = c.selectedNodes(a);
      return c.selectedNodes(b).stream().anyMatch(left::contains);
    }
    if (a.isEmpty() || b.isEmpty()) {
      return true;
    }
    Set<String> left = a.stream().map(LabelSelector::canonical).collect(Collectors.toSet());
    return b.stream().map(LabelSelector::canonical).anyMatch(left::contains);
  }

  /** MetalLB's validateConfig: BFD echo mode cannot serve IPv6 (RFC 5881 §4 echo is IPv4 here). */
  private void echoMode(BGPAdvertisement adv, IPAddressPool pool) {
    if (c.ranges.getOrDefault(pool, List.of()).stream().allMatch(AddressRange::isIpv4)) {
      return;
    }
    for (BGPPeer peer : targetPeers(adv.spec())) {
      String profile = peer.spec() == null ? null : peer.spec().bfdProfile();
      if (profile == null || profile.isEmpty()) {
        continue;
      }
      r.bfdProfile(profile)
          .filter(p -> p.spec().echoMode())
          .ifPresent(
              p ->
                  c.error(
                      peer,
                      "spec.bfdProfile",
                      p.describe()
                          + " has echoMode enabled, which is not possible for IPv6 "
                          + pool.describe()
                          + " advertised by "
                          + adv.describe()));
    }
  }

  private List<BGPPeer> targetPeers(BGPAdvertisement.Spec s) {
    if (s.peers().isEmpty()) {
      return r.bgpPeers();
    }
    return r.bgpPeers().stream().filter(p -> s.peers().contains(p.name())).toList();
  }

  private void community(BGPAdvertisement adv, String field, String text) {
    if (c.aliases.containsKey(text)) {
      return;
    }
    try {
      BgpCommunity.parse(text);
    } catch (BgpCommunity.InvalidFormatException e) {
      // Not a value, so meant as the name of a Community alias that may be created later.
      c.unresolved(
          adv,
          field,
          "\""
              + text
              + "\" is neither a community (65000:100, large:65000:1:2) nor a Community alias");
    } catch (IllegalArgumentException e) {
      c.error(adv, field, e.getMessage());
    }
  }
}
