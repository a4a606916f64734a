package io.ironlb.source.kubernetes;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ironlb.config.ObjectKind;
import io.ironlb.config.Problem;
import io.ironlb.config.ServiceKey;
import io.ironlb.ipam.PoolCounts;
import io.ironlb.ipam.ServiceRequest;
import io.ironlb.ipam.StatusWriter;
import io.ironlb.source.AnnouncementWriter;
import io.ironlb.source.Snapshot;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Writes allocation results (the controller) and announcements (a speaker: ServiceL2Status and
 * ServiceBGPStatus objects, {@code nodeAssigned} events) to the API server. Every write is a
 * read-modify-write guarded by the object's resourceVersion (optimistic concurrency): on 409
 * Conflict it reads again and retries, so a write never clobbers a change made in between. The
 * writes go through a {@link WriteQueue}: in order per object, off the caller's thread, retried
 * until the API server takes them.
 */
public final class KubernetesStatusWriter implements StatusWriter, AnnouncementWriter {

  private final KubernetesClient client;
  private final String namespace;
  private final String component;
  private final WriteQueue writes;

  /** One node's wanted status objects of one kind: Service → the object's status. */
  private record Announcing(String node, Map<ServiceKey, Map<String, Object>> services) {}

  /** Labels on ServiceL2Status and ServiceBGPStatus objects, as MetalLB's speaker sets them. */
  static final String NODE_LABEL = "metallb.io/node";

  static final String SERVICE_NAME_LABEL = "metallb.io/service-name";
  static final String SERVICE_NAMESPACE_LABEL = "metallb.io/service-namespace";

  /**
   * @param namespace where the metallb.io objects live (for IPAddressPool status)
   * @param component the event source, e.g. {@code ironlb-controller}
   */
  public KubernetesStatusWriter(
      KubernetesClient client, String namespace, String component, Executor executor) {
    this.client = client;
    this.namespace = namespace;
    this.component = component;
    this.writes = new WriteQueue(executor);
  }

  @Override
  public CompletionStage<Void> writeService(Service observed, List<String> ips, String pool) {
    ServiceKey key = ServiceKey.of(observed);
    return writes.chain(key, () -> writeServiceNow(key, observed, ips, pool));
  }

  private void writeServiceNow(ServiceKey key, Service observed, List<String> ips, String pool) {
    boolean[] first = {true};
    WriteQueue.retryOnConflict(
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

  /** What makes two events the same one (client-go's EventAggregator key, for one component). */
  private record EventKey(ServiceKey service, boolean warning, String reason, String message) {}

  /** An event already recorded: its object's name and how often it happened. */
  private record Recorded(String name, int count, Instant first, Instant last) {}

  /** client-go's recorder folds repeats within this window into one Event (count, last time). */
  private static final java.time.Duration SAME_EVENT = java.time.Duration.ofMinutes(10);

  /** Recorded events, the newest 4096 (client-go keeps as many). */
  private final Map<EventKey, Recorded> events =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<EventKey, Recorded> eldest) {
              return size() > 4096;
            }
          });

  /**
   * Records an event on a Service. A repeat of the same event (type, reason, message) within ten
   * minutes updates the existing Event's count and last time instead of creating another object, as
   * client-go's recorder does, so a Service that fails to allocate on every resync does not fill
   * etcd with copies.
   */
  @Override
  public CompletionStage<Void> event(
      ServiceKey key, boolean warning, String reason, String message) {
    EventKey id = new EventKey(key, warning, reason, message);
    return writes.chain(
        key,
        () -> {
          Instant now = Instant.now();
          Recorded before = events.get(id);
          if (before != null && before.last().plus(SAME_EVENT).isAfter(now)) {
            var existing =
                client.v1().events().inNamespace(key.namespace()).withName(before.name());
            var event = existing.get();
            if (event != null) {
              Recorded again = new Recorded(before.name(), before.count() + 1, before.first(), now);
              existing.edit(
                  e ->
                      new EventBuilder(e)
                          .withCount(again.count())
                          .withLastTimestamp(now.toString())
                          .build());
              events.put(id, again);
              return;
            }
          }
          String name =
              key.name() + "." + UUID.randomUUID().toString().substring(0, 13).replace("-", "");
          client
              .v1()
              .events()
              .inNamespace(key.namespace())
              .resource(
                  new EventBuilder()
                      .withNewMetadata()
                      .withName(name)
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
                      .withFirstTimestamp(now.toString())
                      .withLastTimestamp(now.toString())
                      .withCount(1)
                      .build())
              .create();
          events.put(id, new Recorded(name, 1, now, now));
        });
  }

  @Override
  public CompletionStage<Void> writePool(PoolCounts counts) {
    return writes.chain(
        "pool/" + counts.pool(),
        () ->
            WriteQueue.retryOnConflict(
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

  @Override
  public void announcing(String node, Map<ServiceKey, List<String>> services) {
    Map<ServiceKey, Map<String, Object>> statuses = new HashMap<>();
    services.forEach(
        (key, interfaces) ->
            statuses.put(
                key,
                status(
                    node,
                    key,
                    "interfaces",
                    interfaces.stream().sorted().map(i -> Map.of("name", i)).toList())));
    sync(l2, new Announcing(node, statuses));
  }

  @Override
  public void announcingBgp(String node, Map<ServiceKey, List<String>> peers) {
    Map<ServiceKey, Map<String, Object>> statuses = new HashMap<>();
    peers.forEach(
        (key, names) ->
            statuses.put(key, status(node, key, "peers", names.stream().sorted().toList())));
    sync(bgp, new Announcing(node, statuses));
  }

  /** One kind of per-node Service status object (ServiceL2Status, ServiceBGPStatus). */
  private final class StatusKind {
    private final ObjectKind kind;
    private final String prefix;
    private final AtomicReference<Announcing> wanted = new AtomicReference<>();
    private final AtomicBoolean queued = new AtomicBoolean();

    StatusKind(ObjectKind kind, String prefix) {
      this.kind = kind;
      this.prefix = prefix;
    }
  }

  private final StatusKind l2 = new StatusKind(ObjectKind.SERVICE_L2_STATUS, "l2-");
  private final StatusKind bgp = new StatusKind(ObjectKind.SERVICE_BGP_STATUS, "bgp-");

  private void sync(StatusKind k, Announcing want) {
    k.wanted.set(want);
    // One sync queued at a time, reading the newest state when it runs: a mass failover's
    // thousands of changes become a few list-and-diff passes.
    if (k.queued.compareAndSet(false, true)) {
      writes.chain(
          k.prefix + "status",
          () -> {
            k.queued.set(false);
            syncStatuses(k, k.wanted.get());
          });
    }
  }

  /**
   * Makes this node's objects of one kind exactly {@code want}: creates the missing, rewrites the
   * changed, deletes this node's others, and deletes other nodes' objects for the Services this
   * node now announces (left by a node that died; MetalLB's speaker cleans them up the same way).
   */
  private void syncStatuses(StatusKind k, Announcing want) {
    var statuses =
        client.genericKubernetesResources(KubernetesSource.context(k.kind)).inNamespace(namespace);
    Map<ServiceKey, Map<String, Object>> missing = new HashMap<>(want.services());
    for (GenericKubernetesResource existing : statuses.list().getItems()) {
      Map<String, String> labels =
          Objects.requireNonNullElse(existing.getMetadata().getLabels(), Map.of());
      String ns = labels.get(SERVICE_NAMESPACE_LABEL);
      String name = labels.get(SERVICE_NAME_LABEL);
      if (ns == null || name == null) {
        continue; // not one of ours
      }
      ServiceKey key = new ServiceKey(ns, name);
      boolean mine = want.node().equals(labels.get(NODE_LABEL));
      if (mine
          && want.services().containsKey(key)
          && want.services().get(key).equals(existing.getAdditionalProperties().get("status"))) {
        missing.remove(key);
      } else if (mine || want.services().containsKey(key)) {
        statuses.resource(existing).delete();
      }
    }
    missing.forEach(
        (key, body) -> {
          GenericKubernetesResource status = new GenericKubernetesResource();
          status.setApiVersion(ObjectKind.GROUP + "/" + k.kind.version());
          status.setKind(k.kind.kind());
          status.setMetadata(
              new ObjectMetaBuilder()
                  .withName(statusName(k.prefix, want.node(), key))
                  .withNamespace(namespace)
                  .withLabels(
                      Map.of(
                          NODE_LABEL, want.node(),
                          SERVICE_NAME_LABEL, key.name(),
                          SERVICE_NAMESPACE_LABEL, key.namespace()))
                  .build());
          status.setAdditionalProperty("status", body);
          // status is a subresource: the object first, then its status.
          GenericKubernetesResource created = statuses.resource(status).createOr(e -> e.update());
          created.setAdditionalProperty("status", body);
          statuses.resource(created).updateStatus();
        });
  }

  private static Map<String, Object> status(
      String node, ServiceKey key, String field, List<?> value) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("node", node);
    status.put("serviceName", key.name());
    status.put("serviceNamespace", key.namespace());
    status.put(field, value);
    return status;
  }

  /**
   * Reports every snapshot's verdict on the configuration as this component's ConfigurationState
   * ({@code name}: {@code controller} or {@code speaker-NODE}, as MetalLB names them): Valid, or
   * Invalid with every error, one per line. Writes only changes, the newest winning; returns each
   * snapshot unchanged, to sit in the source ({@code source.map(...)}).
   */
  public UnaryOperator<Snapshot> configurationState(String name, Map<String, String> labels) {
    AtomicReference<Map<String, Object>> latest = new AtomicReference<>();
    AtomicBoolean queued = new AtomicBoolean();
    return snapshot -> {
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("result", snapshot.configStale() ? "Invalid" : "Valid");
      status.put(
          "errorSummary",
          snapshot.problems().stream()
              .filter(Problem::isError)
              .map(Problem::toString)
              .collect(Collectors.joining("\n")));
      if (!status.equals(latest.getAndSet(status)) && queued.compareAndSet(false, true)) {
        writes.chain(
            "configuration-state",
            () -> {
              queued.set(false);
              writeConfigurationState(name, labels, latest.get());
            });
      }
      return snapshot;
    };
  }

  private void writeConfigurationState(
      String name, Map<String, String> labels, Map<String, Object> status) {
    var states =
        client
            .genericKubernetesResources(KubernetesSource.context(ObjectKind.CONFIGURATION_STATE))
            .inNamespace(namespace);
    GenericKubernetesResource state = new GenericKubernetesResource();
    state.setApiVersion(ObjectKind.CONFIGURATION_STATE.apiVersion());
    state.setKind(ObjectKind.CONFIGURATION_STATE.kind());
    state.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(labels).build());
    GenericKubernetesResource current = states.resource(state).createOr(e -> e.update());
    current.setAdditionalProperty("status", status);
    states.resource(current).updateStatus();
  }

  /** Stable per node and Service, so a restarted speaker finds its own objects. */
  static String statusName(String prefix, String node, ServiceKey key) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest((node + "/" + key).getBytes(StandardCharsets.UTF_8));
      return prefix + HexFormat.of().formatHex(h, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JRE has SHA-256", e);
    }
  }

  @Override
  public void nodeAssigned(ServiceKey service, String node) {
    // MetalLB's reason and wording, so existing alerts and dashboards keep working.
    event(
        service,
        false,
        "nodeAssigned",
        "announcing from node \"" + node + "\" with protocol \"layer2\"");
  }
}
