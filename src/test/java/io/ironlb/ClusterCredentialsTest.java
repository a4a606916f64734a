package io.ironlb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.ironlb.webhook.ServingCertificate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster's TLS credentials in Kubernetes, against the mock API server: created by the first
 * component when there are none, taken as they are when a user brought their own, refused with the
 * reason when the Secret cannot serve; copied to a private directory, rewritten only on change.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterCredentialsTest {
  private static final String NS = "metallb-system";
  KubernetesClient client;

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void theFirstComponentCreatesThemAndTheNextReadsTheSame() throws Exception {
    ServingCertificate first = ClusterCredentials.obtain(client, NS, "ironlb-cluster-tls");
    var secret = client.secrets().inNamespace(NS).withName("ironlb-cluster-tls").get();
    assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
    assertThat(secret.getData()).containsEntry("tls.key", b64(first.key()));
    assertThat(ClusterCredentials.obtain(client, NS, "ironlb-cluster-tls")).isEqualTo(first);
    // RSA (Pekko's PEM reader), a node certificate the CA signed, good for both ends of a link.
    X509Certificate node = ServingCertificate.certificates(first.certificate()).get(0);
    node.verify(ServingCertificate.certificates(first.caBundle()).get(0).getPublicKey());
    assertThat(node.getPublicKey().getAlgorithm()).isEqualTo("RSA");
    assertThat(node.getExtendedKeyUsage())
        .containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
  }

  @Test
  void credentialsAUserBroughtAreUsedAsTheyAre() {
    ServingCertificate own = ClusterCredentials.issue(Instant.now());
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("ironlb-cluster-tls")
                .endMetadata()
                .withData(
                    Map.of(
                        "ca.crt", b64(own.caBundle()),
                        "tls.crt", b64(own.certificate()),
                        "tls.key", b64(own.key())))
                .build())
        .create();
    assertThat(ClusterCredentials.obtain(client, NS, "ironlb-cluster-tls")).isEqualTo(own);
  }

  @Test
  void aSecretWithoutThePairIsRefusedWithTheReason() {
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("ironlb-cluster-tls")
                .endMetadata()
                .addToData("tls.crt", b64("x"))
                .build())
        .create();
    assertThatThrownBy(() -> ClusterCredentials.obtain(client, NS, "ironlb-cluster-tls"))
        .hasMessage(
            "Secret ironlb-cluster-tls must hold tls.crt, tls.key and ca.crt for cluster TLS");
  }

  @Test
  void theCopyIsPrivateAndRewrittenOnlyWhenItChanges(@TempDir Path dir) throws Exception {
    ServingCertificate pair = ClusterCredentials.issue(Instant.now());
    Path copy = dir.resolve("tls");
    assertThat(ClusterCredentials.write(pair, copy)).isTrue();
    assertThat(Files.readString(copy.resolve("tls.key"))).isEqualTo(pair.key());
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(copy.resolve("tls.key"))))
        .isEqualTo("rw-------");
    assertThat(ClusterCredentials.write(pair, copy)).isFalse();
    assertThat(ClusterCredentials.write(ClusterCredentials.issue(Instant.now()), copy)).isTrue();
    try (var files = Files.list(copy)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder("ca.crt", "tls.crt", "tls.key");
    }
  }
}
