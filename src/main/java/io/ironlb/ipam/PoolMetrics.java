package io.ironlb.ipam;

import io.ironlb.metrics.MetricFamilies;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MetalLB's allocator gauges per pool, with its names and help texts: usable addresses ({@code
 * metallb_allocator_addresses_total}, in use or not) and addresses in use, each also per family
 * ({@code metallb_allocator_ipv4_addresses_total}, ...), and {@code
 * metallb_allocator_services_allocated_total}. A deleted pool's series go, as MetalLB's
 * deleteStatsFor does.
 */
final class PoolMetrics {
  private final MetricFamilies.Family total;
  private final MetricFamilies.Family totalV4;
  private final MetricFamilies.Family totalV6;
  private final MetricFamilies.Family inUse;
  private final MetricFamilies.Family inUseV4;
  private final MetricFamilies.Family inUseV6;
  private final MetricFamilies.Family services;
  private final Set<String> pools = new HashSet<>();

  PoolMetrics(MetricFamilies families) {
    total = gauge(families, "addresses_total", "Number of usable IP addresses, per pool");
    totalV4 = gauge(families, "ipv4_addresses_total", "Number of usable IPV4 addresses, per pool");
    totalV6 = gauge(families, "ipv6_addresses_total", "Number of usable IPV6 addresses, per pool");
    inUse = gauge(families, "addresses_in_use_total", "Number of IP addresses in use, per pool");
    inUseV4 =
        gauge(families, "ipv4_addresses_in_use_total", "Number of IPV4 addresses in use, per pool");
    inUseV6 =
        gauge(families, "ipv6_addresses_in_use_total", "Number of IPV6 addresses in use, per pool");
    services =
        gauge(families, "services_allocated_total", "Number of services allocated, per pool");
  }

  private static MetricFamilies.Family gauge(MetricFamilies families, String name, String help) {
    return families.gauge("metallb_allocator_" + name, help, "pool");
  }

  /**
   * @param all every pool's counts
   * @param servicesPerPool how many Services hold addresses from each pool
   */
  void record(List<PoolCounts> all, Map<String, Long> servicesPerPool) {
    Set<String> now = new HashSet<>();
    for (PoolCounts c : all) {
      String pool = c.pool();
      inUseV4.set(c.assignedIPv4(), pool);
      inUseV6.set(c.assignedIPv6(), pool);
      inUse.set(c.assignedIPv4() + c.assignedIPv6(), pool);
      totalV4.set(c.assignedIPv4() + c.availableIPv4(), pool);
      totalV6.set(c.assignedIPv6() + c.availableIPv6(), pool);
      total.set(c.assignedIPv4() + c.availableIPv4() + c.assignedIPv6() + c.availableIPv6(), pool);
      services.set(servicesPerPool.getOrDefault(pool, 0L), pool);
      now.add(pool);
    }
    for (String gone : pools) {
      if (!now.contains(gone)) {
        for (MetricFamilies.Family f :
            List.of(total, totalV4, totalV6, inUse, inUseV4, inUseV6, services)) {
          f.remove(gone);
        }
      }
    }
    pools.clear();
    pools.addAll(now);
  }
}
