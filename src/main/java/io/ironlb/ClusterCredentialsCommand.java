package io.ironlb;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ironlb cluster-credentials DIR}: new cluster TLS credentials for standalone nodes (in
 * Kubernetes the first component creates them in a Secret by itself).
 */
@Command(
    name = "cluster-credentials",
    mixinStandardHelpOptions = true,
    description = {
      "Writes new cluster TLS credentials into DIR: ca.crt, tls.crt and tls.key (RSA, valid ten",
      "years). Copy the directory to every standalone node and start them with",
      "IRONLB_CLUSTER_TLS_DIR=DIR: only nodes holding these credentials can join each other."
    })
final class ClusterCredentialsCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DIR", description = "Directory to write into.")
  Path dir;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ClusterCredentials.write(ClusterCredentials.issue(Instant.now()), dir);
    spec.commandLine().getOut().println("wrote " + dir.resolve("ca.crt") + ", tls.crt, tls.key");
    return 0;
  }
}
