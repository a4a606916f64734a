package io.ironlb.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code metallb.io} kinds IronLB reads, with the API version it serves and stores for each.
 * BGPPeer is also read in v1beta1 and converted (see {@link BGPPeerV1beta1}).
 */
public enum ObjectKind {
  IP_ADDRESS_POOL("IPAddressPool", "ipaddresspools", "v1beta1", IPAddressPool.class, true),
  L2_ADVERTISEMENT("L2Advertisement", "l2advertisements", "v1beta1", L2Advertisement.class, false),
  BGP_ADVERTISEMENT(
      "BGPAdvertisement", "bgpadvertisements", "v1beta1", BGPAdvertisement.class, false),
  BGP_PEER("BGPPeer", "bgppeers", "v1beta2", BGPPeer.class, false),
  BFD_PROFILE("BFDProfile", "bfdprofiles", "v1beta1", BFDProfile.class, false),
  COMMUNITY("Community", "communities", "v1beta1", Community.class, false),
  SERVICE_L2_STATUS("ServiceL2Status", "servicel2statuses", "v1beta1", ServiceL2Status.class, true),
  SERVICE_BGP_STATUS(
      "ServiceBGPStatus", "servicebgpstatuses", "v1beta1", ServiceBGPStatus.class, true),
  CONFIGURATION_STATE(
      "ConfigurationState", "configurationstates", "v1beta1", ConfigurationState.class, true);

  public static final String GROUP = "metallb.io";

  private final String kind;
  private final String plural;
  private final String version;
  private final Class<? extends MetalLbObject> type;
  private final boolean hasStatus;

  ObjectKind(
      String kind,
      String plural,
      String version,
      Class<? extends MetalLbObject> type,
      boolean hasStatus) {
    this.kind = kind;
    this.plural = plural;
    this.version = version;
    this.type = type;
    this.hasStatus = hasStatus;
  }

  public String kind() {
    return kind;
  }

  public String plural() {
    return plural;
  }

  public String version() {
    return version;
  }

  public String apiVersion() {
    return GROUP + "/" + version;
  }

  public Class<? extends MetalLbObject> type() {
    return type;
  }

  /** True for kinds whose status is written by IronLB through the status subresource. */
  public boolean hasStatus() {
    return hasStatus;
  }

  /** The six kinds users write; the status kinds are written by IronLB itself. */
  public boolean isConfiguration() {
    return this != SERVICE_L2_STATUS && this != SERVICE_BGP_STATUS && this != CONFIGURATION_STATE;
  }

  public static Optional<ObjectKind> byKind(String kind) {
    return Arrays.stream(values()).filter(k -> k.kind.equals(kind)).findFirst();
  }

  public static List<ObjectKind> configurationKinds() {
    return Arrays.stream(values()).filter(ObjectKind::isConfiguration).toList();
  }
}
