/**
 * The validating admission webhook the controller serves: {@code metallb.io} objects checked
 * against the whole existing configuration before the API server stores them, with MetalLB's rules
 * and reasons ({@link io.ironlb.config.ConfigValidator}). {@link AdmissionReviewer} decides (pure);
 * {@link WebhookServer} serves it over TLS.
 */
package io.ironlb.webhook;
