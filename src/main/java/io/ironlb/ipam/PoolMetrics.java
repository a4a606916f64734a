package io.ironlb.ipam;

import io.ironlb.metrics.MetricFamilies;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * MetalLB's allocator metrics per pool: {@code metallb_allocator_addresses_in_use_total} and {@code
 * metallb_allocator_addresses_total} (usable addresses, in use or not). A deleted pool's series go.
 */
final class PoolMetrics {
  private final MetricFamilies.Family inUse;
  private final MetricFamilies.Family total;
  private final Set<String> pools = new HashSet<>();

  PoolMetrics(MetricFamilies families) {
    inUse =
        families.gauge(
            "metallb_allocator_addresses_in_use_total",
            "Number of IP addresses in use, per pool",
            "pool");
    total =
        families.gauge(
            "metallb_allocator_addresses_total", "Number of usable IP addresses, per pool", "pool");
  }

  void record(List<PoolCounts> all) {
    Set<String> now = new HashSet<>();
    for (PoolCounts c : all) {
      long used = c.assignedIPv4() + c.assignedIPv6();
      inUse.set(used, c.pool());
      total.set(used + c.availableIPv4() + c.availableIPv6(), c.pool());
      now.add(c.pool());
    }
    for (String gone : pools) {
      if (!now.contains(gone)) {
        inUse.remove(gone);
        total.remove(gone);
      }
    }
    pools.clear();
    pools.addAll(now);
  }
}
