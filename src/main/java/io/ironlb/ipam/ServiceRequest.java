package io.ironlb.ipam;

import inet.ipaddr.IPAddress;
import io.fabric8.kubernetes.api.model.Service;
import io.ironlb.config.IpAddresses;
import io.ironlb.config.ServiceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a Service asks of the allocator, read from its spec and annotations as MetalLB's controller
 * reads them. Both annotation prefixes are honoured, {@code metallb.io/} first; the deprecated
 * {@code metallb.universe.tf/} one is noted so the caller can warn.
 *
 * @param family the families the Service needs: from {@code spec.ipFamilies}, else its cluster IPs,
 *     else IPv4 (or dual-stack when its policy asks for it) — standalone Services have no cluster
 *     IPs
 * @param primary the family listed first ({@code spec.ipFamilies[0]}, else the first cluster IP's,
 *     else IPv4): what a PreferDualStack Service gets when no pool offers both (MetalLB)
 * @param policy SingleStack, PreferDualStack or RequireDualStack
 * @param desiredPool {@code address-pool}, or null
 * @param desiredIps {@code loadBalancerIPs} or {@code spec.loadBalancerIP}; empty for none
 * @param sharingKey {@code allow-shared-ip}; empty for none
 * @param backendKey the selector under {@code externalTrafficPolicy: Local} (Services sharing an
 *     address must then have the same backends), else empty
 * @param currentIps the addresses in {@code status.loadBalancer.ingress}
 * @param deprecatedAnnotations the {@code metallb.universe.tf/} annotations in use
 * @param error why the request itself is invalid, or null
 */
public record ServiceRequest(
    ServiceKey key,
    Map<String, String> labels,
    boolean loadBalancer,
    String loadBalancerClass,
    Family family,
    Family primary,
    String policy,
    List<ServicePort> ports,
    String desiredPool,
    List<IPAddress> desiredIps,
    String sharingKey,
    String backendKey,
    List<IPAddress> currentIps,
    List<String> deprecatedAnnotations,
    String error) {

  public static final String PREFIX = "metallb.io/";
  public static final String DEPRECATED_PREFIX = "metallb.universe.tf/";
  public static final String ADDRESS_POOL = "address-pool";
  public static final String LOAD_BALANCER_IPS = "loadBalancerIPs";
  public static final String ALLOW_SHARED_IP = "allow-shared-ip";
  public static final String ALLOCATED_FROM_POOL = PREFIX + "ip-allocated-from-pool";

  public static ServiceRequest of(Service svc) {
    ServiceKey key = ServiceKey.of(svc);
    Map<String, String> annotations =
        Objects.requireNonNullElse(svc.getMetadata().getAnnotations(), Map.of());
    Map<String, String> labels =
        Objects.requireNonNullElse(svc.getMetadata().getLabels(), Map.of());
    var spec = svc.getSpec();
    List<String> deprecated = new ArrayList<>();
    String pool = annotation(annotations, ADDRESS_POOL, deprecated);
    String ipsText = annotation(annotations, LOAD_BALANCER_IPS, deprecated);
    String sharing = annotation(annotations, ALLOW_SHARED_IP, deprecated);
    String policy =
        spec == null || spec.getIpFamilyPolicy() == null ? "SingleStack" : spec.getIpFamilyPolicy();
    String error = null;

    List<IPAddress> desired = new ArrayList<>();
    String specIp = spec == null ? null : spec.getLoadBalancerIP();
    if (ipsText != null && specIp != null && !specIp.isEmpty()) {
      error =
          "service can not have both " + PREFIX + LOAD_BALANCER_IPS + " and spec.loadBalancerIP";
    } else if (ipsText != null) {
      for (String part : ipsText.split(",")) {
        try {
          desired.add(IpAddresses.parseAddress(part));
        } catch (IllegalArgumentException e) {
          error = "invalid " + PREFIX + LOAD_BALANCER_IPS + ": \"" + ipsText + "\"";
          break;
        }
      }
      if (error == null) {
        try {
          Family.of(desired);
        } catch (IllegalArgumentException e) {
          error = "invalid " + PREFIX + LOAD_BALANCER_IPS + ": " + e.getMessage();
        }
      }
    } else if (specIp != null && !specIp.isEmpty()) {
      try {
        desired.add(IpAddresses.parseAddress(specIp));
      } catch (IllegalArgumentException e) {
        error = "invalid spec.loadBalancerIP \"" + specIp + "\"";
      }
    }

    List<IPAddress> current = new ArrayList<>();
    if (svc.getStatus() != null && svc.getStatus().getLoadBalancer() != null) {
      var ingress = svc.getStatus().getLoadBalancer().getIngress();
      if (ingress != null) {
        for (var i : ingress) {
          if (i.getIp() != null && !i.getIp().isEmpty()) {
            try {
              current.add(IpAddresses.parseAddress(i.getIp()));
            } catch (IllegalArgumentException e) {
              // A status we cannot read is treated as no status: the Service is allocated anew.
            }
          }
        }
      }
    }

    Family family = Family.IPV4;
    String familyError = null;
    try {
      family = family(spec, policy);
    } catch (IllegalArgumentException e) {
      familyError = e.getMessage();
    }
    if (error == null) {
      error = familyError;
    }

    List<ServicePort> ports = new ArrayList<>();
    if (spec != null && spec.getPorts() != null) {
      for (io.fabric8.kubernetes.api.model.ServicePort p : spec.getPorts()) {
        ports.add(
            new ServicePort(
                p.getProtocol() == null ? "TCP" : p.getProtocol(),
                p.getPort() == null ? 0 : p.getPort()));
      }
    }

    return new ServiceRequest(
        key,
        labels,
        spec != null && "LoadBalancer".equals(spec.getType()),
        spec == null ? null : spec.getLoadBalancerClass(),
        family,
        primary(spec),
        policy,
        ports,
        pool,
        desired,
        sharing == null ? "" : sharing,
        backendKey(svc),
        current,
        deprecated,
        error);
  }

  private static String annotation(
      Map<String, String> annotations, String name, List<String> deprecated) {
    if (annotations.containsKey(PREFIX + name)) {
      return annotations.get(PREFIX + name);
    }
    if (annotations.containsKey(DEPRECATED_PREFIX + name)) {
      deprecated.add(DEPRECATED_PREFIX + name);
      return annotations.get(DEPRECATED_PREFIX + name);
    }
    return null;
  }

  private static Family family(io.fabric8.kubernetes.api.model.ServiceSpec spec, String policy) {
    boolean wantsDual = !"SingleStack".equals(policy);
    if (spec != null && spec.getIpFamilies() != null && !spec.getIpFamilies().isEmpty()) {
      List<String> fams = spec.getIpFamilies();
      if (fams.size() < 2 && "RequireDualStack".equals(policy)) {
        throw new IllegalArgumentException(
            "Service requires dual stack but spec.ipFamilies has one family");
      }
      if (fams.size() >= 2 && wantsDual) {
        return Family.DUAL;
      }
      return "IPv6".equals(fams.get(0)) ? Family.IPV6 : Family.IPV4;
    }
    List<String> clusterIps = new ArrayList<>();
    if (spec != null && spec.getClusterIPs() != null) {
      clusterIps.addAll(spec.getClusterIPs());
    } else if (spec != null && spec.getClusterIP() != null) {
      clusterIps.add(spec.getClusterIP());
    }
    clusterIps.removeIf(ip -> ip == null || ip.isEmpty() || ip.equals("None"));
    if (clusterIps.size() >= 2) {
      return Family.DUAL;
    }
    if (clusterIps.size() == 1) {
      if ("RequireDualStack".equals(policy)) {
        throw new IllegalArgumentException(
            "Service requires dual stack but has one cluster IP " + clusterIps.get(0));
      }
      return Family.of(IpAddresses.parseAddress(clusterIps.get(0)));
    }
    return "RequireDualStack".equals(policy) ? Family.DUAL : Family.IPV4;
  }

  /** The family a Service names first: {@code spec.ipFamilies[0]}, else its first cluster IP's. */
  private static Family primary(io.fabric8.kubernetes.api.model.ServiceSpec spec) {
    if (spec != null && spec.getIpFamilies() != null && !spec.getIpFamilies().isEmpty()) {
      return "IPv6".equals(spec.getIpFamilies().get(0)) ? Family.IPV6 : Family.IPV4;
    }
    String first =
        spec == null
            ? null
            : spec.getClusterIPs() != null && !spec.getClusterIPs().isEmpty()
                ? spec.getClusterIPs().get(0)
                : spec.getClusterIP();
    try {
      return first == null || first.isEmpty() || first.equals("None")
          ? Family.IPV4
          : Family.of(IpAddresses.parseAddress(first));
    } catch (IllegalArgumentException e) {
      return Family.IPV4;
    }
  }

  /** MetalLB's k8salloc.BackendKey: the selector, under Local traffic policy only. */
  private static String backendKey(Service svc) {
    var spec = svc.getSpec();
    if (spec == null || !"Local".equals(spec.getExternalTrafficPolicy())) {
      return "";
    }
    Map<String, String> sel =
        spec.getSelector() == null ? Map.of() : new TreeMap<>(spec.getSelector());
    return sel.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  /** Whether this controller handles the Service: only its class, or only unclassed ones. */
  public boolean isHandledBy(String lbClass) {
    if (lbClass == null || lbClass.isEmpty()) {
      return loadBalancerClass == null || loadBalancerClass.isEmpty();
    }
    return lbClass.equals(loadBalancerClass);
  }

  /** The request without what the allocator itself writes (the status), to detect real changes. */
  public ServiceRequest withoutStatus() {
    return currentIps.isEmpty()
        ? this
        : new ServiceRequest(
            key,
            labels,
            loadBalancer,
            loadBalancerClass,
            family,
            primary,
            policy,
            ports,
            desiredPool,
            desiredIps,
            sharingKey,
            backendKey,
            List.of(),
            deprecatedAnnotations,
            error);
  }

  public boolean prefersDualStack() {
    return "PreferDualStack".equals(policy);
  }
}
