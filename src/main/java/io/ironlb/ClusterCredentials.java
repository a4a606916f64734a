package io.ironlb;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.ironlb.webhook.ServingCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Artery's TLS transport needs to authenticate and encrypt cluster traffic: a CA, and a node
 * certificate and key every member presents (RSA: Pekko's PEM reader takes RSA keys only). In
 * Kubernetes they live in a {@code kubernetes.io/tls} Secret that the first component to start
 * creates, as MetalLB's controller creates its memberlist secret; a user may create it beforehand
 * with credentials of their own. Each process copies it into a private directory that Pekko's
 * rotating-keys engine reads, and rewrites that copy when the Secret changes, so credentials rotate
 * without a restart.
 */
final class ClusterCredentials {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterCredentials.class);

  /** The name all members' certificates share (Pekko checks a peer's names against its own). */
  static final String NODE_NAME = "ironlb-cluster";

  /** Generated credentials last ten years: rotation is a deliberate act (docs/install.md). */
  static final Duration VALIDITY = Duration.ofDays(3650);

  private ClusterCredentials() {}

  /** A new CA and the node certificate it signs. */
  static ServingCertificate issue(Instant now) {
    return ServingCertificate.issue(
        "ironlb-cluster-ca", List.of(NODE_NAME), now, VALIDITY, true, null);
  }

  /**
   * The credentials in Secret {@code name}, created first if there is none (the first component to
   * ask wins a race: a create that finds one already there reads it).
   */
  static ServingCertificate obtain(KubernetesClient client, String namespace, String name) {
    for (int attempt = 0; ; attempt++) {
      Secret found = client.secrets().inNamespace(namespace).withName(name).get();
      if (found != null) {
        return read(found);
      }
      ServingCertificate fresh = issue(Instant.now());
      try {
        client
            .secrets()
            .inNamespace(namespace)
            .resource(
                new SecretBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(namespace)
                    .addToLabels("app.kubernetes.io/name", "ironlb")
                    .endMetadata()
                    .withType("kubernetes.io/tls")
                    .withData(fresh.secretData())
                    .build())
            .create();
        LOG.info("cluster TLS: created Secret {}/{} with a new CA", namespace, name);
        return fresh;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 3) {
          throw e;
        }
      }
    }
  }

  private static ServingCertificate read(Secret s) {
    return ServingCertificate.fromSecretData(s.getData())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "Secret "
                        + s.getMetadata().getName()
                        + " must hold tls.crt, tls.key and ca.crt for cluster TLS"));
  }

  /**
   * Writes the pair into {@code dir} as {@code ca.crt}, {@code tls.crt} and {@code tls.key} (the
   * key readable by this user only), each file replaced whole, and only when it changed; returns
   * whether anything did.
   */
  static boolean write(ServingCertificate pair, Path dir) {
    try {
      Files.createDirectories(dir);
      boolean changed = false;
      for (var file :
          Map.of("ca.crt", pair.caBundle(), "tls.crt", pair.certificate(), "tls.key", pair.key())
              .entrySet()) {
        Path target = dir.resolve(file.getKey());
        if (Files.isRegularFile(target) && Files.readString(target).equals(file.getValue())) {
          continue;
        }
        Path tmp = Files.createTempFile(dir, file.getKey(), ".tmp");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(tmp, file.getValue());
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        changed = true;
      }
      return changed;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the cluster credentials to " + dir, e);
    }
  }
}
