package io.ironlb.config;

import inet.ipaddr.IPAddress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The rules of MetalLB's validating webhooks and configuration parser, as one pure function from
 * {@link ClusterResources} to the list of {@link Problem}s. Unlike MetalLB, which stops at the
 * first error, every problem is reported. The same class serves {@code ironlb validate}, the file
 * source and the admission webhook.
 *
 * <p>Where MetalLB accepts something only to fail later (a BGPAdvertisement naming a pool that does
 * not exist), IronLB warns.
 */
public final class ConfigValidator {

  /** Linux interface names: at most 15 bytes, no slash or whitespace (IFNAMSIZ, dev_valid_name). */
  private static final Pattern INTERFACE_NAME = Pattern.compile("[^/\\s:]{1,15}");

  private ConfigValidator() {}

  public static List<Problem> validate(ClusterResources resources) {
    return new Run(resources).run();
  }

  /** True when none of the problems is an error. */
  public static boolean isValid(List<Problem> problems) {
    return problems.stream().noneMatch(Problem::isError);
  }

  /** One validation pass; holds what it has parsed so far. */
  private static final class Run {
    private final ClusterResources r;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<IPAddressPool, List<AddressRange>> ranges = new IdentityHashMap<>();
    private final Map<String, BgpCommunity> aliases = new HashMap<>();

    Run(ClusterResources r) {
      this.r = r;
    }

    List<Problem> run() {
      r.configObjects().forEach(o -> SchemaRules.check(o, problems::add));
      uniqueNames(r.pools());
      uniqueNames(r.l2Advertisements());
      uniqueNames(r.bgpAdvertisements());
      uniqueNames(r.bgpPeers());
      uniqueNames(r.bfdProfiles());
      uniqueNames(r.communities());
      pools();
      communities();
      peers();
      bfdProfiles();
      l2Advertisements();
      bgpAdvertisements();
      return List.copyOf(problems);
    }

    /**
     * IronLB's BFD runs Asynchronous mode only: a profile asking for Echo is refused, not ignored.
     */
    private void bfdProfiles() {
      for (BFDProfile p : r.bfdProfiles()) {
        if (p.spec().echoMode()) {
          error(
              p,
              "spec.echoMode",
              "BFD Echo is not implemented by IronLB's native speaker (Asynchronous mode only);"
                  + " set echoMode: false");
        }
      }
    }

    private void error(MetalLbObject o, String field, String reason) {
      problems.add(Problem.error(o.describe(), field, reason));
    }

    private void unresolved(MetalLbObject o, String field, String reason) {
      problems.add(Problem.unresolved(o.describe(), field, reason));
    }

    private void warning(MetalLbObject o, String field, String reason) {
      problems.add(Problem.warning(o.describe(), field, reason));
    }

    private void uniqueNames(List<? extends MetalLbObject> objects) {
      Set<String> seen = new HashSet<>();
      for (MetalLbObject o : objects) {
        if (!o.name().isEmpty() && !seen.add(o.metadata().qualifiedName())) {
          error(o, "metadata.name", "duplicate definition of " + o.describe());
        }
      }
    }

    // ---- IPAddressPool ------------------------------------------------------------------------

    private void pools() {
      List<Map.Entry<IPAddressPool, AddressRange>> seen = new ArrayList<>();
      for (IPAddressPool pool : r.pools()) {
        if (pool.spec() == null) {
          continue;
        }
        List<AddressRange> parsed = new ArrayList<>();
        List<String> addresses = pool.spec().addresses();
        if (addresses.isEmpty()) {
          continue; // reported by the schema rules as required
        }
        for (int i = 0; i < addresses.size(); i++) {
          String field = "spec.addresses[" + i + "]";
          AddressRange range;
          try {
            range = AddressRange.parse(addresses.get(i));
          } catch (IllegalArgumentException e) {
            error(pool, field, e.getMessage());
            continue;
          }
          for (var other : seen) {
            if (other.getValue().overlaps(range)) {
              String where =
                  other.getKey() == pool ? "in the same pool" : "in " + other.getKey().describe();
              error(
                  pool,
                  field,
                  "CIDR \"" + range + "\" overlaps with \"" + other.getValue() + "\" " + where);
            }
          }
          seen.add(Map.entry(pool, range));
          parsed.add(range);
        }
        ranges.put(pool, parsed);
        IPAddressPool.ServiceAllocation alloc = pool.spec().serviceAllocation();
        if (alloc != null) {
          noDuplicates(pool, "spec.serviceAllocation.namespaces", alloc.namespaces());
          selectors(pool, "spec.serviceAllocation.namespaceSelectors", alloc.namespaceSelectors());
          selectors(pool, "spec.serviceAllocation.serviceSelectors", alloc.serviceSelectors());
        }
      }
    }

    // ---- Community ----------------------------------------------------------------------------

    private void communities() {
      for (Community c : r.communities()) {
        List<Community.Alias> list = c.spec().communities();
        for (int i = 0; i < list.size(); i++) {
          Community.Alias alias = list.get(i);
          String field = "spec.communities[" + i + "]";
          if (alias.name() == null || alias.name().isEmpty()) {
            error(c, field + ".name", "required");
            continue;
          }
          BgpCommunity value;
          try {
            value = BgpCommunity.parse(Objects.requireNonNullElse(alias.value(), ""));
          } catch (IllegalArgumentException e) {
            error(c, field + ".value", e.getMessage());
            continue;
          }
          if (aliases.putIfAbsent(alias.name(), value) != null) {
            error(c, field + ".name", "duplicate definition of community \"" + alias.name() + "\"");
          }
        }
      }
    }

    // ---- BGPPeer ------------------------------------------------------------------------------

    private void peers() {
      Map<String, List<BGPPeer>> routers = new HashMap<>();
      for (BGPPeer peer : r.bgpPeers()) {
        BGPPeer.Spec s = peer.spec();
        if (s == null) {
          continue;
        }
        if (s.myASN() == 0) {
          error(peer, "spec.myASN", "missing local ASN");
        }
        boolean dynamic = s.dynamicASN() != null && !s.dynamicASN().isEmpty();
        if (s.peerASN() == 0 && !dynamic) {
          error(peer, "spec.peerASN", "missing peer ASN and dynamicASN (exactly one is required)");
        }
        if (s.peerASN() != 0 && dynamic) {
          error(peer, "spec.dynamicASN", "both peerASN and dynamicASN specified");
        }
        if (s.ebgpMultiHop() && (s.peerASN() == s.myASN() || "internal".equals(s.dynamicASN()))) {
          error(
              peer,
              "spec.ebgpMultiHop",
              "invalid ebgp-multihop parameter set for an ibgp peer (peerASN equals myASN)");
        }
        boolean hasAddress = s.peerAddress() != null && !s.peerAddress().isEmpty();
        boolean hasInterface = s.iface() != null && !s.iface().isEmpty();
        if (!hasAddress && !hasInterface) {
          error(peer, "spec.peerAddress", "peer has no peerAddress or interface specified");
        }
        if (hasAddress && hasInterface) {
          error(peer, "spec.interface", "peer has both peerAddress and interface specified");
        }
        IPAddress address = hasAddress ? address(peer, "spec.peerAddress", s.peerAddress()) : null;
        if (hasInterface && !INTERFACE_NAME.matcher(s.iface()).matches()) {
          error(peer, "spec.interface", "\"" + s.iface() + "\" is not a valid interface name");
        }
        if (s.sourceAddress() != null && !s.sourceAddress().isEmpty()) {
          IPAddress source = address(peer, "spec.sourceAddress", s.sourceAddress());
          if (source != null && address != null && source.isIPv4() != address.isIPv4()) {
            error(
                peer,
                "spec.sourceAddress",
                s.sourceAddress()
                    + " and peerAddress "
                    + s.peerAddress()
                    + " are of different families");
          }
        }
        if (s.routerID() != null && !s.routerID().isEmpty()) {
          IPAddress id = address(peer, "spec.routerID", s.routerID());
          if (id != null && (!id.isIPv4() || id.isZero())) {
            error(
                peer,
                "spec.routerID",
                "invalid router ID \""
                    + s.routerID()
                    + "\": a BGP identifier is a non-zero IPv4 address");
          }
        }
        timers(peer, s);
        if (s.connectTime() != null) {
          Duration ct = s.connectTime().value();
          if (ct.getSeconds() < 1 || ct.getSeconds() > 65535) {
            error(peer, "spec.connectTime", "connect time should be between 1 seconds to 65535");
          } else if (ct.getNano() != 0) {
            error(
                peer, "spec.connectTime", "connect time should contain a whole number of seconds");
          }
        }
        boolean hasPassword = s.password() != null && !s.password().isEmpty();
        if (hasPassword && s.passwordSecretName().isPresent()) {
          error(
              peer,
              "spec.password",
              "can not have both password and passwordSecret set (they are mutually exclusive)");
        }
        s.passwordSecretName().ifPresent(name -> passwordSecret(peer, s, name));
        if (s.bfdProfile() != null
            && !s.bfdProfile().isEmpty()
            && r.bfdProfile(s.bfdProfile()).isEmpty()) {
          unresolved(
              peer, "spec.bfdProfile", "BFDProfile \"" + s.bfdProfile() + "\" does not exist");
        }
        selectors(peer, "spec.nodeSelectors", s.nodeSelectors());
        // MetalLB's peersCanRunOnSameNode: one session per router (address or interface, per VRF)
        // on a node. Two peers for one router conflict when any node matches both selectors; with
        // no Node objects known, they are assumed to (MetalLB's peersShareNode).
        String router =
            (hasAddress ? s.peerAddress() : "if:" + s.iface())
                + "|"
                + Objects.requireNonNullElse(s.vrf(), "");
        for (BGPPeer twin : routers.getOrDefault(router, List.of())) {
          if (peersShareNode(twin.spec().nodeSelectors(), s.nodeSelectors())) {
            error(
                peer,
                hasAddress ? "spec.peerAddress" : "spec.interface",
                "peer "
                    + (hasAddress ? s.peerAddress() : s.iface())
                    + " already exists as "
                    + twin.describe()
                    + (r.nodes().isEmpty()
                        ? " (same router and vrf; no Node is known to tell their nodes apart)"
                        : " (same router and vrf, and a node selected by both)"));
            break;
          }
        }
        routers.computeIfAbsent(router, k -> new ArrayList<>()).add(peer);
      }
    }

    /** RFC 4271 §4.2 and MetalLB's parseTimers: hold 0 or ≥ 3 s, keepalive ≤ hold. */
    private void timers(BGPPeer peer, BGPPeer.Spec s) {
      GoDuration hold = s.holdTime();
      GoDuration keepalive = s.keepaliveTime();
      if (hold != null && hold.value().isNegative()) {
        error(peer, "spec.holdTime", "invalid hold time \"" + hold + "\": must not be negative");
        return;
      }
      if (keepalive != null && keepalive.value().isNegative()) {
        error(
            peer,
            "spec.keepaliveTime",
            "invalid keepaliveTime \"" + keepalive + "\": must not be negative");
        return;
      }
      long seconds = s.effectiveHoldTime().getSeconds();
      if (seconds != 0 && seconds < 3) {
        if (hold != null) {
          error(peer, "spec.holdTime", "invalid hold time \"" + hold + "\": must be 0 or >=3s");
        } else {
          error(
              peer,
              "spec.keepaliveTime",
              "keepaliveTime \""
                  + keepalive
                  + "\" gives a hold time of "
                  + s.effectiveHoldTime().toMillis()
                  + "ms: the hold time must be 0 or >=3s");
        }
      }
      if (seconds > 65535) {
        error(
            peer,
            hold != null ? "spec.holdTime" : "spec.keepaliveTime",
            "hold time of " + seconds + "s exceeds 65535s, the most a BGP OPEN can carry");
      }
      if (hold != null && keepalive != null && keepalive.value().compareTo(hold.value()) > 0) {
        error(peer, "spec.keepaliveTime", keepalive + " is longer than spec.holdTime " + hold);
      }
    }

    /** MetalLB requires a kubernetes.io/basic-auth Secret with the key {@code password}. */
    private void passwordSecret(BGPPeer peer, BGPPeer.Spec s, String name) {
      Secret secret = r.passwordSecret(peer).orElse(null);
      if (secret == null) {
        warning(
            peer,
            "spec.passwordSecret",
            "Secret \""
                + name
                + "\" is not among the objects read; it must exist before the session starts");
        return;
      }
      if (!"kubernetes.io/basic-auth".equals(secret.getType())) {
        error(
            peer,
            "spec.passwordSecret",
            "secret type mismatch on \""
                + name
                + "\", type \"kubernetes.io/basic-auth\" is expected");
      }
      boolean hasKey =
          secret.getData() != null && secret.getData().containsKey("password")
              || secret.getStringData() != null && secret.getStringData().containsKey("password");
      if (!hasKey) {
        error(peer, "spec.passwordSecret", "password not specified in the secret \"" + name + "\"");
      }
    }

    // ---- L2Advertisement ----------------------------------------------------------------------

    private void l2Advertisements() {
      for (L2Advertisement adv : r.l2Advertisements()) {
        L2Advertisement.Spec s = adv.spec();
        noDuplicates(adv, "spec.ipAddressPools", s.ipAddressPools());
        missingPools(adv, s.ipAddressPools());
        selectors(adv, "spec.ipAddressPoolSelectors", s.ipAddressPoolSelectors());
        selectors(adv, "spec.nodeSelectors", s.nodeSelectors());
        selectors(adv, "spec.serviceSelectors", s.serviceSelectors());
        for (int i = 0; i < s.preferredNodeSelectors().size(); i++) {
          LabelSelector preference = s.preferredNodeSelectors().get(i).preference();
          if (preference != null) {
            selectors(
                adv, "spec.preferredNodeSelectors[" + i + "].preference", List.of(preference));
          }
        }
        noDuplicates(adv, "spec.interfaces", s.interfaces());
        for (int i = 0; i < s.interfaces().size(); i++) {
          String name = s.interfaces().get(i);
          if (name == null || !INTERFACE_NAME.matcher(name).matches()) {
            error(
                adv,
                "spec.interfaces[" + i + "]",
                "\""
                    + name
                    + "\" is not a valid interface name (1-15 characters, no '/', ':' or spaces)");
          }
        }
      }
    }

    // ---- BGPAdvertisement ---------------------------------------------------------------------

    private void bgpAdvertisements() {
      List<BGPAdvertisement> advs = r.bgpAdvertisements();
      for (int i = 0; i < advs.size(); i++) {
        BGPAdvertisement adv = advs.get(i);
        BGPAdvertisement.Spec s = adv.spec();
        noDuplicates(adv, "spec.ipAddressPools", s.ipAddressPools());
        noDuplicates(adv, "spec.communities", s.communities());
        noDuplicates(adv, "spec.peers", s.peers());
        missingPools(adv, s.ipAddressPools());
        selectors(adv, "spec.ipAddressPoolSelectors", s.ipAddressPoolSelectors());
        selectors(adv, "spec.nodeSelectors", s.nodeSelectors());
        selectors(adv, "spec.serviceSelectors", s.serviceSelectors());
        if (!s.serviceSelectors().isEmpty()) {
          if (s.aggregationLength() != BGPAdvertisement.DEFAULT_AGGREGATION_LENGTH) {
            error(
                adv,
                "spec.serviceSelectors",
                "serviceSelectors and aggregationLength are mutually exclusive, both cannot be set");
          }
          if (s.aggregationLengthV6() != BGPAdvertisement.DEFAULT_AGGREGATION_LENGTH_V6) {
            error(
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
            warning(adv, "spec.peers", "BGPPeer \"" + peer + "\" does not exist");
          }
        }
        if (s.localPref() != 0
            && !s.peers().isEmpty()
            && targetPeers(s).stream().noneMatch(p -> p.spec() != null && p.spec().isInternal())) {
          warning(
              adv,
              "spec.localPref",
              "LOCAL_PREF is only sent to iBGP peers, and every peer here is eBGP");
        }
        for (int j = 0; j < i; j++) {
          if (advs.get(j).spec().equals(s)) {
            warning(
                adv,
                "spec",
                "same spec as " + advs.get(j).describe() + "; one of them is redundant");
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
      for (AddressRange range : ranges.getOrDefault(pool, List.of())) {
        boolean v4 = range.isIpv4();
        int length = v4 ? adv.spec().aggregationLength() : adv.spec().aggregationLengthV6();
        int widest = range.widestPrefixLength();
        if (length < 1) {
          continue; // out of the schema's range, reported there
        }
        if (length < widest) {
          error(
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
     * Two advertisements that would announce the same prefix to the same peer from the same node
     * must agree on LOCAL_PREF (MetalLB's BGPAdvertisementsHaveCompatibleLocalPref). Advertisements
     * with service selectors are exempt, as in MetalLB: which Services they cover is not known
     * here.
     */
    private void localPref(
        BGPAdvertisement adv, IPAddressPool pool, List<BGPAdvertisement> earlier) {
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
        error(
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
      List<AddressRange> rs = ranges.getOrDefault(pool, List.of());
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
        Set<String> left = selectedNodes(a);
        return selectedNodes(b).stream().anyMatch(left::contains);
      }
      if (a.isEmpty() || b.isEmpty()) {
        return true;
      }
      Set<String> left = a.stream().map(LabelSelector::canonical).collect(Collectors.toSet());
      return b.stream().map(LabelSelector::canonical).anyMatch(left::contains);
    }

    /** Whether a known node matches both selector lists; true when no Node is known. */
    private boolean peersShareNode(List<LabelSelector> a, List<LabelSelector> b) {
      if (r.nodes().isEmpty()) {
        return true;
      }
      Set<String> left = selectedNodes(a);
      return selectedNodes(b).stream().anyMatch(left::contains);
    }

    private Set<String> selectedNodes(List<LabelSelector> selectors) {
      Set<String> names = new HashSet<>();
      for (Node n : r.nodes()) {
        Map<String, String> labels = n.getMetadata().getLabels();
        if (LabelSelector.anyMatches(selectors, labels == null ? Map.of() : labels)) {
          names.add(n.getMetadata().getName());
        }
      }
      return names;
    }

    /**
     * MetalLB's validateConfig: BFD echo mode cannot serve IPv6 (RFC 5881 §4 echo is IPv4 here).
     */
    private void echoMode(BGPAdvertisement adv, IPAddressPool pool) {
      if (ranges.getOrDefault(pool, List.of()).stream().allMatch(AddressRange::isIpv4)) {
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
                    error(
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
      if (aliases.containsKey(text)) {
        return;
      }
      try {
        BgpCommunity.parse(text);
      } catch (BgpCommunity.InvalidFormatException e) {
        // Not a value, so meant as the name of a Community alias that may be created later.
        unresolved(
            adv,
            field,
            "\""
                + text
                + "\" is neither a community (65000:100, large:65000:1:2) nor a Community alias");
      } catch (IllegalArgumentException e) {
        error(adv, field, e.getMessage());
      }
    }

    // ---- shared helpers -----------------------------------------------------------------------

    private IPAddress address(MetalLbObject o, String field, String text) {
      try {
        return IpAddresses.parseAddress(text);
      } catch (IllegalArgumentException e) {
        error(o, field, "\"" + text + "\" is " + e.getMessage());
        return null;
      }
    }

    private void missingPools(MetalLbObject adv, List<String> names) {
      for (String name : new LinkedHashSet<>(names)) {
        if (r.pool(name).isEmpty()) {
          warning(adv, "spec.ipAddressPools", "IPAddressPool \"" + name + "\" does not exist");
        }
      }
    }

    private void noDuplicates(MetalLbObject o, String field, List<String> values) {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < values.size(); i++) {
        if (!seen.add(values.get(i))) {
          error(o, field + "[" + i + "]", "duplicate definition of \"" + values.get(i) + "\"");
        }
      }
    }

    /** metav1.LabelSelectorAsSelector's rules, and MetalLB's validateLabelSelectorDuplicate. */
    private void selectors(MetalLbObject o, String field, List<LabelSelector> selectors) {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < selectors.size(); i++) {
        LabelSelector sel = selectors.get(i);
        String at = field + "[" + i + "]";
        Set<String> expressions = new HashSet<>();
        for (int j = 0; j < sel.matchExpressions().size(); j++) {
          LabelSelector.Requirement req = sel.matchExpressions().get(j);
          String reqField = at + ".matchExpressions[" + j + "]";
          String problem = req.problem();
          if (problem != null) {
            error(o, reqField, problem);
          }
          if (new HashSet<>(req.values()).size() != req.values().size()) {
            error(o, reqField + ".values", "duplicate definition of match expression value");
          }
          String canonical =
              req.key() + " " + req.operator() + " " + req.values().stream().sorted().toList();
          if (!expressions.add(canonical)) {
            error(o, reqField, "duplicate definition of match expressions");
          }
        }
        if (!seen.add(sel.canonical())) {
          error(o, at, "duplicate definition of " + field.substring(field.lastIndexOf('.') + 1));
        }
      }
    }
  }
}
