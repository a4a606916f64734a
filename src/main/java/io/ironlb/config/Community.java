package io.ironlb.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.ironlb.config.Schema.Doc;
import java.util.List;

/** Named aliases for BGP communities (metallb.io/v1beta1 Community). */
@JsonIgnoreProperties({"status"})
public record Community(ObjectMeta metadata, Spec spec) implements MetalLbObject {

  public Community {
    spec = spec == null ? new Spec(null) : spec;
  }

  @Override
  public ObjectKind kind() {
    return ObjectKind.COMMUNITY;
  }

  public record Spec(@Doc("The aliases.") List<Alias> communities) {
    public Spec {
      communities = communities == null ? List.of() : List.copyOf(communities);
    }
  }

  public record Alias(
      @Doc("Name used in BGPAdvertisement.spec.communities.") String name,
      @Doc("The community: 65000:100 or large:65000:1:2.") String value) {}
}
