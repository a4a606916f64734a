package io.ironlb.multijvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ironlb.testkit.Openssl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster traffic over TLS (Artery tls-tcp with Pekko's rotating-keys engine): two nodes given a
 * certificate from the cluster's CA (made here with openssl, as cert-manager would) form the
 * cluster; a third node without one cannot join it.
 */
class ClusterTlsIT {
  @TempDir Path config;
  @TempDir Path certs;
  private Layer2Lab lab;

  @RegisterExtension
  final AfterTestExecutionCallback logsOnFailure = Layer2Lab.logsOnFailure(() -> lab);

  @AfterEach
  void tearDown() {
    if (lab != null) {
      lab.close();
    }
  }

  private void openssl(String... args) throws Exception {
    Openssl.run(certs, args);
  }

  /** A CA, and one node certificate it signs, valid for the lab's three node addresses. */
  private void certificates() throws Exception {
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "1",
        "-subj",
        "/CN=ironlb-cluster-ca");
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "tls.key",
        "-out",
        "tls.csr",
        "-subj",
        "/CN=ironlb-node");
    Files.writeString(
        certs.resolve("san.ext"), "subjectAltName=IP:10.222.70.1,IP:10.222.70.2,IP:10.222.70.3\n");
    openssl(
        "x509",
        "-req",
        "-in",
        "tls.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "tls.crt",
        "-days",
        "1",
        "-extfile",
        "san.ext");
  }

  @Test
  void nodesWithTheCasCertificateFormTheClusterAndAPlainNodeCannotJoin() throws Exception {
    assumeTrue(Netns.available("openssl", "curl"), "needs root, openssl, curl");
    certificates();
    Layer2Lab.writeConfig(config, List.of("10.222.70.240/32"), Layer2Lab.services("web", 1, false));
    List<String> tls = new ArrayList<>(IronlbProcess.PATIENT_DETECTOR);
    tls.add("-Dironlb.cluster.tls-dir=" + certs);
    lab = new Layer2Lab(config, 3, tls);
    lab.start(1);
    lab.start(2);
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> lab.upMembers(1) == 2 && lab.upMembers(2) == 2);
    assertThat(lab.process(1).stderr()).contains("Artery tls-tcp");

    // The same node without the certificate: plain TCP, which the TLS nodes never accept.
    lab.start(3, IronlbProcess.PATIENT_DETECTOR);
    await()
        .during(Duration.ofSeconds(10))
        .atMost(Duration.ofSeconds(12))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> lab.upMembers(1) == 2);
    assertThat(lab.process(3).stderr()).doesNotContain("Welcome from");
  }
}
