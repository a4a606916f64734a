package io.ironlb.multijvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code ironlb standalone} JVMs on loopback, control plane only ({@code --interfaces none}):
 * they form a cluster, agree on every address's owner, and after a SIGKILL of an owner the
 * survivors agree on a new one. (Answering on real links is the namespace tests' job.)
 */
class StandaloneClusterIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<IronlbProcess> nodes = new ArrayList<>();
  private int[] http = {};

  @AfterEach
  void stop() {
    nodes.forEach(IronlbProcess::close);
  }

  @RegisterExtension
  final AfterTestExecutionCallback logsOnFailure =
      ctx -> {
        if (ctx.getExecutionException().isPresent()) {
          for (int port : http) {
            System.out.println("---- :" + port + " /v1/services " + get(port, "/v1/services"));
            System.out.println("---- :" + port + " /v1/l2 " + get(port, "/v1/l2"));
            System.out.println(
                "---- :" + port + " /cluster/members " + get(port, "/cluster/members"));
          }
          for (IronlbProcess n : nodes) {
            List<String> lines = n.stderr().lines().toList();
            System.out.println("---- pid " + n.pid());
            lines
                .subList(Math.max(0, lines.size() - 40), lines.size())
                .forEach(System.out::println);
          }
        }
      };

  @Test
  void ownersAgreeAndMoveWhenTheOwnerIsKilled(@TempDir Path config) throws Exception {
    Files.writeString(
        config.resolve("config.yaml"),
        """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: lab, namespace: metallb-system}
        spec: {addresses: [10.222.60.10-10.222.60.20]}
        ---
        apiVersion: metallb.io/v1beta1
        kind: L2Advertisement
        metadata: {name: lab, namespace: metallb-system}
        """
            + services(6));
    // Every node binds port 0 and reports what it got; the first seeds itself.
    int[] cluster = new int[3];
    http = new int[3];
    String seed = "127.0.0.1:0";
    for (int i = 0; i < 3; i++) {
      IronlbProcess node =
          IronlbProcess.startIn(
              null,
              "node-" + i,
              IronlbProcess.PATIENT_DETECTOR,
              List.of(
                  "standalone",
                  "--config",
                  config.toString(),
                  "--node",
                  "node-" + i,
                  "--cluster",
                  "127.0.0.1:0",
                  "--seed",
                  seed,
                  "--http",
                  "127.0.0.1:0",
                  "--interfaces",
                  "none"));
      nodes.add(node);
      IronlbProcess.Ports ports = node.awaitPorts(Duration.ofSeconds(60));
      cluster[i] = ports.cluster();
      http[i] = ports.http();
      seed = "127.0.0.1:" + cluster[0];
    }
    Map<String, String> owners =
        await()
            .atMost(Duration.ofSeconds(150))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    List.of(http[0], http[1], http[2]).stream()
                            .allMatch(
                                p -> String.valueOf(get(p, "/v1/l2")).contains("\"moving\":[]"))
                        ? agreedOwners(List.of(http[0], http[1], http[2]))
                        : null,
                o -> o != null && o.size() == 6);
    // With no planned move under way, each address is on MetalLB's choice of node.

    // The status port is read-only: nobody who can reach it can down a member.
    HttpResponse<String> down =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + http[1]
                            + "/cluster/members/pekko://ironlb@127.0.0.1:"
                            + cluster[1]))
                .timeout(Duration.ofSeconds(5))
                .method("PUT", HttpRequest.BodyPublishers.ofString("operation=Down"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(down.statusCode())
        .as("PUT /cluster/members/... answered %s", down.body())
        .isGreaterThanOrEqualTo(400);

    int victim = Integer.parseInt(owners.get("default/svc-0").substring("node-".length()));
    nodes.get(victim).kill();
    List<Integer> survivors = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      if (i != victim) {
        survivors.add(http[i]);
      }
    }
    Map<String, String> after =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> agreedOwners(survivors),
                o -> o != null && o.size() == 6 && !o.containsValue("node-" + victim));
    owners.forEach(
        (svc, owner) -> {
          if (!owner.equals("node-" + victim)) {
            assertThat(after.get(svc)).as("%s stays with its owner", svc).isEqualTo(owner);
          }
        });
  }

  /** Each Service's owner when every node reports the same one, else null. */
  private static Map<String, String> agreedOwners(List<Integer> ports) {
    return OwnerViews.agreed(ports.stream().map(p -> (Supplier<String>) () -> get(p)).toList());
  }

  private static String get(int port) {
    return get(port, "/v1/services");
  }

  private static String get(int port, String path) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static String services(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append("---\napiVersion: v1\nkind: Service\nmetadata: {name: svc-")
          .append(i)
          .append(", namespace: default}\nspec: {type: LoadBalancer, ports: [{port: 80}]}\n");
    }
    return sb.toString();
  }
}
