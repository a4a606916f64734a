package io.ironlb.serving;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.ironlb.config.ClusterResources;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a node may serve a Service at all, whatever the protocol — the rules MetalLB's layer-2
 * and BGP speakers share: the node's NetworkUnavailable condition, the
 * exclude-from-external-load-balancers label, and the Service's endpoints (any that can serve; with
 * {@code externalTrafficPolicy: Local}, one on this node).
 */
public final class Serving {
  public static final String EXCLUDE_LABEL =
      "node.kubernetes.io/exclude-from-external-load-balancers";

  private Serving() {}

  /**
   * Why this node may announce nothing at all (MetalLB, both protocols): the NetworkUnavailable
   * condition, or the exclude-from-external-load-balancers label; empty when it may.
   */
  public static Optional<String> nodeBlocked(ClusterResources r, String node) {
    Node n = node(r, node);
    if (n != null && networkUnavailable(n)) {
      return Optional.of("node has condition NetworkUnavailable");
    }
    if (nodeLabels(r, node).containsKey(EXCLUDE_LABEL)) {
      return Optional.of("node is labelled " + EXCLUDE_LABEL);
    }
    return Optional.empty();
  }

  /** The node's labels (none when the node is unknown, as in a bare standalone setup). */
  public static Map<String, String> nodeLabels(ClusterResources r, String node) {
    Node n = node(r, node);
    return n == null ? Map.of() : labels(n.getMetadata().getLabels());
  }

  private static Node node(ClusterResources r, String node) {
    return r.node(node).orElse(null);
  }

  /**
   * Why the Service cannot be announced from this node for want of endpoints (MetalLB, both
   * protocols): none can serve, or with {@code externalTrafficPolicy: Local} none on this node;
   * empty when it can.
   */
  public static Optional<String> unserved(
      ClusterResources r, Service svc, String node, boolean missingSlicesMeanServed) {
    List<Endpoint> endpoints = endpoints(r, svc);
    boolean noSlices = endpoints == null;
    if (noSlices && missingSlicesMeanServed) {
      return Optional.empty();
    }
    List<Endpoint> serving =
        noSlices ? List.of() : endpoints.stream().filter(Serving::canServe).toList();
    if (serving.isEmpty()) {
      return Optional.of("no endpoint can serve");
    }
    boolean local = "Local".equals(svc.getSpec().getExternalTrafficPolicy());
    if (local && serving.stream().noneMatch(e -> node.equals(e.getNodeName()))) {
      return Optional.of("no serving endpoint on this node (externalTrafficPolicy: Local)");
    }
    return Optional.empty();
  }

  /** MetalLB's EndpointCanServe: ready (or unknown), else serving. */
  public static boolean canServe(Endpoint e) {
    var c = e.getConditions();
    if (c == null || c.getReady() == null || c.getReady()) {
      return true;
    }
    return Boolean.TRUE.equals(c.getServing());
  }

  /** The Service's endpoints, or null when it has no EndpointSlice at all. */
  private static List<Endpoint> endpoints(ClusterResources r, Service svc) {
    List<EndpointSlice> slices = r.endpointSlicesOf(svc);
    if (slices.isEmpty()) {
      return null;
    }
    return slices.stream()
        .flatMap(
            s ->
                s.getEndpoints() == null
                    ? java.util.stream.Stream.empty()
                    : s.getEndpoints().stream())
        .toList();
  }

  private static boolean networkUnavailable(Node n) {
    if (n.getStatus() == null || n.getStatus().getConditions() == null) {
      return false;
    }
    for (NodeCondition c : n.getStatus().getConditions()) {
      if ("NetworkUnavailable".equals(c.getType()) && "True".equals(c.getStatus())) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, String> labels(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }
}
