package io.ironlb.ipam;

import io.fabric8.kubernetes.api.model.Service;
import io.ironlb.config.ServiceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The standalone status store: allocation results kept in memory, for the status API. Also the
 * writer tests read back.
 */
public final class InMemoryStatusWriter implements StatusWriter {

  /** A Service's written status. */
  public record ServiceStatus(List<String> ips, String pool) {}

  /** One recorded event. */
  public record Event(ServiceKey service, boolean warning, String reason, String message) {}

  private final Map<ServiceKey, ServiceStatus> services = new ConcurrentHashMap<>();
  private final Map<String, PoolCounts> pools = new ConcurrentHashMap<>();
  private final List<Event> events = new ArrayList<>();

  @Override
  public CompletionStage<Void> writeService(Service observed, List<String> ips, String pool) {
    ServiceKey service = ServiceKey.of(observed);
    if (ips.isEmpty()) {
      services.remove(service);
    } else {
      services.put(service, new ServiceStatus(List.copyOf(ips), pool));
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> event(
      ServiceKey service, boolean warning, String reason, String message) {
    synchronized (events) {
      events.add(new Event(service, warning, reason, message));
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> writePool(PoolCounts counts) {
    pools.put(counts.pool(), counts);
    return CompletableFuture.completedFuture(null);
  }

  public Map<ServiceKey, ServiceStatus> services() {
    return Map.copyOf(services);
  }

  public Map<String, PoolCounts> pools() {
    return Map.copyOf(pools);
  }

  public List<Event> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }
}
