package io.ironlb.config;

import inet.ipaddr.IPAddress;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One validation pass of {@link ConfigValidator}: the objects, what the pass has parsed so far (the
 * pools' ranges, the Community aliases), the problems found, and the checks every kind's rules
 * share.
 */
final class ValidationRun {
  /** Linux interface names: at most 15 bytes, no slash or whitespace (IFNAMSIZ, dev_valid_name). */
  static final Pattern INTERFACE_NAME = Pattern.compile("[^/\\s:]{1,15}");

  final ClusterResources r;
  final List<Problem> problems = new ArrayList<>();
  final Map<IPAddressPool, List<AddressRange>> ranges = new IdentityHashMap<>();
  final Map<String, BgpCommunity> aliases = new HashMap<>();

  ValidationRun(ClusterResources r) {
    this.r = r;
  }

  void error(MetalLbObject o, String field, String reason) {
    problems.add(Problem.error(o.describe(), field, reason));
  }

  void unresolved(MetalLbObject o, String field, String reason) {
    problems.add(Problem.unresolved(o.describe(), field, reason));
  }

  void warning(MetalLbObject o, String field, String reason) {
    problems.add(Problem.warning(o.describe(), field, reason));
  }

  IPAddress address(MetalLbObject o, String field, String text) {
    try {
      return IpAddresses.parseAddress(text);
    } catch (IllegalArgumentException e) {
      error(o, field, "\"" + text + "\" is " + e.getMessage());
      return null;
    }
  }

  void missingPools(MetalLbObject adv, List<String> names) {
    for (String name : new LinkedHashSet<>(names)) {
      if (r.pool(name).isEmpty()) {
        warning(adv, "spec.ipAddressPools", "IPAddressPool \"" + name + "\" does not exist");
      }
    }
  }

  void noDuplicates(MetalLbObject o, String field, List<String> values) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < values.size(); i++) {
      if (!seen.add(values.get(i))) {
        error(o, field + "[" + i + "]", "duplicate definition of \"" + values.get(i) + "\"");
      }
    }
  }

  /** metav1.LabelSelectorAsSelector's rules, and MetalLB's validateLabelSelectorDuplicate. */
  void selectors(MetalLbObject o, String field, List<LabelSelector> selectors) {
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

  Set<String> selectedNodes(List<LabelSelector> selectors) {
    Set<String> names = new HashSet<>();
    for (Node n : r.nodes()) {
      Map<String, String> labels = n.getMetadata().getLabels();
      if (LabelSelector.anyMatches(selectors, labels == null ? Map.of() : labels)) {
        names.add(n.getMetadata().getName());
      }
    }
    return names;
  }
}
