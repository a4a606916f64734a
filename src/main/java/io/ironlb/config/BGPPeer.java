package io.ironlb.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.ironlb.config.Schema.Default;
import io.ironlb.config.Schema.Doc;
import io.ironlb.config.Schema.OneOf;
import io.ironlb.config.Schema.Range;
import io.ironlb.config.Schema.Required;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A BGP router to peer with (metallb.io/v1beta2 BGPPeer). */
@JsonIgnoreProperties({"status"})
public record BGPPeer(ObjectMeta metadata, @Required Spec spec) implements MetalLbObject {

  public static final int DEFAULT_PORT = 179;

  /** MetalLB's native speaker default when neither timer is set (RFC 4271 §10 suggests 90 s). */
  public static final Duration DEFAULT_HOLD_TIME = Duration.ofSeconds(90);

  @Override
  public ObjectKind kind() {
    return ObjectKind.BGP_PEER;
  }

  public record Spec(
      @Required
          @Range(min = 0, max = 4294967295L)
          @Doc("AS number of the local end of the session.")
          long myASN,
      @JsonProperty("peerASN")
          @Range(min = 0, max = 4294967295L)
          @Doc("AS number expected from the peer. Exactly one of peerASN and dynamicASN.")
          long peerASN,
      @Range(min = 0, max = 4294967295L)
          @Doc("AS number announced to this peer instead of myASN (local-as).")
          long localASN,
      @OneOf({"internal", "external"})
          @Doc("Accept any peer AS of this kind: internal (same as myASN) or external.")
          String dynamicASN,
      @Doc("Address to dial. Exactly one of peerAddress and interface.") String peerAddress,
      @JsonProperty("interface") @Doc("Interface for unnumbered BGP peering.") String iface,
      @Doc("Source address of the session.") String sourceAddress,
      @Range(min = 1, max = 16384) @Default("179") @Doc("Port to dial.") Integer peerPort,
      @Doc("Requested hold time (RFC 4271): 0 or at least 3s.") GoDuration holdTime,
      @Doc("Keepalive interval; at most the hold time. Default hold time / 3.")
          GoDuration keepaliveTime,
      @Doc("Time between connection attempts, whole seconds from 1s to 65535s.")
          GoDuration connectTime,
      @Doc("BGP identifier to send (an IPv4 address).") String routerID,
      @Doc("Nodes that peer with this router. Empty: every node.")
          List<LabelSelector> nodeSelectors,
      @Doc("TCP MD5 password (RFC 2385).") String password,
      @Doc("kubernetes.io/basic-auth Secret holding the MD5 password under key 'password'.")
          SecretReference passwordSecret,
      @Doc("BFDProfile for a BFD session alongside the BGP session.") String bfdProfile,
      @Doc("Advertise graceful restart (RFC 4724).") boolean enableGracefulRestart,
      @Doc("The peer is more than one hop away (eBGP only).") boolean ebgpMultiHop,
      @JsonProperty("vrf") @Doc("Host VRF of the peering interface.") String vrf,
      @Default("false") @Doc("Deprecated: separate IPv4 and IPv6 sessions.") boolean disableMP,
      @Default("false") @Doc("Exchange both address families over this session.")
          boolean dualStackAddressFamily) {

    public Spec {
      nodeSelectors = nodeSelectors == null ? List.of() : List.copyOf(nodeSelectors);
      peerPort = peerPort == null ? DEFAULT_PORT : peerPort;
    }

    /**
     * The hold time the session proposes, derived as MetalLB does: from keepalive × 3 when only the
     * keepalive is set, else the native default.
     */
    @JsonIgnore
    public Duration effectiveHoldTime() {
      if (holdTime != null) {
        return holdTime.value();
      }
      if (keepaliveTime != null) {
        return keepaliveTime.value().multipliedBy(3);
      }
      return DEFAULT_HOLD_TIME;
    }

    /** The keepalive interval: as configured, else hold time / 3. */
    @JsonIgnore
    public Duration effectiveKeepaliveTime() {
      return keepaliveTime != null ? keepaliveTime.value() : effectiveHoldTime().dividedBy(3);
    }

    /** True when the peer is in our AS (the peer ASN, or dynamicASN internal). */
    @JsonIgnore
    public boolean isInternal() {
      return "internal".equals(dynamicASN) || (peerASN != 0 && peerASN == myASN);
    }

    @JsonIgnore
    public Optional<String> passwordSecretName() {
      return Optional.ofNullable(passwordSecret)
          .map(SecretReference::name)
          .filter(n -> !n.isEmpty());
    }
  }

  public record SecretReference(
      @Doc("Secret name.") String name, @Doc("Secret namespace.") String namespace) {}
}
