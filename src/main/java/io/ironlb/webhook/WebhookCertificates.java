package io.ironlb.webhook;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the webhook's certificate without cert-manager, as MetalLB's controller does: the pair
 * lives in a {@code kubernetes.io/tls} Secret ({@code tls.crt}, {@code tls.key}, {@code ca.crt}); a
 * missing, unreadable, expiring or misnamed one is replaced by a freshly issued pair ({@link
 * ServingCertificate}); and every webhook of the ValidatingWebhookConfiguration gets the CA bundle
 * as its {@code caBundle}. Several controllers may run this at once: a write that loses a race (409
 * Conflict) takes the winner's pair. Blocking (the Kubernetes client): run it off the actors.
 */
public final class WebhookCertificates {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookCertificates.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String secret;
  private final String configuration;
  private final List<String> names;
  private final Clock clock;

  /**
   * @param secret the Secret's name, in {@code namespace}
   * @param configuration the ValidatingWebhookConfiguration whose caBundles are kept current
   * @param names what the serving certificate names: the webhook Service's DNS names
   */
  public WebhookCertificates(
      KubernetesClient client,
      String namespace,
      String secret,
      String configuration,
      List<String> names,
      Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.secret = secret;
    this.configuration = configuration;
    this.names = List.copyOf(names);
    this.clock = clock;
  }

  /** The webhook Service's DNS names, as the API server calls it. */
  public static List<String> serviceNames(String service, String namespace) {
    return List.of(
        service + "." + namespace + ".svc", service + "." + namespace + ".svc.cluster.local");
  }

  /** Makes the Secret and the caBundles current; returns the pair to serve. */
  public ServingCertificate ensure() {
    ServingCertificate pair = current();
    patchCaBundles(pair);
    return pair;
  }

  private ServingCertificate current() {
    for (int attempt = 0; ; attempt++) {
      Secret found = client.secrets().inNamespace(namespace).withName(secret).get();
      ServingCertificate stored =
          found == null ? null : ServingCertificate.fromSecretData(found.getData()).orElse(null);
      Optional<String> why =
          stored == null
              ? Optional.of(found == null ? "there is none" : "it lacks tls.crt, tls.key or ca.crt")
              : stored.renewalReason(names, clock.instant());
      if (why.isEmpty()) {
        return stored;
      }
      ServingCertificate fresh =
          ServingCertificate.issue(
              names, clock.instant(), stored != null ? keepable(stored) : null);
      LOG.info(
          "webhook certificate: issuing a new one in Secret {}/{}: {}",
          namespace,
          secret,
          why.get());
      try {
        write(found, fresh);
        return fresh;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 3) {
          throw e;
        }
        // Another controller wrote it first: read theirs.
      }
    }
  }

  /** The CA of a pair being replaced, if it is still worth trusting while the switch happens. */
  private String keepable(ServingCertificate stored) {
    try {
      var ca = ServingCertificate.certificates(stored.caBundle()).get(0);
      return ca.getNotAfter().toInstant().isAfter(clock.instant()) ? stored.currentCa() : null;
    } catch (java.security.GeneralSecurityException e) {
      return null;
    }
  }

  private void write(Secret found, ServingCertificate pair) {
    Map<String, String> data = pair.secretData();
    if (found == null) {
      client
          .secrets()
          .inNamespace(namespace)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName(secret)
                  .withNamespace(namespace)
                  .addToLabels("app.kubernetes.io/name", "ironlb")
                  .endMetadata()
                  .withType("kubernetes.io/tls")
                  .withData(data)
                  .build())
          .create();
    } else {
      // Replaced only if nobody changed it since it was read (resourceVersion): else 409.
      Secret updated = new SecretBuilder(found).withData(data).build();
      client.secrets().inNamespace(namespace).resource(updated).update();
    }
  }

  private void patchCaBundles(ServingCertificate pair) {
    String wanted = pair.secretData().get("ca.crt");
    ValidatingWebhookConfiguration vwc =
        client
            .admissionRegistration()
            .v1()
            .validatingWebhookConfigurations()
            .withName(configuration)
            .get();
    if (vwc == null) {
      LOG.warn(
          "webhook certificate: no ValidatingWebhookConfiguration {}: nothing calls the webhook",
          configuration);
      return;
    }
    boolean stale = false;
    for (ValidatingWebhook w : vwc.getWebhooks()) {
      if (!wanted.equals(w.getClientConfig().getCaBundle())) {
        w.getClientConfig().setCaBundle(wanted);
        stale = true;
      }
    }
    if (stale) {
      client.admissionRegistration().v1().validatingWebhookConfigurations().resource(vwc).update();
      LOG.info("webhook certificate: caBundle of {} updated", configuration);
    }
  }
}
