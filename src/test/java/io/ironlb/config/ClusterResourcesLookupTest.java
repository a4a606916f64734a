package io.ironlb.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lookups the planners make for every Service: its EndpointSlices and a Node by name. */
class ClusterResourcesLookupTest {

  private static EndpointSlice slice(String namespace, String name, String service) {
    var b = new EndpointSliceBuilder().withNewMetadata().withNamespace(namespace).withName(name);
    if (service != null) {
      b = b.withLabels(Map.of(ClusterResources.SERVICE_NAME_LABEL, service));
    }
    return b.endMetadata().withAddressType("IPv4").build();
  }

  private static Service service(String namespace, String name) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .build();
  }

  private static ClusterResources with(EndpointSlice... slices) {
    ClusterResources.Builder b = ClusterResources.builder();
    for (EndpointSlice s : slices) {
      b.add(s);
    }
    return b.build();
  }

  @Test
  void aServicesSlicesAreThoseOfItsNamespaceLabelledWithItsName() {
    ClusterResources r =
        with(
            slice("shop", "web-1", "web"),
            slice("shop", "api-1", "api"),
            slice("other", "web-x", "web"),
            slice("shop", "web-2", "web"),
            slice("shop", "unlabelled", null));

    assertThat(r.endpointSlicesOf(service("shop", "web")))
        .extracting(s -> s.getMetadata().getName())
        .containsExactly("web-1", "web-2");
    assertThat(r.endpointSlicesOf(service("other", "web")))
        .extracting(s -> s.getMetadata().getName())
        .containsExactly("web-x");
    assertThat(r.endpointSlicesOf(service("shop", "db"))).isEmpty();
    assertThat(r.endpointSlicesOf(service("nowhere", "web"))).isEmpty();
  }

  @Test
  void theResourcesStayAValueWhateverTheyIndex() {
    ClusterResources a = with(slice("shop", "web-1", "web"), slice("shop", "web-2", "web"));
    ClusterResources b = with(slice("shop", "web-1", "web"), slice("shop", "web-2", "web"));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.endpointSlices())
        .isEqualTo(List.of(slice("shop", "web-1", "web"), slice("shop", "web-2", "web")));
    assertThat(
            a.withConfigurationOf(ClusterResources.EMPTY).endpointSlicesOf(service("shop", "web")))
        .hasSize(2);
  }

  @Test
  void aNodeIsFoundByName() {
    ClusterResources r =
        ClusterResources.builder()
            .add(new NodeBuilder().withNewMetadata().withName("node-a").endMetadata().build())
            .add(new NodeBuilder().withNewMetadata().withName("node-b").endMetadata().build())
            .build();
    assertThat(r.node("node-b")).map(n -> n.getMetadata().getName()).contains("node-b");
    assertThat(r.node("node-c")).isEmpty();
  }
}
