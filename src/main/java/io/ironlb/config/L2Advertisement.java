package io.ironlb.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.ironlb.config.Schema.Doc;
import io.ironlb.config.Schema.Range;
import io.ironlb.config.Schema.Required;
import java.util.List;

/** Announces pools' addresses on layer 2 (metallb.io/v1beta1 L2Advertisement). */
@JsonIgnoreProperties({"status"})
public record L2Advertisement(ObjectMeta metadata, Spec spec) implements MetalLbObject {

  public L2Advertisement {
    spec = spec == null ? new Spec(null, null, null, null, null, null) : spec;
  }

  @Override
  public ObjectKind kind() {
    return ObjectKind.L2_ADVERTISEMENT;
  }

  public record Spec(
      @Doc("Pools to announce, by name. With no pools and no pool selectors, all pools.")
          List<String> ipAddressPools,
      @Doc("Selects pools to announce by label.") List<LabelSelector> ipAddressPoolSelectors,
      @Doc("Nodes that may announce. Empty: every node.") List<LabelSelector> nodeSelectors,
      @Doc("Interfaces to announce from. Empty: every eligible interface.") List<String> interfaces,
      @Doc("Services to announce. Empty: every Service of the selected pools.")
          List<LabelSelector> serviceSelectors,
      @Doc("Soft preferences among eligible nodes; higher summed weight wins the election.")
          List<PreferredNodeSelector> preferredNodeSelectors) {

    public Spec {
      ipAddressPools = ipAddressPools == null ? List.of() : List.copyOf(ipAddressPools);
      ipAddressPoolSelectors =
          ipAddressPoolSelectors == null ? List.of() : List.copyOf(ipAddressPoolSelectors);
      nodeSelectors = nodeSelectors == null ? List.of() : List.copyOf(nodeSelectors);
      interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
      serviceSelectors = serviceSelectors == null ? List.of() : List.copyOf(serviceSelectors);
      preferredNodeSelectors =
          preferredNodeSelectors == null ? List.of() : List.copyOf(preferredNodeSelectors);
    }
  }

  public record PreferredNodeSelector(
      @Required @Range(min = 1, max = 100) @Doc("Weight added to matching nodes, 1-100.")
          int weight,
      @Required @Doc("Nodes that receive the weight.") LabelSelector preference) {}
}
