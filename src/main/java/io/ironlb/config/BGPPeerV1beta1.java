package io.ironlb.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The older metallb.io/v1beta1 BGPPeer, read and converted to v1beta2 as MetalLB's conversion
 * webhook does. Its node selectors have the same shape as a label selector; a zero or missing timer
 * becomes unset rather than zero.
 */
@JsonIgnoreProperties({"status"})
public record BGPPeerV1beta1(ObjectMeta metadata, Spec spec) {

  public record Spec(
      long myASN,
      long peerASN,
      String peerAddress,
      String sourceAddress,
      Integer peerPort,
      GoDuration holdTime,
      GoDuration keepaliveTime,
      String routerID,
      List<LabelSelector> nodeSelectors,
      String password,
      String bfdProfile,
      boolean ebgpMultiHop) {}

  public BGPPeer toV1beta2() {
    Spec s =
        spec == null
            ? new Spec(0, 0, null, null, null, null, null, null, null, null, null, false)
            : spec;
    return new BGPPeer(
        metadata,
        new BGPPeer.Spec(
            s.myASN(),
            s.peerASN(),
            0,
            null,
            s.peerAddress(),
            null,
            s.sourceAddress(),
            s.peerPort(),
            nonZero(s.holdTime()),
            nonZero(s.keepaliveTime()),
            null,
            s.routerID(),
            s.nodeSelectors(),
            s.password(),
            null,
            s.bfdProfile(),
            false,
            s.ebgpMultiHop(),
            null,
            false,
            false));
  }

  private static GoDuration nonZero(GoDuration d) {
    return d == null || d.value().isZero() ? null : d;
  }
}
