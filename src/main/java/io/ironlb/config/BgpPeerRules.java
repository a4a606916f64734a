package io.ironlb.config;

import inet.ipaddr.IPAddress;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * BGPPeer's rules (MetalLB's webhook and config parser): ASNs, addresses, timers, the password
 * Secret, the BFDProfile, and one session per router and node.
 */
final class BgpPeerRules {

  private final ValidationRun c;
  private final ClusterResources r;

  BgpPeerRules(ValidationRun c) {
    this.c = c;
    this.r = c.r;
  }

  void check() {
    Map<String, List<BGPPeer>> routers = new HashMap<>();
    for (BGPPeer peer : r.bgpPeers()) {
      BGPPeer.Spec s = peer.spec();
      if (s == null) {
        continue;
      }
      if (s.myASN() == 0) {
        c.error(peer, "spec.myASN", "missing local ASN");
      }
      boolean dynamic = s.dynamicASN() != null && !s.dynamicASN().isEmpty();
      if (s.peerASN() == 0 && !dynamic) {
        c.error(peer, "spec.peerASN", "missing peer ASN and dynamicASN (exactly one is required)");
      }
      if (s.peerASN() != 0 && dynamic) {
        c.error(peer, "spec.dynamicASN", "both peerASN and dynamicASN specified");
      }
      if (s.ebgpMultiHop() && (s.peerASN() == s.myASN() || "internal".equals(s.dynamicASN()))) {
        c.error(
            peer,
            "spec.ebgpMultiHop",
            "invalid ebgp-multihop parameter set for an ibgp peer (peerASN equals myASN)");
      }
      boolean hasAddress = s.peerAddress() != null && !s.peerAddress().isEmpty();
      boolean hasInterface = s.iface() != null && !s.iface().isEmpty();
      if (!hasAddress && !hasInterface) {
        c.error(peer, "spec.peerAddress", "peer has no peerAddress or interface specified");
      }
      if (hasAddress && hasInterface) {
        c.error(peer, "spec.interface", "peer has both peerAddress and interface specified");
      }
      IPAddress address = hasAddress ? c.address(peer, "spec.peerAddress", s.peerAddress()) : null;
      if (hasInterface && !ValidationRun.INTERFACE_NAME.matcher(s.iface()).matches()) {
        c.error(peer, "spec.interface", "\"" + s.iface() + "\" is not a valid interface name");
      }
      if (hasInterface && s.peerPort() != 179) {
        // FRR's "neighbor IFACE interface" and IronLB's unnumbered session go to port 179.
        c.error(
            peer,
            "spec.peerPort",
            "an unnumbered peer (interface) is reached on port 179, not " + s.peerPort());
      }
      if (s.disableMP() && s.dualStackAddressFamily()) {
        // MetalLB deprecated disableMP when one family per session became the default.
        c.error(
            peer,
            "spec.disableMP",
            "disableMP (each family on its own session) contradicts dualStackAddressFamily (both"
                + " families on this session); disableMP is deprecated, drop it");
      }
      if (s.vrf() != null
          && !s.vrf().isEmpty()
          && !ValidationRun.INTERFACE_NAME.matcher(s.vrf()).matches()) {
        // The session's socket is bound to the VRF's Linux device (SO_BINDTODEVICE).
        c.error(peer, "spec.vrf", "\"" + s.vrf() + "\" is not a valid VRF device name");
      }
      if (s.sourceAddress() != null && !s.sourceAddress().isEmpty()) {
        IPAddress source = c.address(peer, "spec.sourceAddress", s.sourceAddress());
        if (source != null && address != null && source.isIPv4() != address.isIPv4()) {
          c.error(
              peer,
              "spec.sourceAddress",
              s.sourceAddress()
                  + " and peerAddress "
                  + s.peerAddress()
                  + " are of different families");
        }
      }
      if (s.routerID() != null && !s.routerID().isEmpty()) {
        IPAddress id = c.address(peer, "spec.routerID", s.routerID());
        if (id != null && (!id.isIPv4() || id.isZero())) {
          c.error(
              peer,
              "spec.routerID",
              "invalid router ID \""
                  + s.routerID()
                  + "\": a BGP identifier is a non-zero IPv4 address");
        }
      }
      timers(peer, s);
      if (s.connectTime() != null) {
        Duration ct = s.connectTime().value();
        if (ct.getSeconds() < 1 || ct.getSeconds() > 65535) {
          c.error(peer, "spec.connectTime", "connect time should be between 1 seconds to 65535");
        } else if (ct.getNano() != 0) {
          c.error(
              peer, "spec.connectTime", "connect time should contain a whole number of seconds");
        }
      }
      boolean hasPassword = s.password() != null && !s.password().isEmpty();
      if (hasPassword && s.passwordSecretName().isPresent()) {
        c.error(
            peer,
            "spec.password",
            "can not have both password and passwordSecret set (they are mutually exclusive)");
      }
      s.passwordSecretName().ifPresent(name -> passwordSecret(peer, s, name));
      if (s.bfdProfile() != null
          && !s.bfdProfile().isEmpty()
          && r.bfdProfile(s.bfdProfile()).isEmpty()) {
        c.unresolved(
            peer, "spec.bfdProfile", "BFDProfile \"" + s.bfdProfile() + "\" does not exist");
      }
      c.selectors(peer, "spec.nodeSelectors", s.nodeSelectors());
      // MetalLB's peersCanRunOnSameNode: one session per router (address or interface, per VRF)
      // on a node. Two peers for one router conflict when any node matches both selectors; with
      // no Node objects known, they are assumed to (MetalLB's peersShareNode).
      String router =
          (hasAddress ? s.peerAddress() : "if:" + s.iface())
              + "|"
              + Objects.requireNonNullElse(s.vrf(), "");
      for (BGPPeer twin : routers.getOrDefault(router, List.of())) {
        if (peersShareNode(twin.spec().nodeSelectors(), s.nodeSelectors())) {
          c.error(
              peer,
              hasAddress ? "spec.peerAddress" : "spec.interface",
              "peer "
                  + (hasAddress ? s.peerAddress() : s.iface())
                  + " already exists as "
                  + twin.describe()
                  + (r.nodes().isEmpty()
                      ? " (same router and vrf; no Node is known to tell their nodes apart)"
                      : " (same router and vrf, and a node selected by both)"));
          break;
        }
      }
      routers.computeIfAbsent(router, k -> new ArrayList<>()).add(peer);
    }
  }

  /** RFC 4271 §4.2 and MetalLB's parseTimers: hold 0 or ≥ 3 s, keepalive ≤ hold. */
  private void timers(BGPPeer peer, BGPPeer.Spec s) {
    GoDuration hold = s.holdTime();
    GoDuration keepalive = s.keepaliveTime();
    if (hold != null && hold.value().isNegative()) {
      c.error(peer, "spec.holdTime", "invalid hold time \"" + hold + "\": must not be negative");
      return;
    }
    if (keepalive != null && keepalive.value().isNegative()) {
      c.error(
          peer,
          "spec.keepaliveTime",
          "invalid keepaliveTime \"" + keepalive + "\": must not be negative");
      return;
    }
    long seconds = s.effectiveHoldTime().getSeconds();
    if (seconds != 0 && seconds < 3) {
      if (hold != null) {
        c.error(peer, "spec.holdTime", "invalid hold time \"" + hold + "\": must be 0 or >=3s");
      } else {
        c.error(
            peer,
            "spec.keepaliveTime",
            "keepaliveTime \""
                + keepalive
                + "\" gives a hold time of "
                + s.effectiveHoldTime().toMillis()
                + "ms: the hold time must be 0 or >=3s");
      }
    }
    if (seconds > 65535) {
      c.error(
          peer,
          hold != null ? "spec.holdTime" : "spec.keepaliveTime",
          "hold time of " + seconds + "s exceeds 65535s, the most a BGP OPEN can carry");
    }
    if (hold != null && keepalive != null && keepalive.value().compareTo(hold.value()) > 0) {
      c.error(peer, "spec.keepaliveTime", keepalive + " is longer than spec.holdTime " + hold);
    }
  }

  /** MetalLB requires a kubernetes.io/basic-auth Secret with the key {@code password}. */
  private void passwordSecret(BGPPeer peer, BGPPeer.Spec s, String name) {
    Secret secret = r.passwordSecret(peer).orElse(null);
    if (secret == null) {
      c.warning(
          peer,
          "spec.passwordSecret",
          "Secret \""
              + name
              + "\" is not among the objects read; it must exist before the session starts");
      return;
    }
    if (!"kubernetes.io/basic-auth".equals(secret.getType())) {
      c.error(
          peer,
          "spec.passwordSecret",
          "secret type mismatch on \""
              + name
              + "\", type \"kubernetes.io/basic-auth\" is expected");
    }
    boolean hasKey =
        secret.getData() != null && secret.getData().containsKey("password")
            || secret.getStringData() != null && secret.getStringData().containsKey("password");
    if (!hasKey) {
      c.error(peer, "spec.passwordSecret", "password not specified in the secret \"" + name + "\"");
    }
  }

  /** Whether a known node matches both selector lists; true when no Node is known. */
  private boolean peersShareNode(List<LabelSelector> a, List<LabelSelector> b) {
    if (r.nodes().isEmpty()) {
      return true;
    }
    Set<String> left = c.selectedNodes(a);
    return c.selectedNodes(b).stream().anyMatch(left::contains);
  }
}
