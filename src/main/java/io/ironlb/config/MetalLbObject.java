package io.ironlb.config;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** A {@code metallb.io} object: one of the kinds in {@link ObjectKind}. */
public sealed interface MetalLbObject
    permits IPAddressPool,
        L2Advertisement,
        BGPAdvertisement,
        BGPPeer,
        BFDProfile,
        Community,
        ServiceL2Status,
        ServiceBGPStatus,
        ConfigurationState {

  ObjectMeta metadata();

  @JsonIgnore
  ObjectKind kind();

  /** {@code Kind namespace/name}, the prefix of every message about this object. */
  @JsonIgnore
  default String describe() {
    return kind().kind() + " " + metadata().qualifiedName();
  }

  @JsonIgnore
  default String name() {
    return metadata().name();
  }
}
