package io.ironlb.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.ironlb.config.ClusterResources;
import io.ironlb.config.ManifestReader;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Admission decisions against an existing configuration, with MetalLB's reasons. */
class AdmissionReviewerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String EXISTING =
      """
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata: {name: p, namespace: metallb-system}
      spec: {addresses: [10.222.1.0/24]}
      ---
      apiVersion: metallb.io/v1beta1
      kind: BFDProfile
      metadata: {name: fast, namespace: metallb-system}
      ---
      apiVersion: metallb.io/v1beta2
      kind: BGPPeer
      metadata: {name: router, namespace: metallb-system}
      spec: {myASN: 64512, peerASN: 64500, peerAddress: 10.222.0.1, bfdProfile: fast}
      """;

  private static JsonNode request(String operation, String kind, String name, String objectYaml)
      throws Exception {
    var review = JSON.createObjectNode();
    review.put("apiVersion", "admission.k8s.io/v1");
    review.put("kind", "AdmissionReview");
    var request = review.putObject("request");
    request.put("uid", "3f1c9a");
    request.put("operation", operation);
    request.putObject("kind").put("group", "metallb.io").put("kind", kind);
    request.put("name", name);
    JsonNode object = new YAMLMapper().readTree(objectYaml);
    request.put("namespace", object.path("metadata").path("namespace").asText());
    request.set(operation.equals("DELETE") ? "oldObject" : "object", object);
    return review;
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "a BGPPeer whose keepalive exceeds its hold time",
            "CREATE",
            "BGPPeer",
            "bad",
            """
            apiVersion: metallb.io/v1beta2
            kind: BGPPeer
            metadata: {name: bad, namespace: metallb-system}
            spec: {myASN: 64512, peerASN: 64500, peerAddress: 10.222.0.2, holdTime: 90s, keepaliveTime: 120s}
            """,
            "BGPPeer metallb-system/bad: spec.keepaliveTime: 120s is longer than spec.holdTime 90s"),
        Arguments.of(
            "a pool of its own",
            "CREATE",
            "IPAddressPool",
            "q",
            """
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: q, namespace: metallb-system}
            spec: {addresses: [10.222.2.0/24]}
            """,
            null),
        Arguments.of(
            "a pool overlapping an existing one",
            "CREATE",
            "IPAddressPool",
            "q",
            """
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: q, namespace: metallb-system}
            spec: {addresses: [10.222.1.128/25]}
            """,
            "overlap"),
        Arguments.of(
            "an update that moves a pool (not an overlap with its old self)",
            "UPDATE",
            "IPAddressPool",
            "p",
            """
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: p, namespace: metallb-system}
            spec: {addresses: [10.222.1.0/25]}
            """,
            null),
        Arguments.of(
            "deleting a BFDProfile a BGPPeer still names",
            "DELETE",
            "BFDProfile",
            "fast",
            """
            apiVersion: metallb.io/v1beta1
            kind: BFDProfile
            metadata: {name: fast, namespace: metallb-system}
            """,
            "BGPPeer metallb-system/router: spec.bfdProfile: BFDProfile \"fast\" does not exist"),
        // Issue 13, finding 5 (MetalLB's webhooks: "resource must be created in" its namespace).
        Arguments.of(
            "a pool outside MetalLB's namespace",
            "CREATE",
            "IPAddressPool",
            "elsewhere",
            """
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: elsewhere, namespace: default}
            spec: {addresses: [10.222.9.0/24]}
            """,
            "IPAddressPool default/elsewhere: metadata.namespace: resource must be created in"
                + " metallb-system namespace"),
        // MetalLB's resetTransientErrorsFields: objects may be applied in any order.
        Arguments.of(
            "a BGPPeer before its BFDProfile",
            "CREATE",
            "BGPPeer",
            "early",
            """
            apiVersion: metallb.io/v1beta2
            kind: BGPPeer
            metadata: {name: early, namespace: metallb-system}
            spec: {myASN: 64512, peerASN: 64500, peerAddress: 10.222.0.3, bfdProfile: later}
            """,
            null),
        Arguments.of(
            "an advertisement before its Community alias",
            "CREATE",
            "BGPAdvertisement",
            "early",
            """
            apiVersion: metallb.io/v1beta1
            kind: BGPAdvertisement
            metadata: {name: early, namespace: metallb-system}
            spec: {ipAddressPools: [p], communities: [no-advertise-later]}
            """,
            null),
        Arguments.of(
            "a BGPPeer before its password Secret",
            "CREATE",
            "BGPPeer",
            "secret",
            """
            apiVersion: metallb.io/v1beta2
            kind: BGPPeer
            metadata: {name: secret, namespace: metallb-system}
            spec:
              myASN: 64512
              peerASN: 64500
              peerAddress: 10.222.0.4
              passwordSecret: {name: later, namespace: metallb-system}
            """,
            null),
        Arguments.of(
            "an advertisement with a community that is no value and no name",
            "CREATE",
            "BGPAdvertisement",
            "bad",
            """
            apiVersion: metallb.io/v1beta1
            kind: BGPAdvertisement
            metadata: {name: bad, namespace: metallb-system}
            spec: {ipAddressPools: [p], communities: ["65536:1"]}
            """,
            "BGPAdvertisement metallb-system/bad: spec.communities[0]"),
        Arguments.of(
            "a field of the wrong type",
            "CREATE",
            "IPAddressPool",
            "r",
            """
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: r, namespace: metallb-system}
            spec: {addresses: 10.222.3.0/24}
            """,
            "IPAddressPool"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(
      String name, String operation, String kind, String object, String yaml, String denial)
      throws Exception {
    ClusterResources existing = ManifestReader.readString(EXISTING, "existing").resources();
    JsonNode response =
        AdmissionReviewer.review(request(operation, kind, object, yaml), existing).path("response");
    assertThat(response.path("uid").asText()).isEqualTo("3f1c9a");
    if (denial == null) {
      assertThat(response.path("allowed").asBoolean()).isTrue();
      assertThat(response.has("status")).isFalse();
    } else {
      assertThat(response.path("allowed").asBoolean()).isFalse();
      assertThat(response.path("status").path("code").asInt()).isEqualTo(422);
      assertThat(response.path("status").path("message").asText()).contains(denial);
    }
  }
}
