package io.ironlb.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.ironlb.config.Schema.Default;
import io.ironlb.config.Schema.Doc;
import io.ironlb.config.Schema.Range;
import java.util.List;

/** Announces pools' addresses over BGP (metallb.io/v1beta1 BGPAdvertisement). */
@JsonIgnoreProperties({"status"})
public record BGPAdvertisement(ObjectMeta metadata, Spec spec) implements MetalLbObject {

  public static final int DEFAULT_AGGREGATION_LENGTH = 32;
  public static final int DEFAULT_AGGREGATION_LENGTH_V6 = 128;

  public BGPAdvertisement {
    spec = spec == null ? new Spec(null, null, 0, null, null, null, null, null, null) : spec;
  }

  @Override
  public ObjectKind kind() {
    return ObjectKind.BGP_ADVERTISEMENT;
  }

  public record Spec(
      @Range(min = 1, max = 32)
          @Default("32")
          @Doc("Prefix length announced for IPv4 addresses; shorter rolls /32s up into one prefix.")
          Integer aggregationLength,
      @Range(min = 1, max = 128) @Default("128") @Doc("Prefix length announced for IPv6 addresses.")
          Integer aggregationLengthV6,
      @Range(min = 0, max = 4294967295L) @Doc("LOCAL_PREF attribute; iBGP sessions only.")
          long localPref,
      @Doc("Communities: 65000:100, large:65000:1:2, or the name of a Community alias.")
          List<String> communities,
      @Doc("Pools to announce, by name. With no pools and no pool selectors, all pools.")
          List<String> ipAddressPools,
      @Doc("Selects pools to announce by label.") List<LabelSelector> ipAddressPoolSelectors,
      @Doc("Nodes that announce. Empty: every node.") List<LabelSelector> nodeSelectors,
      @Doc("BGPPeer names to announce to. Empty: every peer.") List<String> peers,
      @Doc("Services to announce. Only with the default aggregation lengths.")
          List<LabelSelector> serviceSelectors) {

    public Spec {
      aggregationLength =
          aggregationLength == null ? DEFAULT_AGGREGATION_LENGTH : aggregationLength;
      aggregationLengthV6 =
          aggregationLengthV6 == null ? DEFAULT_AGGREGATION_LENGTH_V6 : aggregationLengthV6;
      communities = communities == null ? List.of() : List.copyOf(communities);
      ipAddressPools = ipAddressPools == null ? List.of() : List.copyOf(ipAddressPools);
      ipAddressPoolSelectors =
          ipAddressPoolSelectors == null ? List.of() : List.copyOf(ipAddressPoolSelectors);
      nodeSelectors = nodeSelectors == null ? List.of() : List.copyOf(nodeSelectors);
      peers = peers == null ? List.of() : List.copyOf(peers);
      serviceSelectors = serviceSelectors == null ? List.of() : List.copyOf(serviceSelectors);
    }
  }
}
