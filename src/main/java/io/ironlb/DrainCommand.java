package io.ironlb;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ironlb drain --http HOST:PORT}: graceful shutdown (RFC 8326) of a running node's BGP
 * sessions, through its status port ({@code POST /v1/drain}, served with {@code --write-routes}).
 */
@Command(
    name = "drain",
    mixinStandardHelpOptions = true,
    description = {
      "Drains a running node's BGP sessions for maintenance (RFC 8326): its paths are re-advertised",
      "with the GRACEFUL_SHUTDOWN community so routers move traffic away, withdrawn after",
      "ironlb.bgp.drain-time, and the sessions closed. The node announces nothing over BGP until",
      "it restarts. Needs the node started with --write-routes."
    })
final class DrainCommand implements Callable<Integer> {

  @Option(
      names = "--http",
      required = true,
      paramLabel = "HOST:PORT",
      description = "The node's status port (its --http).")
  String http;

  @Option(
      names = "--timeout",
      defaultValue = "60s",
      paramLabel = "DURATION",
      description = "How long to wait for the drain to finish (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    NodeBoot.HostPort node = NodeBoot.HostPort.parse(http);
    String host = node.host().contains(":") ? "[" + node.host() + "]" : node.host();
    Duration limit = Duration.parse("PT" + timeout.toUpperCase(java.util.Locale.ROOT));
    HttpResponse<String> reply;
    try {
      reply =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://" + host + ":" + node.port() + "/v1/drain"))
                      .timeout(limit)
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
    } catch (java.net.ConnectException e) {
      spec.commandLine()
          .getErr()
          .println("drain of " + http + " failed: nothing answers there (connection refused)");
      return 1;
    } catch (java.net.http.HttpTimeoutException e) {
      spec.commandLine()
          .getErr()
          .println("drain of " + http + " failed: no answer within " + timeout);
      return 1;
    }
    if (reply.statusCode() == 200) {
      spec.commandLine().getOut().println("drained: " + http);
      return 0;
    }
    String hint =
        reply.statusCode() == 404 || reply.statusCode() == 405
            ? " (is the node started with --write-routes?)"
            : "";
    spec.commandLine()
        .getErr()
        .println("drain of " + http + " failed: HTTP " + reply.statusCode() + hint);
    return 1;
  }
}
