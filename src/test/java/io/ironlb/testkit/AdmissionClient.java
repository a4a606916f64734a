package io.ironlb.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The API server's side of a validating webhook: an HTTPS client that trusts exactly the webhook's
 * certificate (as the webhook configuration's caBundle does) and posts AdmissionReviews.
 */
public final class AdmissionClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient https;
  private final String base;

  /**
   * @param base e.g. {@code https://127.0.0.1:9443}
   * @param certificate the webhook's PEM certificate, the only one trusted
   */
  public AdmissionClient(String base, Path certificate)
      throws IOException, GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(certificate)) {
      trust.setCertificateEntry(
          "webhook", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    this.https = HttpClient.newBuilder().sslContext(tls).build();
    this.base = base;
  }

  /**
   * An AdmissionReview (admission.k8s.io/v1) for one metallb.io object in metallb-system.
   *
   * @param field {@code object} (CREATE, UPDATE) or {@code oldObject} (DELETE)
   * @param object the object as JSON
   */
  public static String review(
      String operation, String kind, String name, String field, String object) {
    return """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview",
         "request":{"uid":"uid-%s","operation":"%s","kind":{"group":"metallb.io","kind":"%s"},
                    "name":"%s","namespace":"metallb-system","%s":%s}}"""
        .formatted(operation, operation, kind, name, field, object);
  }

  /** POSTs a review to {@code path}; the webhook must answer 200 with a review. */
  public JsonNode post(String path, String review) throws IOException, InterruptedException {
    HttpResponse<String> r =
        https.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(review))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }
}
