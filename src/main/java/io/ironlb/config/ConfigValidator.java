package io.ironlb.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The rules of MetalLB's validating webhooks and configuration parser, as one pure function from
 * {@link ClusterResources} to the list of {@link Problem}s. Unlike MetalLB, which stops at the
 * first error, every problem is reported. The same class serves {@code ironlb validate}, the file
 * source and the admission webhook.
 *
 * <p>The pools, communities, BFD profiles and L2Advertisements are checked here; BGPPeer's rules
 * are {@link BgpPeerRules}, BGPAdvertisement's {@link BgpAdvertisementRules}; they share one {@link
 * ValidationRun}.
 *
 * <p>Where MetalLB accepts something only to fail later (a BGPAdvertisement naming a pool that does
 * not exist), IronLB warns.
 */
public final class ConfigValidator {

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
    private final ValidationRun run;
    private final ClusterResources r;
    private final List<Problem> problems;
    private final Map<IPAddressPool, List<AddressRange>> ranges;
    private final Map<String, BgpCommunity> aliases;

    Run(ClusterResources r) {
      this.run = new ValidationRun(r);
      this.r = r;
      this.problems = run.problems;
      this.ranges = run.ranges;
      this.aliases = run.aliases;
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
      new BgpPeerRules(run).check();
      bfdProfiles();
      l2Advertisements();
      new BgpAdvertisementRules(run).check();
      return List.copyOf(problems);
    }

    /**
     * IronLB's BFD runs Asynchronous mode only: a profile asking for Echo is refused, not ignored.
     */
    private void bfdProfiles() {
      for (BFDProfile p : r.bfdProfiles()) {
        if (p.spec().echoMode()) {
          run.error(
              p,
              "spec.echoMode",
              "BFD Echo is not implemented by IronLB's native speaker (Asynchronous mode only);"
                  + " set echoMode: false");
        }
      }
    }

    private void uniqueNames(List<? extends MetalLbObject> objects) {
      Set<String> seen = new HashSet<>();
      for (MetalLbObject o : objects) {
        if (!o.name().isEmpty() && !seen.add(o.metadata().qualifiedName())) {
          run.error(o, "metadata.name", "duplicate definition of " + o.describe());
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
            run.error(pool, field, e.getMessage());
            continue;
          }
          for (var other : seen) {
            if (other.getValue().overlaps(range)) {
              String where =
                  other.getKey() == pool ? "in the same pool" : "in " + other.getKey().describe();
              run.error(
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
          run.noDuplicates(pool, "spec.serviceAllocation.namespaces", alloc.namespaces());
          run.selectors(
              pool, "spec.serviceAllocation.namespaceSelectors", alloc.namespaceSelectors());
          run.selectors(pool, "spec.serviceAllocation.serviceSelectors", alloc.serviceSelectors());
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
            run.error(c, field + ".name", "required");
            continue;
          }
          BgpCommunity value;
          try {
            value = BgpCommunity.parse(Objects.requireNonNullElse(alias.value(), ""));
          } catch (IllegalArgumentException e) {
            run.error(c, field + ".value", e.getMessage());
            continue;
          }
          if (aliases.putIfAbsent(alias.name(), value) != null) {
            run.error(
                c, field + ".name", "duplicate definition of community \"" + alias.name() + "\"");
          }
        }
      }
    }

    // ---- L2Advertisement ----------------------------------------------------------------------

    private void l2Advertisements() {
      for (L2Advertisement adv : r.l2Advertisements()) {
        L2Advertisement.Spec s = adv.spec();
        run.noDuplicates(adv, "spec.ipAddressPools", s.ipAddressPools());
        run.missingPools(adv, s.ipAddressPools());
        run.selectors(adv, "spec.ipAddressPoolSelectors", s.ipAddressPoolSelectors());
        run.selectors(adv, "spec.nodeSelectors", s.nodeSelectors());
        run.selectors(adv, "spec.serviceSelectors", s.serviceSelectors());
        for (int i = 0; i < s.preferredNodeSelectors().size(); i++) {
          LabelSelector preference = s.preferredNodeSelectors().get(i).preference();
          if (preference != null) {
            run.selectors(
                adv, "spec.preferredNodeSelectors[" + i + "].preference", List.of(preference));
          }
        }
        run.noDuplicates(adv, "spec.interfaces", s.interfaces());
        for (int i = 0; i < s.interfaces().size(); i++) {
          String name = s.interfaces().get(i);
          if (name == null || !ValidationRun.INTERFACE_NAME.matcher(name).matches()) {
            run.error(
                adv,
                "spec.interfaces[" + i + "]",
                "\""
                    + name
                    + "\" is not a valid interface name (1-15 characters, no '/', ':' or spaces)");
          }
        }
      }
    }
  }
}
