package io.ironlb.webhook;

import io.ironlb.config.ClusterResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the webhook as soon as it has a certificate, whenever that is. With a configuration whose
 * {@code failurePolicy} is Fail, a webhook that never starts blocks every {@code metallb.io} write,
 * so a controller that came up before its certificate keeps trying instead of giving up: it binds
 * the port at the first certificate, and from then on serves the newest one.
 */
public final class WebhookLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookLauncher.class);

  /** Where and against what the webhook serves. */
  public record Server(
      ActorSystem<?> system,
      String host,
      int port,
      Supplier<ClusterResources> existing,
      String namespace,
      Executor blocking) {}

  private WebhookLauncher() {}

  /**
   * IronLB keeps the certificate ({@link WebhookCertificates}): checked at once, then every {@code
   * recheck}, and every {@code retry} while the API server refuses; the server binds after the
   * first success and each later pair is served from the next connection on.
   *
   * @return completes when the server is bound
   */
  public static CompletionStage<ServerBinding> selfManaged(
      Server server,
      WebhookCertificates certificates,
      ScheduledExecutorService timer,
      Duration recheck,
      Duration retry) {
    CompletableFuture<ServerBinding> bound = new CompletableFuture<>();
    CurrentTls tls = new CurrentTls();
    Runnable[] check = new Runnable[1];
    check[0] =
        () -> {
          Duration next = recheck;
          try {
            tls.use(certificates.ensure());
            if (!tls.bindRequested) {
              tls.bindRequested = true;
              bind(server, tls::engine, bound);
            }
          } catch (RuntimeException | GeneralSecurityException e) {
            LOG.warn("webhook certificate: {}; trying again in {}", e.toString(), retry);
            next = retry;
          }
          timer.schedule(check[0], next.toMillis(), TimeUnit.MILLISECONDS);
        };
    timer.execute(check[0]);
    return bound;
  }

  /**
   * The certificate is mounted from a Secret someone else keeps (cert-manager): the server binds
   * once {@code tls.crt} and {@code tls.key} are in {@code dir} (the kubelet fills an optional
   * Secret's volume when the Secret appears), looking every {@code retry}.
   */
  public static CompletionStage<ServerBinding> fromDirectory(
      Server server, Path dir, ScheduledExecutorService timer, Duration retry) {
    CompletableFuture<ServerBinding> bound = new CompletableFuture<>();
    Runnable[] look = new Runnable[1];
    boolean[] waiting = {false};
    look[0] =
        () -> {
          if (Files.isRegularFile(dir.resolve("tls.crt"))
              && Files.isRegularFile(dir.resolve("tls.key"))) {
            try {
              RotatingServerTls tls =
                  new RotatingServerTls(dir.resolve("tls.crt"), dir.resolve("tls.key"));
              bind(server, tls::engine, bound);
              return;
            } catch (java.io.IOException | GeneralSecurityException e) {
              LOG.warn("webhook certificate in {} does not load: {}", dir, e.toString());
            }
          } else if (!waiting[0]) {
            LOG.info("webhook: waiting for a certificate pair in {}", dir);
            waiting[0] = true;
          }
          timer.schedule(look[0], retry.toMillis(), TimeUnit.MILLISECONDS);
        };
    timer.execute(look[0]);
    return bound;
  }

  private static void bind(
      Server s, Supplier<SSLEngine> engines, CompletableFuture<ServerBinding> bound) {
    WebhookServer.start(
            s.system(), s.host(), s.port(), engines, s.existing(), s.namespace(), s.blocking())
        .whenComplete(
            (binding, failure) -> {
              if (failure != null) {
                LOG.error("validating webhook did not start: {}", failure.toString());
                bound.completeExceptionally(failure);
              } else {
                LOG.info("validating webhook on https://{}", binding.localAddress());
                bound.complete(binding);
              }
            });
  }

  /** The newest pair {@link WebhookCertificates} handed over, for each new connection. */
  private static final class CurrentTls {
    private volatile SSLContext context;
    private volatile ServingCertificate pair;
    private boolean bindRequested;

    void use(ServingCertificate p) throws GeneralSecurityException {
      if (!p.equals(pair)) {
        context = Tls.server(p.certificate(), p.key());
        pair = p;
      }
    }

    SSLEngine engine() {
      SSLEngine engine = context.createSSLEngine();
      engine.setUseClientMode(false);
      return engine;
    }
  }
}
