package io.ironlb.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * The slice of Kubernetes object metadata IronLB reads. Everything else the API server adds
 * (managedFields, timestamps, owner references) is ignored rather than rejected, so that the output
 * of {@code kubectl get -o yaml} can be read back.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ObjectMeta(
    String name,
    String namespace,
    Map<String, String> labels,
    Map<String, String> annotations,
    String resourceVersion,
    String uid) {

  public ObjectMeta {
    name = name == null ? "" : name;
    namespace = namespace == null ? "" : namespace;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  public static ObjectMeta of(String namespace, String name) {
    return new ObjectMeta(name, namespace, Map.of(), Map.of(), null, null);
  }

  public ObjectMeta withLabels(Map<String, String> newLabels) {
    return new ObjectMeta(name, namespace, newLabels, annotations, resourceVersion, uid);
  }

  /** {@code namespace/name}, or just the name for cluster-scoped objects. */
  public String qualifiedName() {
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }
}
