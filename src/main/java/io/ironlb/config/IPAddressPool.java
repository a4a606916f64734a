package io.ironlb.config;

import io.ironlb.config.Schema.Default;
import io.ironlb.config.Schema.Doc;
import io.ironlb.config.Schema.Required;
import java.util.List;

/** A set of addresses IronLB may hand to Services (metallb.io/v1beta1 IPAddressPool). */
public record IPAddressPool(ObjectMeta metadata, @Required Spec spec, Status status)
    implements MetalLbObject {

  public IPAddressPool {
    status = status == null ? Status.EMPTY : status;
  }

  @Override
  public ObjectKind kind() {
    return ObjectKind.IP_ADDRESS_POOL;
  }

  /**
   * Whether an advertisement that lists these pool names and pool selectors covers this pool: with
   * neither, every pool does; otherwise the pools named or matched by a selector.
   */
  public boolean isSelectedBy(List<String> names, List<LabelSelector> selectors) {
    if (names.isEmpty() && selectors.isEmpty()) {
      return true;
    }
    return names.contains(name())
        || selectors.stream().anyMatch(s -> s.matches(metadata().labels()));
  }

  public record Spec(
      @Required
          @Doc(
              "Address ranges the pool owns: CIDRs (10.0.0.0/24) or start-end ranges, IPv4 or IPv6.")
          List<String> addresses,
      @Default("true")
          @Doc("When false, only Services that ask for this pool by name get addresses.")
          Boolean autoAssign,
      @Default("false") @Doc("Skip IPv4 addresses ending in .0 and .255.") boolean avoidBuggyIPs,
      @Doc("Restricts the pool to namespaces and Services, with a priority among pools.")
          ServiceAllocation serviceAllocation) {

    public Spec {
      addresses = addresses == null ? List.of() : List.copyOf(addresses);
      autoAssign = autoAssign == null ? Boolean.TRUE : autoAssign;
    }
  }

  public record ServiceAllocation(
      @Doc("Lower values are tried first; pools without a priority come after those with one.")
          Integer priority,
      @Doc("Namespaces whose Services may use the pool.") List<String> namespaces,
      @Doc("Selects namespaces whose Services may use the pool.")
          List<LabelSelector> namespaceSelectors,
      @Doc("Selects Services that may use the pool.") List<LabelSelector> serviceSelectors) {

    public ServiceAllocation {
      namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
      namespaceSelectors = namespaceSelectors == null ? List.of() : List.copyOf(namespaceSelectors);
      serviceSelectors = serviceSelectors == null ? List.of() : List.copyOf(serviceSelectors);
    }
  }

  public record Status(
      @Doc("Assigned IPv4 addresses.") long assignedIPv4,
      @Doc("Assigned IPv6 addresses.") long assignedIPv6,
      @Doc("IPv4 addresses still free.") long availableIPv4,
      @Doc("IPv6 addresses still free.") long availableIPv6) {
    public static final Status EMPTY = new Status(0, 0, 0, 0);
  }
}
