package io.ironlb.source;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ironlb.config.ObjectKind;
import io.ironlb.source.kubernetes.KubernetesSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Applying YAML to fabric8's mock API server, as {@code kubectl create -f} would, writing what the
 * kubelet and the EndpointSlice controller would, and reading back what an operator would look at
 * with {@code kubectl get}.
 */
public final class MockApi {
  private MockApi() {}

  private static final java.util.regex.Pattern KIND =
      java.util.regex.Pattern.compile("\"?kind\"?\\s*:");

  /** Creates every object of a (possibly multi-document) YAML text; JSON is YAML too. */
  public static void apply(KubernetesClient client, String yaml) {
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (!doc.isBlank() && KIND.matcher(doc).find()) {
        applyOne(client, doc);
      }
    }
  }

  /** A LoadBalancer Service on TCP port 80, not yet created. */
  static io.fabric8.kubernetes.api.model.ServiceBuilder loadBalancer(String ns, String name) {
    return new io.fabric8.kubernetes.api.model.ServiceBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withType("LoadBalancer")
        .addNewPort()
        .withPort(80)
        .withProtocol("TCP")
        .endPort()
        .endSpec();
  }

  /** A ready endpoint on {@code node} for the Service, as the EndpointSlice controller writes. */
  public static void readyEndpoint(
      KubernetesClient client, String namespace, String service, String node) {
    client
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace(namespace)
        .resource(
            new EndpointSliceBuilder()
                .withNewMetadata()
                .withName(service + "-1")
                .withNamespace(namespace)
                .withLabels(Map.of("kubernetes.io/service-name", service))
                .endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint()
                .withAddresses("10.222.99.1")
                .withNodeName(node)
                .withNewConditions()
                .withReady(true)
                .endConditions()
                .endEndpoint()
                .build())
        .create();
  }

  /** The Service's status.loadBalancer.ingress addresses (empty without any, or without it). */
  public static List<String> ingress(KubernetesClient client, String namespace, String name) {
    return ingress(client.services().inNamespace(namespace).withName(name).get());
  }

  /** A Service's status.loadBalancer.ingress addresses. */
  public static List<String> ingress(Service s) {
    if (s == null
        || s.getStatus() == null
        || s.getStatus().getLoadBalancer() == null
        || s.getStatus().getLoadBalancer().getIngress() == null) {
      return List.of();
    }
    return s.getStatus().getLoadBalancer().getIngress().stream()
        .map(LoadBalancerIngress::getIp)
        .toList();
  }

  /** The events about a Service, each as "TYPE REASON MESSAGE". */
  public static List<String> events(KubernetesClient client, String namespace, String service) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> service.equals(e.getInvolvedObject().getName()))
        .map((Event e) -> e.getType() + " " + e.getReason() + " " + e.getMessage())
        .toList();
  }

  /** The status of every object of a metallb.io kind in the namespace. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> statuses(
      KubernetesClient client, String namespace, ObjectKind kind) {
    return client
        .genericKubernetesResources(KubernetesSource.context(kind))
        .inNamespace(namespace)
        .list()
        .getItems()
        .stream()
        .map(
            (GenericKubernetesResource r) ->
                (Map<String, Object>) r.getAdditionalProperties().get("status"))
        .toList();
  }

  /** An IPAddressPool's status (empty until written). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> poolStatus(
      KubernetesClient client, String namespace, String pool) {
    GenericKubernetesResource r =
        client
            .genericKubernetesResources(KubernetesSource.context(ObjectKind.IP_ADDRESS_POOL))
            .inNamespace(namespace)
            .withName(pool)
            .get();
    Object status = r == null ? null : r.getAdditionalProperties().get("status");
    return status == null ? Map.of() : (Map<String, Object>) status;
  }

  private static void applyOne(KubernetesClient client, String doc) {
    var ser = client.getKubernetesSerialization();
    GenericKubernetesResource g = ser.unmarshal(doc, GenericKubernetesResource.class);
    String ns = Objects.requireNonNullElse(g.getMetadata().getNamespace(), "default");
    if (g.getApiVersion().startsWith(ObjectKind.GROUP + "/")) {
      ObjectKind kind = ObjectKind.byKind(g.getKind()).orElseThrow();
      client
          .genericKubernetesResources(KubernetesSource.context(kind))
          .inNamespace(ns)
          .resource(g)
          .create();
    } else if (g.getKind().equals("Service")) {
      client.services().inNamespace(ns).resource(ser.unmarshal(doc, Service.class)).create();
    } else if (g.getKind().equals("Namespace")) {
      client.namespaces().resource(ser.unmarshal(doc, Namespace.class)).create();
    }
  }
}
