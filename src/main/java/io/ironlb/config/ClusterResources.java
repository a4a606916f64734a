package io.ironlb.config;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Everything IronLB reads, as one immutable value: the {@code metallb.io} objects plus the slices
 * of core objects that decide allocation and eligibility. The core objects are fabric8's model
 * classes; treat them as read-only.
 */
public record ClusterResources(
    List<IPAddressPool> pools,
    List<L2Advertisement> l2Advertisements,
    List<BGPAdvertisement> bgpAdvertisements,
    List<BGPPeer> bgpPeers,
    List<BFDProfile> bfdProfiles,
    List<Community> communities,
    List<Service> services,
    List<EndpointSlice> endpointSlices,
    List<Node> nodes,
    List<Namespace> namespaces,
    List<Secret> secrets) {

  /** Whose an EndpointSlice is: its namespace and its {@code kubernetes.io/service-name}. */
  private record SliceOwner(String namespace, String service) {}

  /** The label the EndpointSlice controller puts on a Service's slices. */
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private static final Function<EndpointSlice, SliceOwner> SLICE_OWNER =
      s ->
          new SliceOwner(
              s.getMetadata().getNamespace(),
              s.getMetadata().getLabels() == null
                  ? null
                  : s.getMetadata().getLabels().get(SERVICE_NAME_LABEL));

  private static final Function<Node, String> NODE_NAME = n -> n.getMetadata().getName();

  public static final ClusterResources EMPTY = builder().build();

  public ClusterResources {
    pools = List.copyOf(pools);
    l2Advertisements = List.copyOf(l2Advertisements);
    bgpAdvertisements = List.copyOf(bgpAdvertisements);
    bgpPeers = List.copyOf(bgpPeers);
    bfdProfiles = List.copyOf(bfdProfiles);
    communities = List.copyOf(communities);
    services = List.copyOf(services);
    endpointSlices = KeyedList.of(endpointSlices, SLICE_OWNER);
    nodes = KeyedList.of(nodes, NODE_NAME);
    namespaces = List.copyOf(namespaces);
    secrets = List.copyOf(secrets);
  }

  /** All {@code metallb.io} configuration objects, in kind order. */
  public Stream<MetalLbObject> configObjects() {
    return Stream.of(pools, l2Advertisements, bgpAdvertisements, bgpPeers, bfdProfiles, communities)
        .flatMap(List::stream);
  }

  /**
   * The EndpointSlices of a Service: those in its namespace labelled {@code
   * kubernetes.io/service-name} with its name (the EndpointSlice controller's label).
   */
  public List<EndpointSlice> endpointSlicesOf(Service svc) {
    return KeyedList.of(endpointSlices, SLICE_OWNER)
        .withKey(new SliceOwner(svc.getMetadata().getNamespace(), svc.getMetadata().getName()));
  }

  /** The Node object of this name, if it is read. */
  public Optional<Node> node(String name) {
    List<Node> named = KeyedList.of(nodes, NODE_NAME).withKey(name);
    return named.isEmpty() ? Optional.empty() : Optional.of(named.get(0));
  }

  public Optional<IPAddressPool> pool(String name) {
    return pools.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  public Optional<BGPPeer> peer(String name) {
    return bgpPeers.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  public Optional<BFDProfile> bfdProfile(String name) {
    return bfdProfiles.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /**
   * The Secret a BGPPeer's {@code passwordSecret} names: in the reference's namespace, else the
   * peer's own (MetalLB's rule). Empty when the peer names none or it is not (yet) read.
   */
  public Optional<Secret> passwordSecret(BGPPeer peer) {
    BGPPeer.SecretReference ref = peer.spec().passwordSecret();
    if (peer.spec().passwordSecretName().isEmpty()) {
      return Optional.empty();
    }
    String namespace =
        ref.namespace() != null && !ref.namespace().isEmpty()
            ? ref.namespace()
            : Objects.requireNonNullElse(peer.metadata().namespace(), "");
    return secrets.stream()
        .filter(x -> ref.name().equals(x.getMetadata().getName()))
        .filter(
            x ->
                namespace.isEmpty()
                    || namespace.equals(
                        Objects.requireNonNullElse(x.getMetadata().getNamespace(), "")))
        .findFirst();
  }

  /**
   * The TCP MD5 password a BGPPeer's session uses: {@code spec.password}, or the {@code password}
   * key of its {@code kubernetes.io/basic-auth} Secret ({@code data} is base64, {@code stringData}
   * plain, as the API server accepts both). Empty when there is none.
   */
  public Optional<String> bgpPassword(BGPPeer peer) {
    String inline = peer.spec().password();
    if (inline != null && !inline.isEmpty()) {
      return Optional.of(inline);
    }
    return passwordSecret(peer)
        .filter(s -> "kubernetes.io/basic-auth".equals(s.getType()))
        .flatMap(
            s -> {
              if (s.getData() != null && s.getData().get("password") != null) {
                return Optional.of(
                    new String(
                        Base64.getDecoder().decode(s.getData().get("password").strip()),
                        StandardCharsets.UTF_8));
              }
              return Optional.ofNullable(
                  s.getStringData() == null ? null : s.getStringData().get("password"));
            });
  }

  /** These core objects with the {@code metallb.io} configuration of {@code config}. */
  public ClusterResources withConfigurationOf(ClusterResources config) {
    return new ClusterResources(
        config.pools,
        config.l2Advertisements,
        config.bgpAdvertisements,
        config.bgpPeers,
        config.bfdProfiles,
        config.communities,
        services,
        endpointSlices,
        nodes,
        namespaces,
        secrets);
  }

  /**
   * These resources with every Service, EndpointSlice and Node replaced by its {@link ObjectSlices
   * slice}: for a node that only reads them, never writes them back.
   */
  public ClusterResources sliced() {
    return new ClusterResources(
        pools,
        l2Advertisements,
        bgpAdvertisements,
        bgpPeers,
        bfdProfiles,
        communities,
        services.stream().map(ObjectSlices::service).toList(),
        endpointSlices.stream().map(ObjectSlices::endpointSlice).toList(),
        nodes.stream().map(ObjectSlices::node).toList(),
        namespaces,
        secrets);
  }

  /** True when the {@code metallb.io} configuration (not the core objects) is the same. */
  public boolean sameConfigurationAs(ClusterResources other) {
    return pools.equals(other.pools)
        && l2Advertisements.equals(other.l2Advertisements)
        && bgpAdvertisements.equals(other.bgpAdvertisements)
        && bgpPeers.equals(other.bgpPeers)
        && bfdProfiles.equals(other.bfdProfiles)
        && communities.equals(other.communities)
        && namespaces.equals(other.namespaces);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects objects in the order they are read. */
  public static final class Builder {
    private final List<IPAddressPool> pools = new ArrayList<>();
    private final List<L2Advertisement> l2Advertisements = new ArrayList<>();
    private final List<BGPAdvertisement> bgpAdvertisements = new ArrayList<>();
    private final List<BGPPeer> bgpPeers = new ArrayList<>();
    private final List<BFDProfile> bfdProfiles = new ArrayList<>();
    private final List<Community> communities = new ArrayList<>();
    private final List<Service> services = new ArrayList<>();
    private final List<EndpointSlice> endpointSlices = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<Namespace> namespaces = new ArrayList<>();
    private final List<Secret> secrets = new ArrayList<>();

    /**
     * Adds any object IronLB reads: a metallb.io object (the status kinds are not configuration and
     * are dropped) or one of the core kinds. Anything else is a programming error.
     */
    public Builder add(Object o) {
      if (o instanceof IPAddressPool p) {
        pools.add(p);
      } else if (o instanceof L2Advertisement a) {
        l2Advertisements.add(a);
      } else if (o instanceof BGPAdvertisement a) {
        bgpAdvertisements.add(a);
      } else if (o instanceof BGPPeer p) {
        bgpPeers.add(p);
      } else if (o instanceof BFDProfile p) {
        bfdProfiles.add(p);
      } else if (o instanceof Community c) {
        communities.add(c);
      } else if (o instanceof Service s) {
        services.add(s);
      } else if (o instanceof EndpointSlice s) {
        endpointSlices.add(s);
      } else if (o instanceof Node n) {
        nodes.add(n);
      } else if (o instanceof Namespace n) {
        namespaces.add(n);
      } else if (o instanceof Secret s) {
        secrets.add(s);
      } else if (!(o instanceof ServiceL2Status)
          && !(o instanceof ServiceBGPStatus)
          && !(o instanceof ConfigurationState)) {
        throw new IllegalArgumentException("not a kind IronLB reads: " + o.getClass());
      }
      return this;
    }

    public ClusterResources build() {
      return new ClusterResources(
          pools,
          l2Advertisements,
          bgpAdvertisements,
          bgpPeers,
          bfdProfiles,
          communities,
          services,
          endpointSlices,
          nodes,
          namespaces,
          secrets);
    }
  }
}
