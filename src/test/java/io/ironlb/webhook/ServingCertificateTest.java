package io.ironlb.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The webhook's self-issued certificate: what it names, who signed it, when it is renewed. */
class ServingCertificateTest {
  private static final List<String> NAMES =
      List.of(
          "ironlb-webhook.metallb-system.svc", "ironlb-webhook.metallb-system.svc.cluster.local");
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private static final ServingCertificate ISSUED = ServingCertificate.issue(NAMES, NOW, null);

  @Test
  void aServingCertificateForTheServiceSignedByItsOwnCa() throws Exception {
    X509Certificate leaf = ServingCertificate.certificates(ISSUED.certificate()).get(0);
    X509Certificate ca = ServingCertificate.certificates(ISSUED.caBundle()).get(0);
    leaf.verify(ca.getPublicKey());
    assertThat(ca.getBasicConstraints()).as("a CA").isGreaterThanOrEqualTo(0);
    assertThat(leaf.getBasicConstraints()).as("not a CA").isEqualTo(-1);
    assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1"); // serverAuth
    assertThat(leaf.getSubjectAlternativeNames().stream().map(san -> (Object) san.get(1)))
        .containsExactlyInAnyOrderElementsOf(List.copyOf(NAMES));
    assertThat(leaf.getNotAfter().toInstant()).isEqualTo(NOW.plus(ServingCertificate.VALIDITY));
    // It loads as a server context (EC key, PKCS#8), as the webhook serves it.
    assertThat(Tls.server(ISSUED.certificate(), ISSUED.key())).isNotNull();
  }

  @Test
  void anIpAddressIsNamedAsOne() throws Exception {
    ServingCertificate c = ServingCertificate.issue(List.of("127.0.0.1"), NOW, null);
    List<Object> san =
        List.copyOf(
            ServingCertificate.certificates(c.certificate())
                .get(0)
                .getSubjectAlternativeNames()
                .iterator()
                .next());
    assertThat(san).containsExactly(7, "127.0.0.1"); // GeneralName iPAddress
  }

  /** days after issuing, what the certificate must name → why it is renewed ("-": it is not). */
  @ParameterizedTest(name = "{0} days on, for {1} → {2}")
  @CsvSource(
      nullValues = "-",
      delimiter = '|',
      textBlock =
          """
          0   | the Service             | -
          334 | the Service             | -
          336 | the Service             | the certificate expires at 2027-11-29T12:00:00Z
          0   | another Service         | it names
          """)
  void renewal(int days, String names, String reason) {
    List<String> wanted = names.equals("the Service") ? NAMES : List.of("other.metallb-system.svc");
    var why = ISSUED.renewalReason(wanted, NOW.plus(Duration.ofDays(days)));
    if (reason == null) {
      assertThat(why).isEmpty();
    } else {
      assertThat(why).hasValueSatisfying(w -> assertThat(w).startsWith(reason));
    }
  }

  @Test
  void aPairThatDoesNotHoldTogetherIsRenewed() {
    ServingCertificate other = ServingCertificate.issue(NAMES, NOW, null);
    assertThat(
            new ServingCertificate(other.caBundle(), ISSUED.certificate(), ISSUED.key())
                .renewalReason(NAMES, NOW))
        .hasValue("the certificate is not signed by the CA in ca.crt");
    assertThat(
            new ServingCertificate("garbage", ISSUED.certificate(), ISSUED.key())
                .renewalReason(NAMES, NOW))
        .hasValueSatisfying(w -> assertThat(w).startsWith("it does not parse"));
    assertThat(
            new ServingCertificate(ISSUED.caBundle(), ISSUED.certificate(), "no key")
                .renewalReason(NAMES, NOW))
        .hasValueSatisfying(w -> assertThat(w).startsWith("it does not parse"));
  }

  @Test
  void aRenewalKeepsTrustingThePreviousCa() throws Exception {
    ServingCertificate renewed = ServingCertificate.issue(NAMES, NOW, ISSUED.currentCa());
    List<X509Certificate> bundle = ServingCertificate.certificates(renewed.caBundle());
    assertThat(bundle).hasSize(2);
    assertThat(bundle.get(1)).isEqualTo(ServingCertificate.certificates(ISSUED.caBundle()).get(0));
    // The next renewal keeps only the one before it: the bundle never grows past two.
    ServingCertificate again = ServingCertificate.issue(NAMES, NOW, renewed.currentCa());
    assertThat(ServingCertificate.certificates(again.caBundle())).hasSize(2);
    assertThat(renewed.renewalReason(NAMES, NOW)).isEmpty();
  }
}
