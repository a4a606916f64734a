package io.ironlb.source.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.ironlb.config.ClusterResources;
import io.ironlb.config.ObjectDecoder;
import io.ironlb.config.ObjectKind;
import io.ironlb.config.ObjectSlices;
import io.ironlb.config.Problem;
import io.ironlb.source.ConfigGate;
import io.ironlb.source.Snapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes mode's source: fabric8 informers for the {@code metallb.io} kinds (in IronLB's
 * namespace), Services, EndpointSlices, Nodes, Namespaces and Secrets (IronLB's namespace).
 *
 * <p>Level-triggered: an event only says "something changed"; each snapshot is rebuilt from the
 * informers' caches. So a watch that drops and relists (fabric8 reconnects with backoff) or a
 * replayed event cannot leave a wrong state behind — the next snapshot is the cache as it is.
 * Nothing is emitted until every informer has synced, so the allocator never mistakes a partial
 * list for the cluster. Informers start when the stream is materialized and stop when it ends.
 */
public final class KubernetesSource {
  private static final Logger log = LoggerFactory.getLogger(KubernetesSource.class);

  private KubernetesSource() {}

  /** What a node keeps of each Service, EndpointSlice and Node it watches. */
  public enum Copies {
    /** The whole object: the controller updates Services from its informer's copy. */
    FULL,
    /**
     * Its {@link ObjectSlices slice}: a speaker only reads them, and keeps every one in the
     * cluster, each read from the API server with its managed fields (a Service with kubectl's
     * last-applied annotation, a Node with its image list).
     */
    SLICES
  }

  public static Source<Snapshot, NotUsed> watch(
      KubernetesClient client, String namespace, Duration resync, Copies copies) {
    return Source.<Informers>queue(1)
        .mapMaterializedValue(queue -> Informers.start(client, namespace, resync, copies, queue))
        .watchTermination(
            (informers, done) -> {
              done.whenComplete((d, e) -> informers.stop());
              return NotUsed.getInstance();
            })
        .map(Informers::read)
        .statefulMap(
            ConfigGate::new,
            (gate, read) -> Pair.create(gate, gate.next(read.first(), read.second())),
            gate -> Optional.empty());
  }

  /** How fabric8 addresses a metallb.io kind without API discovery. */
  public static ResourceDefinitionContext context(ObjectKind kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(ObjectKind.GROUP)
        .withVersion(kind.version())
        .withKind(kind.kind())
        .withPlural(kind.plural())
        .withNamespaced(true)
        .build();
  }

  /** Objects per page when an informer lists (client-go's reflector pages by 500 too). */
  static final long LIST_PAGE = 500;

  /**
   * The informers of one materialization; the queue's element is this object, meaning "read me".
   */
  static final class Informers {
    private final KubernetesClient client;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> endpointSlices;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<Namespace> namespaces;
    private final SharedIndexInformer<Secret> secrets;
    private final Map<ObjectKind, SharedIndexInformer<GenericKubernetesResource>> config =
        new EnumMap<>(ObjectKind.class);

    private Informers(KubernetesClient client, String namespace, long resync, Copies copies) {
      this.client = client;
      // Listed in pages, as client-go's reflector does: one response for 10,000 Services, each
      // with its managed fields, is tens of megabytes of JSON and full objects at once, on a heap
      // sized for their slices.
      services = client.services().inAnyNamespace().withLimit(LIST_PAGE).runnableInformer(resync);
      endpointSlices =
          client
              .discovery()
              .v1()
              .endpointSlices()
              .inAnyNamespace()
              .withLimit(LIST_PAGE)
              .runnableInformer(resync);
      nodes = client.nodes().withLimit(LIST_PAGE).runnableInformer(resync);
      if (copies == Copies.SLICES) {
        services.itemStore(new SlicingStore<>(ObjectSlices::service));
        endpointSlices.itemStore(new SlicingStore<>(ObjectSlices::endpointSlice));
        nodes.itemStore(new SlicingStore<>(ObjectSlices::node));
      }
      namespaces = client.namespaces().runnableInformer(resync);
      secrets = client.secrets().inNamespace(namespace).runnableInformer(resync);
      for (ObjectKind kind : ObjectKind.configurationKinds()) {
        config.put(
            kind,
            client
                .genericKubernetesResources(context(kind))
                .inNamespace(namespace)
                .runnableInformer(resync));
      }
    }

    private List<SharedIndexInformer<?>> all() {
      List<SharedIndexInformer<?>> all =
          new ArrayList<>(List.of(services, endpointSlices, nodes, namespaces, secrets));
      all.addAll(config.values());
      return all;
    }

    static Informers start(
        KubernetesClient client,
        String namespace,
        Duration resync,
        Copies copies,
        BoundedSourceQueue<Informers> queue) {
      Informers informers = new Informers(client, namespace, resync.toMillis(), copies);
      AtomicBoolean synced = new AtomicBoolean();
      Runnable changed =
          () -> {
            if (synced.get()) {
              queue.offer(informers); // dropped when a read is already pending: that one will do
            }
          };
      List<CompletableFuture<Void>> started = new ArrayList<>();
      for (SharedIndexInformer<?> informer : informers.all()) {
        addSignal(informer, changed);
        started.add(informer.start().toCompletableFuture());
      }
      CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
          .whenComplete(
              (ok, failure) -> {
                if (failure != null) {
                  log.error("informers failed to start", failure);
                  queue.fail(failure);
                  return;
                }
                log.info("informers synced ({} kinds)", started.size());
                synced.set(true);
                queue.offer(informers);
              });
      return informers;
    }

    private static <T> void addSignal(SharedIndexInformer<T> informer, Runnable changed) {
      informer.addEventHandler(
          new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
              changed.run();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
              changed.run();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
              changed.run();
            }
          });
    }

    /** An informer's cache that keeps each object's slice, not the object as read. */
    static final class SlicingStore<T extends HasMetadata> extends BasicItemStore<T> {
      private final UnaryOperator<T> slice;

      SlicingStore(UnaryOperator<T> slice) {
        super(Cache::metaNamespaceKeyFunc);
        this.slice = slice;
      }

      @Override
      public T put(String key, T obj) {
        return super.put(key, slice.apply(obj));
      }
    }

    void stop() {
      all().forEach(SharedIndexInformer::stop);
    }

    /**
     * The caches as one value; decoding problems of metallb.io objects are configuration problems.
     */
    Pair<ClusterResources, List<Problem>> read() {
      ClusterResources.Builder b = ClusterResources.builder();
      List<Problem> problems = new ArrayList<>();
      config.forEach(
          (kind, informer) -> decode(client, kind, informer.getStore().list(), b, problems));
      sorted(services.getStore().list()).forEach(b::add);
      sorted(endpointSlices.getStore().list()).forEach(b::add);
      sorted(nodes.getStore().list()).forEach(b::add);
      sorted(namespaces.getStore().list()).forEach(b::add);
      sorted(secrets.getStore().list()).forEach(b::add);
      return Pair.create(b.build(), problems);
    }

    static <T extends HasMetadata> List<T> sorted(List<T> items) {
      List<T> copy = new ArrayList<>(items);
      copy.sort(
          Comparator.comparing((T o) -> String.valueOf(o.getMetadata().getNamespace()))
              .thenComparing(o -> o.getMetadata().getName()));
      return copy;
    }
  }

  /** Decodes one kind's objects into {@code b}; their decoding problems into {@code problems}. */
  private static void decode(
      KubernetesClient client,
      ObjectKind kind,
      List<GenericKubernetesResource> objects,
      ClusterResources.Builder b,
      List<Problem> problems) {
    var ser = client.getKubernetesSerialization();
    List<GenericKubernetesResource> items = new ArrayList<>(objects);
    items.sort(Comparator.comparing(r -> r.getMetadata().getName()));
    for (GenericKubernetesResource r : items) {
      JsonNode node = ser.convertValue(r, JsonNode.class);
      ObjectDecoder.Result decoded =
          ObjectDecoder.decode(node, kind.kind() + " " + r.getMetadata().getName());
      problems.addAll(decoded.problems());
      decoded.objects().forEach(b::add);
    }
  }

  /**
   * The configuration stored in the API server now, read directly (not from informers): the {@code
   * metallb.io} objects and Secrets of {@code namespace}, and the Nodes and Namespaces the rules
   * read. For the admission webhook, which must judge against what is stored at that moment.
   * Blocks.
   */
  public static ClusterResources current(KubernetesClient client, String namespace) {
    ClusterResources.Builder b = ClusterResources.builder();
    List<Problem> ignored = new ArrayList<>();
    for (ObjectKind kind : ObjectKind.configurationKinds()) {
      decode(
          client,
          kind,
          client.genericKubernetesResources(context(kind)).inNamespace(namespace).list().getItems(),
          b,
          ignored);
    }
    Informers.sorted(client.secrets().inNamespace(namespace).list().getItems()).forEach(b::add);
    Informers.sorted(client.nodes().list().getItems()).forEach(b::add);
    Informers.sorted(client.namespaces().list().getItems()).forEach(b::add);
    return b.build();
  }
}
