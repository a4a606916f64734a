package io.ironlb.webhook;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * The webhook's certificate when IronLB manages it itself, as MetalLB's controller does: a CA of
 * its own and a serving certificate for the webhook Service's DNS names, both ECDSA P-256, in the
 * PEM forms a {@code kubernetes.io/tls} Secret holds. Pure: no I/O.
 *
 * @param caBundle the CAs the API server must trust (PEM): the current one first, and while a
 *     renewal is recent, the previous one, so connections made with either certificate verify
 * @param certificate the serving certificate (PEM)
 * @param key its private key (PKCS#8 PEM)
 */
public record ServingCertificate(String caBundle, String certificate, String key) {

  /** How long the CA and the serving certificate are valid. */
  public static final Duration VALIDITY = Duration.ofDays(365);

  /** A certificate is renewed this long before it expires. */
  public static final Duration RENEW_BEFORE = Duration.ofDays(30);

  private static final Pattern IP = Pattern.compile("[0-9.]+|.*:.*");

  /**
   * A new CA and a serving certificate it signs, for {@code names} (DNS names, or IP addresses),
   * valid from {@code now} (less a minute, for clocks a little behind) for {@link #VALIDITY}.
   *
   * @param previousCa a CA to keep trusting beside the new one (the one being replaced), or null
   */
  public static ServingCertificate issue(List<String> names, Instant now, String previousCa) {
    return issue("ironlb-webhook-ca", names, now, VALIDITY, false, previousCa);
  }

  /**
   * As above, with the CA's common name, the validity, and RSA 2048 keys instead of ECDSA P-256
   * (Pekko's TLS transport reads RSA keys only).
   */
  public static ServingCertificate issue(
      String caCommonName,
      List<String> names,
      Instant now,
      Duration validity,
      boolean rsa,
      String previousCa) {
    try {
      KeyPair ca = keyPair(rsa);
      KeyPair leaf = keyPair(rsa);
      Instant from = now.minus(Duration.ofMinutes(1));
      Instant to = now.plus(validity);
      X500Name caName = new X500Name("CN=" + caCommonName);
      X509Certificate caCert =
          sign(
              new JcaX509v3CertificateBuilder(
                      caName, serial(), Date.from(from), Date.from(to), caName, ca.getPublic())
                  .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                  .addExtension(
                      Extension.keyUsage,
                      true,
                      new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)),
              ca);
      GeneralName[] sans =
          names.stream()
              .map(
                  n ->
                      new GeneralName(
                          IP.matcher(n).matches() ? GeneralName.iPAddress : GeneralName.dNSName, n))
              .toArray(GeneralName[]::new);
      X509Certificate leafCert =
          sign(
              new JcaX509v3CertificateBuilder(
                      caName,
                      serial(),
                      Date.from(from),
                      Date.from(to),
                      new X500Name("CN=" + names.get(0)),
                      leaf.getPublic())
                  .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                  .addExtension(
                      Extension.keyUsage,
                      true,
                      new KeyUsage(
                          rsa
                              ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                              : KeyUsage.digitalSignature))
                  // RSA credentials are a cluster node's: it both accepts connections and makes
                  // them (Pekko requires client certificates), so it is client and server.
                  .addExtension(
                      Extension.extendedKeyUsage,
                      false,
                      new ExtendedKeyUsage(
                          rsa
                              ? new KeyPurposeId[] {
                                KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                              }
                              : new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth}))
                  .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans)),
              ca);
      String caPem = pem(caCert);
      String bundle = previousCa == null ? caPem : caPem + firstCertificate(previousCa);
      return new ServingCertificate(
          bundle, pem(leafCert), pem(new PemObject("PRIVATE KEY", leaf.getPrivate().getEncoded())));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot issue the webhook's certificate", e);
    }
  }

  /**
   * Why this pair cannot serve {@code names} at {@code now} any more (it does not parse, is not
   * signed by the bundle's first CA, names other hosts, or either certificate expires within {@link
   * #RENEW_BEFORE}), or empty when it can.
   */
  public Optional<String> renewalReason(List<String> names, Instant now) {
    X509Certificate leaf;
    X509Certificate ca;
    try {
      leaf = certificates(certificate).get(0);
      ca = certificates(caBundle).get(0);
      Tls.privateKey(key, "tls.key");
    } catch (GeneralSecurityException | RuntimeException e) {
      return Optional.of("it does not parse (" + e.getMessage() + ")");
    }
    try {
      leaf.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      return Optional.of("the certificate is not signed by the CA in ca.crt");
    }
    Instant deadline = now.plus(RENEW_BEFORE);
    for (X509Certificate c : List.of(leaf, ca)) {
      if (c.getNotAfter().toInstant().isBefore(deadline)) {
        return Optional.of(
            (c == ca ? "the CA" : "the certificate")
                + " expires at "
                + c.getNotAfter().toInstant());
      }
    }
    TreeSet<String> wanted = new TreeSet<>(names);
    TreeSet<String> has = new TreeSet<>();
    try {
      Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
      if (sans != null) {
        sans.forEach(san -> has.add(String.valueOf(san.get(1))));
      }
    } catch (GeneralSecurityException e) {
      return Optional.of("its names do not parse");
    }
    if (!has.equals(wanted)) {
      return Optional.of("it names " + has + ", not " + wanted);
    }
    return Optional.empty();
  }

  /**
   * As a {@code kubernetes.io/tls} Secret holds it: base64 {@code tls.crt}, {@code tls.key}, {@code
   * ca.crt}.
   */
  public Map<String, String> secretData() {
    return Map.of(
        "tls.crt", base64(certificate), "tls.key", base64(key), "ca.crt", base64(caBundle));
  }

  /** The pair in a Secret's data, or empty when a key is missing or not base64. */
  public static Optional<ServingCertificate> fromSecretData(Map<String, String> data) {
    if (data == null || !data.keySet().containsAll(List.of("tls.crt", "tls.key", "ca.crt"))) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new ServingCertificate(
              unbase64(data.get("ca.crt")),
              unbase64(data.get("tls.crt")),
              unbase64(data.get("tls.key"))));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }

  private static String unbase64(String b64) {
    return new String(Base64.getDecoder().decode(b64), StandardCharsets.US_ASCII);
  }

  /** The current CA (the bundle's first), PEM: what a renewal keeps trusting beside its new one. */
  public String currentCa() {
    return firstCertificate(caBundle);
  }

  private static String firstCertificate(String pem) {
    int end = pem.indexOf("-----END CERTIFICATE-----");
    return end < 0 ? "" : pem.substring(0, end + "-----END CERTIFICATE-----".length()) + "\n";
  }

  /** The certificates in a PEM text, in order. */
  public static List<X509Certificate> certificates(String pem) throws GeneralSecurityException {
    List<X509Certificate> out = new ArrayList<>();
    for (var c :
        CertificateFactory.getInstance("X.509")
            .generateCertificates(
                new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
      out.add((X509Certificate) c);
    }
    if (out.isEmpty()) {
      throw new GeneralSecurityException("no certificate");
    }
    return out;
  }

  private static KeyPair keyPair(boolean rsa) throws GeneralSecurityException {
    if (rsa) {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048, new SecureRandom());
      return g.generateKeyPair();
    }
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(127, new SecureRandom());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
      throws OperatorCreationException, GeneralSecurityException {
    String algorithm =
        issuer.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    X509CertificateHolder holder =
        builder.build(new JcaContentSignerBuilder(algorithm).build(issuer.getPrivate()));
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  private static String pem(Object o) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    }
    return out.toString();
  }
}
