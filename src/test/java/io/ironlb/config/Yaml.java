package io.ironlb.config;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Builders for small manifests in table tests: each returns one YAML document. */
final class Yaml {
  private Yaml() {}

  static final String NS = "metallb-system";

  static String pool(String name, String... addresses) {
    return poolWith(name, "", addresses);
  }

  static String poolWith(String name, String extraSpec, String... addresses) {
    return """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: %s, namespace: metallb-system}
        spec:
          addresses: [%s]
        %s"""
        .formatted(name, quoted(addresses), indent(extraSpec));
  }

  static String peer(String name, String spec) {
    return object("metallb.io/v1beta2", "BGPPeer", name, spec);
  }

  /** A valid eBGP peer plus extra spec lines. */
  static String ebgpPeer(String name, String extra) {
    return peer(name, "myASN: 64500\npeerASN: 64501\npeerAddress: 10.222.0.1\n" + extra);
  }

  static String bgpAdv(String name, String spec) {
    return object("metallb.io/v1beta1", "BGPAdvertisement", name, spec.isEmpty() ? "{}" : spec);
  }

  static String l2Adv(String name, String spec) {
    return object("metallb.io/v1beta1", "L2Advertisement", name, spec.isEmpty() ? "{}" : spec);
  }

  static String bfd(String name, String spec) {
    return object("metallb.io/v1beta1", "BFDProfile", name, spec.isEmpty() ? "{}" : spec);
  }

  static String community(String name, String... aliases) {
    String list =
        Arrays.stream(aliases)
            .map(a -> a.split("=", 2))
            .map(a -> "  - {name: \"" + a[0] + "\", value: \"" + a[1] + "\"}")
            .collect(Collectors.joining("\n"));
    return """
        apiVersion: metallb.io/v1beta1
        kind: Community
        metadata: {name: %s, namespace: metallb-system}
        spec:
          communities:
        %s"""
        .formatted(name, list);
  }

  static String node(String name, String labels) {
    return """
        apiVersion: v1
        kind: Node
        metadata:
          name: %s
          labels: {%s}"""
        .formatted(name, labels);
  }

  /** A namespaced object of the given kind whose spec is the given YAML block. */
  static String object(String apiVersion, String kind, String name, String spec) {
    return """
        apiVersion: %s
        kind: %s
        metadata: {name: %s, namespace: metallb-system}
        spec:
        %s"""
        .formatted(apiVersion, kind, name, indent(spec));
  }

  static String docs(String... documents) {
    return String.join("\n---\n", documents);
  }

  static String docs(List<String> documents) {
    return String.join("\n---\n", documents);
  }

  private static String quoted(String... values) {
    return Arrays.stream(values).map(v -> "\"" + v + "\"").collect(Collectors.joining(", "));
  }

  private static String indent(String s) {
    return s.lines().map(l -> "  " + l).collect(Collectors.joining("\n"));
  }
}
