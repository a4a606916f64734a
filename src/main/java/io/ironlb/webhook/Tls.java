package io.ironlb.webhook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A server TLS context from the PEM pair Kubernetes tooling writes ({@code tls.crt}, {@code
 * tls.key}: a certificate chain and a PKCS#8 RSA, EC or Ed25519 key), as a webhook's certificate
 * Secret holds them.
 */
final class Tls {
  private Tls() {}

  static SSLContext server(Path certificate, Path key)
      throws IOException, GeneralSecurityException {
    try {
      return server(Files.readString(certificate), Files.readString(key));
    } catch (GeneralSecurityException e) {
      throw new GeneralSecurityException(certificate + ", " + key + ": " + e.getMessage(), e);
    }
  }

  static SSLContext server(String certificatePem, String keyPem) throws GeneralSecurityException {
    Certificate[] chain =
        ServingCertificate.certificates(certificatePem).toArray(Certificate[]::new);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    char[] password = new char[0];
    store.setKeyEntry("webhook", privateKey(keyPem, "tls.key"), password, chain);
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, password);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    return tls;
  }

  static PrivateKey privateKey(String pem, String what) throws GeneralSecurityException {
    if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
      throw new GeneralSecurityException(
          what + ": expected a PKCS#8 key (BEGIN PRIVATE KEY); convert with openssl pkcs8 -topk8");
    }
    String body =
        pem.substring(
                pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27,
                pem.indexOf("-----END PRIVATE KEY"))
            .replaceAll("\\s", "");
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body));
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (InvalidKeySpecException e) {
        // not this algorithm: try the next
      }
    }
    throw new GeneralSecurityException(what + ": not an RSA, EC or Ed25519 key");
  }
}
