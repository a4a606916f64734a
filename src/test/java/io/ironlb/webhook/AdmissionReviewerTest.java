package io.ironlb.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.ironlb.config.ClusterResources;
import io.ironlb.config.ManifestReader;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * MetalLB's webhook tests (internal/k8s/webhooks/*_webhook_test.go), for every kind: a second
   * object is judged with the existing one, an update replaces its old self (never a duplicate of
   * it), an invalid object is refused, and one outside MetalLB's namespace is refused. Each row
   * names the MetalLB test case; {@code {ns}} and {@code {name}} are filled per row.
   */
  static Stream<Arguments> metallbWebhookCases() {
    String[][] kinds = {
      // kind, MetalLB test, a valid spec, an invalid spec and the reason it is refused
      {
        "IPAddressPool",
        "ipaddresspool_webhook_test.go TestValidateIPAddressPool",
        "metallb.io/v1beta1",
        "{addresses: [10.222.8.0/24]}",
        "{addresses: [10.222.1.0/25]}",
        "overlaps with"
      },
      {
        "L2Advertisement",
        "l2advertisement_webhook_test.go TestValidateL2Advertisement",
        "metallb.io/v1beta1",
        "{ipAddressPools: [p]}",
        "{ipAddressPools: [p, p]}",
        "duplicate definition of"
      },
      {
        "BGPAdvertisement",
        "bgpadvertisement_webhook_test.go TestValidateBGPAdvertisement",
        "metallb.io/v1beta1",
        "{ipAddressPools: [p], aggregationLength: 32}",
        "{ipAddressPools: [p], aggregationLength: 16}",
        "aggregation length"
      },
      {
        "BGPPeer",
        "bgppeer_webhook_test.go TestValidateBGPPeer",
        "metallb.io/v1beta2",
        "{myASN: 64512, peerASN: 64500, peerAddress: 10.222.0.9}",
        "{myASN: 64512, peerASN: 64500, peerAddress: 10.222.0.9, holdTime: 90s, keepaliveTime: 120s}",
        "is longer than spec.holdTime"
      },
      {
        "Community",
        "community_webhook_test.go TestValidateCommunity",
        "metallb.io/v1beta1",
        "{communities: [{name: gold, value: \"64512:1\"}]}",
        "{communities: [{name: gold, value: \"64512:99999\"}]}",
        "spec.communities[0].value"
      },
      {
        "BFDProfile",
        "bfdprofile_webhook_test.go TestValidateBFDProfile",
        "metallb.io/v1beta1",
        "{receiveInterval: 300}",
        "{receiveInterval: 5}",
        "10-60000 range"
      }
    };
    List<Arguments> rows = new ArrayList<>();
    for (String[] k : kinds) {
      String kind = k[0];
      String test = k[1];
      String object =
          "apiVersion: %s\nkind: %s\nmetadata: {name: {name}, namespace: {ns}}\nspec: %s";
      String valid = object.formatted(k[2], kind, k[3]);
      String invalid = object.formatted(k[2], kind, k[4]);
      rows.add(
          Arguments.of(
              test + ": Second " + kind, "CREATE", kind, "second", "metallb-system", valid, null));
      rows.add(
          Arguments.of(
              test + ": Same, update", "UPDATE", kind, "same", "metallb-system", valid, null));
      rows.add(
          Arguments.of(
              test + ": Validation fails",
              "CREATE",
              kind,
              "third",
              "metallb-system",
              invalid,
              k[5]));
      rows.add(
          Arguments.of(
              test + ": Validation must fail if created in different namespace",
              "CREATE",
              kind,
              "fourth",
              "default",
              valid,
              "resource must be created in metallb-system namespace"));
    }
    return rows.stream();
  }

  /** One existing object of every kind, named "same", beside the common configuration. */
  private static final String EVERY_KIND =
      """
      ---
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata: {name: same, namespace: metallb-system}
      spec: {addresses: [10.222.7.0/24]}
      ---
      apiVersion: metallb.io/v1beta1
      kind: L2Advertisement
      metadata: {name: same, namespace: metallb-system}
      ---
      apiVersion: metallb.io/v1beta1
      kind: BGPAdvertisement
      metadata: {name: same, namespace: metallb-system}
      spec: {ipAddressPools: [p]}
      ---
      apiVersion: metallb.io/v1beta2
      kind: BGPPeer
      metadata: {name: same, namespace: metallb-system}
      spec: {myASN: 64512, peerASN: 64500, peerAddress: 10.222.0.8}
      ---
      apiVersion: metallb.io/v1beta1
      kind: Community
      metadata: {name: same, namespace: metallb-system}
      spec: {communities: [{name: silver, value: "64512:2"}]}
      ---
      apiVersion: metallb.io/v1beta1
      kind: BFDProfile
      metadata: {name: same, namespace: metallb-system}
      """;

  @ParameterizedTest(name = "{0}")
  @MethodSource("metallbWebhookCases")
  void metallbWebhookCase(
      String test,
      String operation,
      String kind,
      String name,
      String namespace,
      String yaml,
      String denial)
      throws Exception {
    ClusterResources existing =
        ManifestReader.readString(EXISTING + EVERY_KIND, "existing").resources();
    String object = yaml.replace("{name}", name).replace("{ns}", namespace);
    JsonNode response =
        AdmissionReviewer.review(request(operation, kind, name, object), existing).path("response");
    if (denial == null) {
      assertThat(response.path("allowed").asBoolean())
          .as("%s: %s", test, response.path("status").path("message").asText())
          .isTrue();
    } else {
      assertThat(response.path("allowed").asBoolean()).as(test).isFalse();
      assertThat(response.path("status").path("message").asText()).contains(denial);
    }
  }
}
