package io.ironlb.webhook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook's server TLS, following its PEM pair on disk: cert-manager renews the certificate
 * Secret, the kubelet swaps the mounted files (a symlink flip of {@code ..data}), and the next
 * connection is served with the new pair — no restart, as MetalLB's controller rotates its webhook
 * certificate in process. A pair that does not load (half written, mismatched) leaves the previous
 * one in force and is logged; it is tried again on the next connection.
 *
 * <p>Each new connection costs two file stats; the API server keeps its connections to a webhook
 * open, so that is rare.
 */
final class RotatingServerTls {
  private static final Logger LOG = LoggerFactory.getLogger(RotatingServerTls.class);

  /** What was loaded, and which files (real paths and modification times) it came from. */
  private record Loaded(SSLContext context, String version) {}

  private final Path certificate;
  private final Path key;
  private volatile Loaded current;
  private volatile String refused;

  /** Loads the pair now: a webhook that cannot serve its first certificate does not start. */
  RotatingServerTls(Path certificate, Path key) throws IOException, GeneralSecurityException {
    this.certificate = certificate;
    this.key = key;
    String version = version();
    this.current = new Loaded(Tls.server(certificate, key), version);
  }

  /** A server-side engine with the newest pair that loads. */
  SSLEngine engine() {
    refresh();
    SSLEngine engine = current.context().createSSLEngine();
    engine.setUseClientMode(false);
    return engine;
  }

  private synchronized void refresh() {
    String version;
    try {
      version = version();
    } catch (IOException e) {
      LOG.warn("webhook certificate: cannot read {}: {}; keeping the loaded one", certificate, e);
      return;
    }
    if (version.equals(current.version()) || version.equals(refused)) {
      return;
    }
    try {
      current = new Loaded(Tls.server(certificate, key), version);
      refused = null;
      LOG.info("webhook certificate reloaded from {}", certificate);
    } catch (IOException | GeneralSecurityException e) {
      refused = version;
      LOG.warn(
          "webhook certificate: {} does not load ({}); keeping the previous one",
          certificate,
          e.toString());
    }
  }

  private String version() throws IOException {
    return stamp(certificate) + "|" + stamp(key);
  }

  private static String stamp(Path file) throws IOException {
    Path real = file.toRealPath();
    return real + "@" + Files.getLastModifiedTime(real).toMillis() + "#" + Files.size(real);
  }
}
