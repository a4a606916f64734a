package io.ironlb.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.ironlb.config.Schema.Default;
import io.ironlb.config.Schema.Doc;
import io.ironlb.config.Schema.Range;

/** BFD timers for the sessions of the BGPPeers that name it (metallb.io/v1beta1 BFDProfile). */
@JsonIgnoreProperties({"status"})
public record BFDProfile(ObjectMeta metadata, Spec spec) implements MetalLbObject {

  public BFDProfile {
    spec = spec == null ? new Spec(null, null, null, null, null, null, null) : spec;
  }

  @Override
  public ObjectKind kind() {
    return ObjectKind.BFD_PROFILE;
  }

  /** Unset fields take FRR's defaults, as MetalLB documents them. */
  public record Spec(
      @Range(min = 10, max = 60000)
          @Default("300")
          @Doc("Minimum interval at which this system can receive control packets, in ms.")
          Integer receiveInterval,
      @Range(min = 10, max = 60000)
          @Default("300")
          @Doc("Minimum interval at which this system sends control packets, in ms (less jitter).")
          Integer transmitInterval,
      @Range(min = 2, max = 255)
          @Default("3")
          @Doc("Missed packets before the session is declared down.")
          Integer detectMultiplier,
      @Range(min = 10, max = 60000) @Default("50") @Doc("Minimum echo receive interval, in ms.")
          Integer echoInterval,
      @Default("false") @Doc("Echo mode; not possible on multi-hop sessions or IPv6 pools.")
          Boolean echoMode,
      @Default("false") @Doc("Wait for the peer's control packets before sending any.")
          Boolean passiveMode,
      @Range(min = 1, max = 254)
          @Default("254")
          @Doc("Multi-hop sessions: minimum TTL of incoming control packets.")
          Integer minimumTtl) {

    public Spec {
      receiveInterval = receiveInterval == null ? 300 : receiveInterval;
      transmitInterval = transmitInterval == null ? 300 : transmitInterval;
      detectMultiplier = detectMultiplier == null ? 3 : detectMultiplier;
      echoInterval = echoInterval == null ? 50 : echoInterval;
      echoMode = echoMode != null && echoMode;
      passiveMode = passiveMode != null && passiveMode;
      minimumTtl = minimumTtl == null ? 254 : minimumTtl;
    }
  }
}
