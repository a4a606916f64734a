package io.ironlb.config;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The part of a core object IronLB reads, as a fabric8 object of its own kind. A Service keeps its
 * identity and resource version, labels, the {@code metallb.io/} and {@code metallb.universe.tf/}
 * annotations, the spec fields allocation, sharing and eligibility read (type, class, requested
 * addresses, families, ports, selector, traffic policy, cluster IPs) and the load-balancer ingress;
 * an EndpointSlice its owner label and each endpoint's node and conditions; a Node its labels and
 * conditions.
 *
 * <p>Why: a speaker keeps every Service, EndpointSlice and Node of the cluster. fabric8's model
 * object of a small Service is about 1.2 KB, most of it empty maps and lists allocated for every
 * optional field; as read from an API server each object also carries {@code managedFields}, a
 * Service usually kubectl's last-applied-configuration annotation (the whole object again), a Node
 * the list of every image it holds. A slice keeps no empty collection of its own and shares the
 * strings every object repeats.
 *
 * <p>Only for reading: a slice must never be written back (an update would drop every field it
 * leaves out), so the controller, which updates Services, keeps the informer's full objects.
 */
public final class ObjectSlices {
  private ObjectSlices() {}

  /** The slice of a Service; {@code full} is left as it is. */
  public static Service service(Service full) {
    Service s = new Service();
    s.setApiVersion(shared(full.getApiVersion()));
    s.setKind(shared(full.getKind()));
    s.setAdditionalProperties(Map.of());
    s.setMetadata(metadata(full.getMetadata(), ObjectSlices::isMetalLbAnnotation));
    s.setSpec(full.getSpec() == null ? null : spec(full.getSpec()));
    s.setStatus(full.getStatus() == null ? null : status(full.getStatus()));
    return s;
  }

  /**
   * The slice of an EndpointSlice: whose it is (namespace, name, labels; no annotations) and, per
   * endpoint, its node and conditions (what {@code Serving} decides by).
   */
  public static EndpointSlice endpointSlice(EndpointSlice full) {
    EndpointSlice s = new EndpointSlice();
    s.setApiVersion(shared(full.getApiVersion()));
    s.setKind(shared(full.getKind()));
    s.setAdditionalProperties(Map.of());
    s.setMetadata(metadata(full.getMetadata(), key -> false));
    s.setAddressType(shared(full.getAddressType()));
    s.setPorts(List.of());
    if (full.getEndpoints() == null || full.getEndpoints().isEmpty()) {
      s.setEndpoints(List.of());
      return s;
    }
    List<Endpoint> endpoints = new ArrayList<>(full.getEndpoints().size());
    for (Endpoint f : full.getEndpoints()) {
      Endpoint e = new Endpoint();
      e.setAdditionalProperties(Map.of());
      e.setAddresses(List.of());
      e.setDeprecatedTopology(Map.of());
      e.setNodeName(shared(f.getNodeName()));
      if (f.getConditions() != null) {
        EndpointConditions c = new EndpointConditions();
        c.setAdditionalProperties(Map.of());
        c.setReady(f.getConditions().getReady());
        c.setServing(f.getConditions().getServing());
        c.setTerminating(f.getConditions().getTerminating());
        e.setConditions(c);
      }
      endpoints.add(e);
    }
    s.setEndpoints(List.copyOf(endpoints));
    return s;
  }

  /** The slice of a Node: its name, labels and conditions (type and status). */
  public static Node node(Node full) {
    Node n = new Node();
    n.setApiVersion(shared(full.getApiVersion()));
    n.setKind(shared(full.getKind()));
    n.setAdditionalProperties(Map.of());
    n.setMetadata(metadata(full.getMetadata(), key -> false));
    if (full.getStatus() != null) {
      NodeStatus status = new NodeStatus();
      status.setAdditionalProperties(Map.of());
      status.setAddresses(List.of());
      status.setImages(List.of());
      status.setVolumesAttached(List.of());
      status.setVolumesInUse(List.of());
      status.setCapacity(Map.of());
      status.setAllocatable(Map.of());
      List<NodeCondition> conditions = new ArrayList<>();
      if (full.getStatus().getConditions() != null) {
        for (NodeCondition f : full.getStatus().getConditions()) {
          NodeCondition c = new NodeCondition();
          c.setAdditionalProperties(Map.of());
          c.setType(shared(f.getType()));
          c.setStatus(shared(f.getStatus()));
          conditions.add(c);
        }
      }
      status.setConditions(List.copyOf(conditions));
      n.setStatus(status);
    }
    return n;
  }

  private static ObjectMeta metadata(ObjectMeta full, Predicate<String> annotation) {
    ObjectMeta m = new ObjectMeta();
    m.setAdditionalProperties(Map.of());
    m.setFinalizers(List.of());
    m.setManagedFields(List.of());
    m.setOwnerReferences(List.of());
    if (full == null) {
      m.setLabels(Map.of());
      m.setAnnotations(Map.of());
      return m;
    }
    m.setName(full.getName());
    m.setNamespace(shared(full.getNamespace()));
    m.setUid(full.getUid());
    m.setResourceVersion(full.getResourceVersion());
    m.setGeneration(full.getGeneration());
    m.setDeletionTimestamp(full.getDeletionTimestamp());
    m.setLabels(sharedKeys(full.getLabels(), key -> true));
    m.setAnnotations(sharedKeys(full.getAnnotations(), annotation));
    return m;
  }

  /** The annotations IronLB reads are MetalLB's, under either of its prefixes. */
  static boolean isMetalLbAnnotation(String key) {
    return key.startsWith("metallb.io/") || key.startsWith("metallb.universe.tf/");
  }

  private static ServiceSpec spec(ServiceSpec full) {
    ServiceSpec s = new ServiceSpec();
    s.setAdditionalProperties(Map.of());
    s.setType(shared(full.getType()));
    s.setLoadBalancerClass(shared(full.getLoadBalancerClass()));
    s.setLoadBalancerIP(full.getLoadBalancerIP());
    s.setExternalTrafficPolicy(shared(full.getExternalTrafficPolicy()));
    s.setIpFamilyPolicy(shared(full.getIpFamilyPolicy()));
    s.setIpFamilies(sharedStrings(full.getIpFamilies()));
    s.setClusterIP(full.getClusterIP());
    s.setClusterIPs(full.getClusterIPs() == null ? List.of() : List.copyOf(full.getClusterIPs()));
    s.setExternalIPs(List.of());
    s.setLoadBalancerSourceRanges(List.of());
    s.setSelector(sharedKeys(full.getSelector(), key -> true));
    s.setPorts(ports(full.getPorts()));
    return s;
  }

  private static List<ServicePort> ports(List<ServicePort> full) {
    if (full == null || full.isEmpty()) {
      return List.of();
    }
    List<ServicePort> ports = new ArrayList<>(full.size());
    for (ServicePort f : full) {
      ServicePort p = new ServicePort();
      p.setAdditionalProperties(Map.of());
      p.setName(shared(f.getName()));
      p.setPort(f.getPort());
      p.setProtocol(shared(f.getProtocol()));
      ports.add(p);
    }
    return List.copyOf(ports);
  }

  private static ServiceStatus status(ServiceStatus full) {
    ServiceStatus s = new ServiceStatus();
    s.setAdditionalProperties(Map.of());
    s.setConditions(List.of());
    if (full.getLoadBalancer() != null) {
      LoadBalancerStatus lb = new LoadBalancerStatus();
      lb.setAdditionalProperties(Map.of());
      List<LoadBalancerIngress> ingress = new ArrayList<>();
      if (full.getLoadBalancer().getIngress() != null) {
        for (LoadBalancerIngress f : full.getLoadBalancer().getIngress()) {
          LoadBalancerIngress i = new LoadBalancerIngress();
          i.setAdditionalProperties(Map.of());
          i.setPorts(List.of());
          i.setIp(f.getIp());
          i.setHostname(f.getHostname());
          i.setIpMode(shared(f.getIpMode()));
          ingress.add(i);
        }
      }
      lb.setIngress(List.copyOf(ingress));
      s.setLoadBalancer(lb);
    }
    return s;
  }

  /**
   * A string every Service repeats (a namespace, a type, a protocol, a label key) as one instance
   * for all of them.
   */
  private static String shared(String s) {
    return s == null ? null : s.intern();
  }

  private static List<String> sharedStrings(List<String> full) {
    if (full == null || full.isEmpty()) {
      return List.of();
    }
    return full.stream().map(ObjectSlices::shared).toList();
  }

  /** The entries whose key {@code keep} accepts, keys shared; an empty result is shared too. */
  private static Map<String, String> sharedKeys(Map<String, String> full, Predicate<String> keep) {
    if (full == null || full.isEmpty()) {
      return Map.of();
    }
    Map<String, String> kept = new LinkedHashMap<>();
    full.forEach(
        (k, v) -> {
          if (keep.test(k)) {
            kept.put(shared(k), v);
          }
        });
    return kept.isEmpty() ? Map.of() : kept;
  }
}
