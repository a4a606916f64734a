package io.ironlb.ipam;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A fluent builder of LoadBalancer Services for allocator tables. */
final class Svc {
  private final String namespace;
  private final String name;
  private final Map<String, String> annotations = new HashMap<>();
  private final Map<String, String> labels = new HashMap<>();
  private List<String> ports = List.of("TCP/80");
  private List<String> families = List.of();
  private String policy;
  private String type = "LoadBalancer";
  private String lbClass;
  private String specIp;
  private List<String> status = List.of();
  private String trafficPolicy = "Cluster";
  private Map<String, String> selector = Map.of("app", "x");

  private Svc(String namespace, String name) {
    this.namespace = namespace;
    this.name = name;
  }

  static Svc svc(String name) {
    return new Svc("default", name);
  }

  static Svc svc(String namespace, String name) {
    return new Svc(namespace, name);
  }

  Svc pool(String pool) {
    annotations.put("metallb.io/address-pool", pool);
    return this;
  }

  Svc ips(String ips) {
    annotations.put("metallb.io/loadBalancerIPs", ips);
    return this;
  }

  Svc specIp(String ip) {
    specIp = ip;
    return this;
  }

  Svc share(String key) {
    annotations.put("metallb.io/allow-shared-ip", key);
    return this;
  }

  Svc annotation(String k, String v) {
    annotations.put(k, v);
    return this;
  }

  Svc label(String k, String v) {
    labels.put(k, v);
    return this;
  }

  Svc ports(String... ports) {
    this.ports = Arrays.asList(ports);
    return this;
  }

  Svc v6() {
    families = List.of("IPv6");
    return this;
  }

  Svc dual(String policy) {
    families = List.of("IPv4", "IPv6");
    this.policy = policy;
    return this;
  }

  Svc families(String... families) {
    this.families = Arrays.asList(families);
    return this;
  }

  Svc policy(String policy) {
    this.policy = policy;
    return this;
  }

  Svc type(String type) {
    this.type = type;
    return this;
  }

  Svc lbClass(String lbClass) {
    this.lbClass = lbClass;
    return this;
  }

  Svc status(String... ips) {
    status = Arrays.asList(ips);
    return this;
  }

  Svc local(String app) {
    trafficPolicy = "Local";
    selector = Map.of("app", app);
    return this;
  }

  Service build() {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .withAnnotations(annotations)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withType(type)
        .withLoadBalancerClass(lbClass)
        .withLoadBalancerIP(specIp)
        .withIpFamilies(families.isEmpty() ? null : families)
        .withIpFamilyPolicy(policy)
        .withExternalTrafficPolicy(trafficPolicy)
        .withSelector(selector)
        .withPorts(
            ports.stream()
                .map(p -> p.split("/"))
                .map(
                    p ->
                        new ServicePortBuilder()
                            .withProtocol(p[0])
                            .withPort(Integer.parseInt(p[1]))
                            .build())
                .toList())
        .endSpec()
        .withNewStatus()
        .withNewLoadBalancer()
        .withIngress(
            status.stream().map(ip -> new LoadBalancerIngress(null, ip, null, null)).toList())
        .endLoadBalancer()
        .endStatus()
        .build();
  }

  @Override
  public String toString() {
    return namespace
        + "/"
        + name
        + " ports="
        + ports
        + " families="
        + families
        + " policy="
        + policy
        + " annotations="
        + annotations
        + " labels="
        + labels
        + " traffic="
        + trafficPolicy
        + " status="
        + status;
  }

  ServiceRequest request() {
    return ServiceRequest.of(build());
  }
}
