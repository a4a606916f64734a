package io.ironlb.config;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Comparator;

/** A Service (or any namespaced object) by {@code namespace/name}. */
public record ServiceKey(String namespace, String name) implements Comparable<ServiceKey> {

  private static final Comparator<ServiceKey> ORDER =
      Comparator.comparing(ServiceKey::namespace).thenComparing(ServiceKey::name);

  public static ServiceKey of(HasMetadata o) {
    String ns = o.getMetadata().getNamespace();
    return new ServiceKey(ns == null ? "default" : ns, o.getMetadata().getName());
  }

  public static ServiceKey parse(String text) {
    int slash = text.indexOf('/');
    return slash < 0
        ? new ServiceKey("default", text)
        : new ServiceKey(text.substring(0, slash), text.substring(slash + 1));
  }

  @Override
  public int compareTo(ServiceKey o) {
    return ORDER.compare(this, o);
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
