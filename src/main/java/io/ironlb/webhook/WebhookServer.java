package io.ironlb.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.ironlb.config.ClusterResources;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Serves {@link AdmissionReviewer} over HTTPS: every POST (MetalLB's paths are {@code
 * /validate-metallb-io-VERSION-KIND}) is an AdmissionReview, answered against the configuration
 * stored in the API server at that moment, read on {@code blocking} (the Kubernetes client blocks).
 */
public final class WebhookServer extends AllDirectives {
  private final Supplier<ClusterResources> existing;
  private final String namespace;
  private final Executor blocking;

  private WebhookServer(Supplier<ClusterResources> existing, String namespace, Executor blocking) {
    this.existing = existing;
    this.namespace = namespace;
    this.blocking = blocking;
  }

  /**
   * Binds {@code host:port} with the certificate pair in {@code certDir} ({@code tls.crt}, {@code
   * tls.key}), re-read when the files change ({@link RotatingServerTls}).
   */
  public static CompletionStage<ServerBinding> start(
      ActorSystem<?> system,
      String host,
      int port,
      Path certDir,
      Supplier<ClusterResources> existing,
      String namespace,
      Executor blocking)
      throws IOException, GeneralSecurityException {
    var tls = new RotatingServerTls(certDir.resolve("tls.crt"), certDir.resolve("tls.key"));
    return start(system, host, port, tls::engine, existing, namespace, blocking);
  }

  /** Binds {@code host:port}, each connection's TLS from {@code engines}. */
  static CompletionStage<ServerBinding> start(
      ActorSystem<?> system,
      String host,
      int port,
      Supplier<SSLEngine> engines,
      Supplier<ClusterResources> existing,
      String namespace,
      Executor blocking) {
    return Http.get(system)
        .newServerAt(host, port)
        .enableHttps(ConnectionContext.httpsServer(engines::get))
        .bind(new WebhookServer(existing, namespace, blocking).route());
  }

  Route route() {
    return post(
        () ->
            entity(
                Jackson.unmarshaller(JsonNode.class),
                review ->
                    completeOKWithFuture(
                        CompletableFuture.supplyAsync(
                            () -> AdmissionReviewer.review(review, existing.get(), namespace),
                            blocking),
                        Jackson.marshaller())));
  }
}
