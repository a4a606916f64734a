package io.ironlb.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the {@code openssl} command line in a directory; every failure says what openssl said. */
public final class Openssl {
  private Openssl() {}

  /** {@code openssl ARGS...} in {@code dir}; throws with openssl's output when it fails. */
  public static void run(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + ": timed out");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + ": " + out);
    }
  }

  /**
   * A self-signed pair valid for a day, {@code tls.crt} and {@code tls.key} in {@code dir}: what a
   * mounted {@code kubernetes.io/tls} Secret holds.
   *
   * @param subjectAltName e.g. {@code IP:127.0.0.1}
   */
  public static void selfSigned(Path dir, String commonName, String subjectAltName)
      throws IOException, InterruptedException {
    run(
        dir,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "tls.key",
        "-out",
        "tls.crt",
        "-days",
        "1",
        "-subj",
        "/CN=" + commonName,
        "-addext",
        "subjectAltName=" + subjectAltName);
  }
}
