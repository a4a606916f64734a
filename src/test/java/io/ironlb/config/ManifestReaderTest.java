package io.ironlb.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestReaderTest {

  private static List<String> problems(String yaml) {
    return ManifestReader.readString(yaml, "f.yaml").problems().stream()
        .map(Problem::toString)
        .toList();
  }

  @Test
  void yamlSyntaxErrorNamesFileLineAndColumn(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file,
        """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata:
          name: a
         spec: [
        """);
    ManifestReader.Result r = ManifestReader.read(List.of(file));
    assertThat(r.problems()).hasSize(1);
    assertThat(r.problems().get(0).toString())
        .startsWith(file + ":5:")
        .contains("YAML syntax error");
  }

  @Test
  void documentsBeforeASyntaxErrorAreStillRead() {
    ManifestReader.Result r =
        ManifestReader.readString(Yaml.pool("a", "10.222.1.0/24") + "\n---\nkey: [\n", "f.yaml");
    assertThat(r.resources().pools()).extracting(IPAddressPool::name).containsExactly("a");
    assertThat(r.hasErrors()).isTrue();
  }

  @Test
  void everyUnknownFieldIsReportedWithItsPathAndTheRestIsStillValidated() {
    String yaml =
        Yaml.peer(
            "core",
            "myASN: 64500\npeerAsn: 64501\npeerAddress: 10.222.0.1\n"
                + "nodeSelectors: [{matchLabel: {a: b}}]");
    ManifestReader.Result r = ManifestReader.readString(yaml, "f.yaml");
    assertThat(r.problems())
        .extracting(Problem::toString)
        .containsExactlyInAnyOrder(
            "BGPPeer metallb-system/core: spec.peerAsn: unknown field (did you mean peerASN?)",
            "BGPPeer metallb-system/core: spec.nodeSelectors[0].matchLabel: unknown field");
    assertThat(ConfigValidator.validate(r.resources()))
        .extracting(Problem::toString)
        .contains(
            "BGPPeer metallb-system/core: spec.peerASN: missing peer ASN and dynamicASN"
                + " (exactly one is required)");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          quoted number is not an integer | spec: {myASN: '64500'} | BGPPeer metallb-system/p: spec.myASN: expected an integer
          list where a string belongs     | spec: {peerAddress: [a]} | BGPPeer metallb-system/p: spec.peerAddress: expected a string
          bad duration                    | spec: {holdTime: 90}   | BGPPeer metallb-system/p: spec.holdTime: expected a string
          duration without unit           | spec: {holdTime: '90'} | BGPPeer metallb-system/p: spec.holdTime: invalid duration "90" (write it like 90s, 1m30s or 300ms)
          """)
  void wrongTypesNameTheField(String description, String spec, String expected) {
    String yaml =
        "apiVersion: metallb.io/v1beta2\nkind: BGPPeer\n"
            + "metadata: {name: p, namespace: metallb-system}\n"
            + spec;
    assertThat(problems(yaml)).containsExactly(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          wrong apiVersion       | metallb.io/v1alpha1 | IPAddressPool | IPAddressPool x: apiVersion: metallb.io/v1alpha1 is not served for IPAddressPool (use metallb.io/v1beta1)
          BGPPeer v1beta3        | metallb.io/v1beta3  | BGPPeer       | BGPPeer x: apiVersion: metallb.io/v1beta3 is not served for BGPPeer (use metallb.io/v1beta2)
          unknown metallb kind   | metallb.io/v1beta1  | AddressPool   | AddressPool x: kind: unknown kind AddressPool in metallb.io (one of IPAddressPool, L2Advertisement, BGPAdvertisement, BGPPeer, BFDProfile, Community)
          unsupported core kind  | apps/v1             | Deployment    | Deployment x: unsupported kind Deployment (apiVersion apps/v1); IronLB reads metallb.io objects and v1 Service, Node, Namespace, Secret, discovery.k8s.io/v1 EndpointSlice
          """)
  void unknownKindsAndVersionsAreReportedNotIgnored(
      String description, String apiVersion, String kind, String expected) {
    String yaml = "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata: {name: x}\n";
    assertThat(problems(yaml)).containsExactly(expected);
  }

  @Test
  void missingNameAndMissingKindAreReported() {
    assertThat(problems("apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nspec: {}\n"))
        .containsExactly("IPAddressPool at f.yaml:1: metadata.name: required");
    assertThat(problems("metadata: {name: x}\n"))
        .containsExactly("object x: apiVersion and kind are required");
    assertThat(problems("- a\n- b\n"))
        .containsExactly("f.yaml:1: expected a Kubernetes object, found a list");
  }

  @Test
  void v1beta1PeerIsConvertedToV1beta2() {
    String yaml =
        """
        apiVersion: metallb.io/v1beta1
        kind: BGPPeer
        metadata: {name: old, namespace: metallb-system}
        spec:
          myASN: 64500
          peerASN: 64501
          peerAddress: 10.222.0.1
          holdTime: 0s
          nodeSelectors:
            - matchLabels: {rack: a}
        """;
    ManifestReader.Result r = ManifestReader.readString(yaml, "f.yaml");
    assertThat(r.problems()).isEmpty();
    BGPPeer.Spec spec = r.resources().bgpPeers().get(0).spec();
    assertThat(spec.peerAddress()).isEqualTo("10.222.0.1");
    assertThat(spec.holdTime()).as("v1beta1's zero timer means unset").isNull();
    assertThat(spec.effectiveHoldTime()).isEqualTo(BGPPeer.DEFAULT_HOLD_TIME);
    assertThat(spec.nodeSelectors().get(0).matchLabels()).containsEntry("rack", "a");
  }

  @Test
  void listKindIsExpandedAndCoreObjectsAreRead() {
    String yaml =
        """
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: default, resourceVersion: "7"}
            spec:
              type: LoadBalancer
              ports: [{port: 80, protocol: TCP}]
            status:
              loadBalancer:
                ingress: [{ip: 10.222.1.1}]
          - apiVersion: v1
            kind: Node
            metadata: {name: n1, labels: {rack: a}}
          - apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: web-1, namespace: default, labels: {kubernetes.io/service-name: web}}
            addressType: IPv4
            endpoints: [{addresses: [10.1.1.1], nodeName: n1, conditions: {ready: true}}]
        """;
    ManifestReader.Result r = ManifestReader.readString(yaml, "f.yaml");
    assertThat(r.problems()).isEmpty();
    assertThat(r.objects()).isEqualTo(3);
    assertThat(
            r.resources()
                .services()
                .get(0)
                .getStatus()
                .getLoadBalancer()
                .getIngress()
                .get(0)
                .getIp())
        .isEqualTo("10.222.1.1");
    assertThat(r.resources().nodes().get(0).getMetadata().getLabels()).containsEntry("rack", "a");
    assertThat(r.resources().endpointSlices().get(0).getEndpoints().get(0).getNodeName())
        .isEqualTo("n1");
  }

  @Test
  void directoriesAreReadRecursivelyInNameOrderSkippingOtherFiles(@TempDir Path dir)
      throws IOException {
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("b.yaml"), Yaml.pool("b", "10.222.2.0/24"));
    Files.writeString(dir.resolve("a.yml"), Yaml.pool("a", "10.222.1.0/24"));
    Files.writeString(
        dir.resolve("sub/c.json"),
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"web\"}}");
    Files.writeString(dir.resolve("notes.txt"), "not: [yaml");
    ManifestReader.Result r = ManifestReader.read(List.of(dir));
    assertThat(r.problems()).isEmpty();
    assertThat(r.files()).isEqualTo(3);
    assertThat(r.resources().pools()).extracting(IPAddressPool::name).containsExactly("a", "b");
    assertThat(r.resources().namespaces()).hasSize(1);
  }

  @Test
  void missingPathIsAProblem() {
    ManifestReader.Result r = ManifestReader.read(List.of(Path.of("/nonexistent/ironlb")));
    assertThat(r.problems())
        .extracting(Problem::toString)
        .containsExactly("/nonexistent/ironlb: no such file or directory");
  }

  @Test
  void defaultsAreMetalLbs() {
    ManifestReader.Result r =
        ManifestReader.readString(
            Yaml.docs(
                Yaml.pool("a", "10.222.1.0/24"),
                Yaml.bgpAdv("x", ""),
                Yaml.ebgpPeer("p", ""),
                Yaml.bfd("b", "")),
            "f.yaml");
    assertThat(r.resources().pools().get(0).spec().autoAssign()).isTrue();
    assertThat(r.resources().pools().get(0).spec().avoidBuggyIPs()).isFalse();
    assertThat(r.resources().bgpAdvertisements().get(0).spec().aggregationLength()).isEqualTo(32);
    assertThat(r.resources().bgpAdvertisements().get(0).spec().aggregationLengthV6())
        .isEqualTo(128);
    assertThat(r.resources().bgpPeers().get(0).spec().peerPort()).isEqualTo(179);
    BFDProfile.Spec bfd = r.resources().bfdProfiles().get(0).spec();
    assertThat(List.of(bfd.receiveInterval(), bfd.transmitInterval(), bfd.detectMultiplier()))
        .containsExactly(300, 300, 3);
  }
}
