package io.ironlb.source;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ironlb.config.ObjectKind;
import io.ironlb.source.kubernetes.KubernetesSource;
import java.util.Objects;

/** Applying YAML to fabric8's mock API server, as {@code kubectl create -f} would. */
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
