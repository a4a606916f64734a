package io.ironlb.source.kubernetes;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.ironlb.config.ObjectKind;
import io.ironlb.config.ServiceKey;
import io.ironlb.ipam.PoolCounts;
import io.ironlb.ipam.ServiceRequest;
import io.ironlb.source.StatusWriter;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Writes allocation results to the API server. Every write is a read-modify-write guarded by the
 * object's resourceVersion (optimistic concurrency): on 409 Conflict it reads again and retries, so
 * a write never clobbers a change made in between. fabric8's client blocks, so writes run on the
 * given executor; writes for one Service are chained so they land in the order they were made.
 */
public final class KubernetesStatusWriter implements StatusWriter {

  private static final int ATTEMPTS = 5;

  private final KubernetesClient client;
  private final String namespace;
  private final String component;
  private final Executor executor;
  private final Map<Object, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

  /**
   * @param namespace where the metallb.io objects live (for IPAddressPool status)
   * @param component the event source, e.g. {@code ironlb-controller}
   */
  public KubernetesStatusWriter(
      KubernetesClient client, String namespace, String component, Executor executor) {
    this.client = client;
    this.namespace = namespace;
    this.component = component;
    this.executor = executor;
  }

  @Override
  public CompletionStage<Void> writeService(Service observed, List<String> ips, String pool) {
    ServiceKey key = ServiceKey.of(observed);
    return chain(key, () -> writeServiceNow(key, observed, ips, pool));
  }

  private void writeServiceNow(ServiceKey key, Service observed, List<String> ips, String pool) {
    boolean[] first = {true};
    retryOnConflict(
        () -> {
          // The informer's copy first; after a conflict, the server's.
          Service svc =
              first[0]
                  ? observed
                  : client.services().inNamespace(key.namespace()).withName(key.name()).get();
          first[0] = false;
          if (svc == null) {
            return; // deleted meanwhile: nothing to write
          }
          Map<String, String> annotations =
              new HashMap<>(
                  Objects.requireNonNullElse(svc.getMetadata().getAnnotations(), Map.of()));
          boolean annotationChanged =
              !Objects.equals(annotations.get(ServiceRequest.ALLOCATED_FROM_POOL), pool);
          if (annotationChanged) {
            if (pool == null) {
              annotations.remove(ServiceRequest.ALLOCATED_FROM_POOL);
            } else {
              annotations.put(ServiceRequest.ALLOCATED_FROM_POOL, pool);
            }
            svc =
                client
                    .services()
                    .inNamespace(key.namespace())
                    .resource(
                        new ServiceBuilder(svc)
                            .editMetadata()
                            .withAnnotations(annotations)
                            .endMetadata()
                            .build())
                    .update();
          }
          List<LoadBalancerIngress> ingress =
              ips.stream().map(ip -> new LoadBalancerIngressBuilder().withIp(ip).build()).toList();
          List<LoadBalancerIngress> current =
              svc.getStatus() == null || svc.getStatus().getLoadBalancer() == null
                  ? List.of()
                  : Objects.requireNonNullElse(
                      svc.getStatus().getLoadBalancer().getIngress(), List.of());
          if (!current.equals(ingress)) {
            Service withStatus =
                new ServiceBuilder(svc)
                    .editOrNewStatus()
                    .withNewLoadBalancer()
                    .withIngress(ingress)
                    .endLoadBalancer()
                    .endStatus()
                    .build();
            client.services().inNamespace(key.namespace()).resource(withStatus).updateStatus();
          }
        });
  }

  @Override
  public CompletionStage<Void> event(
      ServiceKey key, boolean warning, String reason, String message) {
    return chain(
        key,
        () -> {
          String now = Instant.now().toString();
          client
              .v1()
              .events()
              .inNamespace(key.namespace())
              .resource(
                  new EventBuilder()
                      .withNewMetadata()
                      .withName(
                          key.name()
                              + "."
                              + UUID.randomUUID().toString().substring(0, 13).replace("-", ""))
                      .withNamespace(key.namespace())
                      .endMetadata()
                      .withNewInvolvedObject()
                      .withApiVersion("v1")
                      .withKind("Service")
                      .withNamespace(key.namespace())
                      .withName(key.name())
                      .endInvolvedObject()
                      .withType(warning ? "Warning" : "Normal")
                      .withReason(reason)
                      .withMessage(message)
                      .withNewSource()
                      .withComponent(component)
                      .endSource()
                      .withReportingComponent(component)
                      .withFirstTimestamp(now)
                      .withLastTimestamp(now)
                      .withCount(1)
                      .build())
              .create();
        });
  }

  @Override
  public CompletionStage<Void> writePool(PoolCounts counts) {
    return chain(
        "pool/" + counts.pool(),
        () ->
            retryOnConflict(
                () -> {
                  var pools =
                      client
                          .genericKubernetesResources(
                              KubernetesSource.context(ObjectKind.IP_ADDRESS_POOL))
                          .inNamespace(namespace);
                  GenericKubernetesResource pool = pools.withName(counts.pool()).get();
                  if (pool == null) {
                    return;
                  }
                  Map<String, Object> status = new LinkedHashMap<>();
                  status.put("assignedIPv4", counts.assignedIPv4());
                  status.put("assignedIPv6", counts.assignedIPv6());
                  status.put("availableIPv4", counts.availableIPv4());
                  status.put("availableIPv6", counts.availableIPv6());
                  if (status.equals(pool.getAdditionalProperties().get("status"))) {
                    return;
                  }
                  pool.setAdditionalProperty("status", status);
                  pools.resource(pool).updateStatus();
                }));
  }

  private static void retryOnConflict(Runnable write) {
    for (int attempt = 1; ; attempt++) {
      try {
        write.run();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** Runs {@code write} after every earlier write for the same key, on the executor. */
  private CompletionStage<Void> chain(Object key, Runnable write) {
    Supplier<CompletableFuture<Void>> next = () -> CompletableFuture.runAsync(write, executor);
    CompletableFuture<Void> result =
        tails.compute(
            key,
            (k, tail) ->
                tail == null
                    ? next.get()
                    : tail.handle((ok, e) -> null).thenCompose(x -> next.get()));
    result.whenComplete((ok, e) -> tails.remove(key, result));
    return result;
  }
}
