package io.ironlb.source;

import io.ironlb.metrics.MetricFamilies;

/**
 * MetalLB's k8s client metrics, kept for every snapshot a component receives (in Kubernetes mode
 * and from files alike): {@code metallb_k8s_client_updates_total} (snapshots processed: each one
 * carries every change since the last, where MetalLB counts single object events), {@code
 * metallb_k8s_client_update_errors_total} (snapshots whose configuration was rejected), {@code
 * metallb_k8s_client_config_loaded_bool} and {@code metallb_k8s_client_config_stale_bool}.
 */
final class SourceMetrics {
  private final MetricFamilies.Family updates;
  private final MetricFamilies.Family errors;
  private final MetricFamilies.Family loaded;
  private final MetricFamilies.Family stale;

  SourceMetrics(MetricFamilies families) {
    updates =
        families.counter(
            "metallb_k8s_client_updates_total",
            "Number of k8s object updates that have been processed");
    errors =
        families.counter(
            "metallb_k8s_client_update_errors_total",
            "Number of k8s object updates that failed for some reason");
    loaded =
        families.gauge(
            "metallb_k8s_client_config_loaded_bool",
            "1 if the MetalLB configuration was successfully loaded at least once");
    stale =
        families.gauge(
            "metallb_k8s_client_config_stale_bool",
            "1 if running on a stale configuration, because the latest config failed to load");
    // Present from the start (0), without resetting what another component of this node set.
    updates.add(0);
    errors.add(0);
    loaded.add(0);
    stale.add(0);
  }

  void observe(Snapshot s) {
    updates.add(1);
    if (s.configStale()) {
      errors.add(1);
      stale.set(1);
    } else {
      loaded.set(1);
      stale.set(0);
    }
  }
}
