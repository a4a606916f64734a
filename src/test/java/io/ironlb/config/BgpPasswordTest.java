package io.ironlb.config;

import static io.ironlb.config.Yaml.docs;
import static io.ironlb.config.Yaml.ebgpPeer;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The TCP MD5 password a BGPPeer's session uses: inline, or from its Secret (MetalLB's rules). */
class BgpPasswordTest {

  private static String secret(String namespace, String type, String data) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: bgp-md5, namespace: %s}
        type: %s
        %s"""
        .formatted(namespace, type, data);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("no password at all", docs(ebgpPeer("p", "")), null),
        Arguments.of("inline", docs(ebgpPeer("p", "password: inline-key")), "inline-key"),
        Arguments.of(
            "Secret data is base64",
            docs(
                ebgpPeer("p", "passwordSecret: {name: bgp-md5}"),
                secret("metallb-system", "kubernetes.io/basic-auth", "data: {password: czNjcjN0}")),
            "s3cr3t"),
        Arguments.of(
            "Secret stringData is plain",
            docs(
                ebgpPeer("p", "passwordSecret: {name: bgp-md5}"),
                secret(
                    "metallb-system", "kubernetes.io/basic-auth", "stringData: {password: plain}")),
            "plain"),
        Arguments.of(
            "the reference's namespace wins over the peer's",
            docs(
                ebgpPeer("p", "passwordSecret: {name: bgp-md5, namespace: other}"),
                secret("metallb-system", "kubernetes.io/basic-auth", "data: {password: d3Jvbmc=}"),
                secret("other", "kubernetes.io/basic-auth", "data: {password: cmlnaHQ=}")),
            "right"),
        Arguments.of(
            "a Secret in another namespace is not the peer's",
            docs(
                ebgpPeer("p", "passwordSecret: {name: bgp-md5}"),
                secret("other", "kubernetes.io/basic-auth", "data: {password: cmlnaHQ=}")),
            null),
        Arguments.of(
            "wrong Secret type",
            docs(
                ebgpPeer("p", "passwordSecret: {name: bgp-md5}"),
                secret("metallb-system", "Opaque", "data: {password: czNjcjN0}")),
            null),
        Arguments.of(
            "no password key",
            docs(
                ebgpPeer("p", "passwordSecret: {name: bgp-md5}"),
                secret("metallb-system", "kubernetes.io/basic-auth", "data: {username: YQ==}")),
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void resolves(String name, String yaml, String expected) {
    ClusterResources r = ManifestReader.readString(yaml, "test.yaml").resources();
    assertThat(r.bgpPassword(r.bgpPeers().get(0)).orElse(null)).isEqualTo(expected);
  }
}
