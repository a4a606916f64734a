package io.ironlb.ipam;

import io.fabric8.kubernetes.api.model.Service;
import io.ironlb.config.ServiceKey;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where allocation results go: a Service's {@code status.loadBalancer.ingress} and {@code
 * metallb.io/ip-allocated-from-pool} annotation, events on it, and IPAddressPool status counts.
 * Calls never block the caller; writes for one Service are applied in the order they are made.
 */
public interface StatusWriter {

  /**
   * Writes the addresses (empty: none) and the pool (null: none) of a Service.
   *
   * @param observed the Service as last seen; its resourceVersion guards the write (a conflict
   *     means it changed since, and the writer reads it again)
   */
  CompletionStage<Void> writeService(Service observed, List<String> ips, String pool);

  /** Records an event on a Service. */
  CompletionStage<Void> event(ServiceKey service, boolean warning, String reason, String message);

  /** Writes an IPAddressPool's assigned/available counts. */
  CompletionStage<Void> writePool(PoolCounts counts);
}
