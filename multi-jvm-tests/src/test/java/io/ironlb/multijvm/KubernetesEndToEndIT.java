package io.ironlb.multijvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.ironlb.config.ObjectKind;
import io.ironlb.source.MockApi;
import io.ironlb.source.kubernetes.KubernetesSource;
import io.ironlb.testkit.AdmissionClient;
import io.ironlb.testkit.Openssl;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kubernetes install end to end, with the API server played by fabric8's mock server (CRUD): an
 * {@code ironlb controller} and an {@code ironlb speaker} process, started as the manifests start
 * them, read the objects of {@code examples/} applied as YAML, and the test checks what an operator
 * would look at — Service statuses, events, ServiceL2Status, IPAddressPool status and the
 * ConfigurationStates — plus a real ARP client on a veth the speaker answers on, the validating
 * webhook refusing an invalid object with MetalLB's reason, the metrics, and an invalid object that
 * reaches the API anyway (webhook bypassed) being reported while nothing assigned is lost; the two
 * form their cluster over TLS with credentials they created themselves in a Secret.
 *
 * <p>The speaker runs in the test's own namespace (the mock API server listens on loopback) and
 * answers on one end of a veth this test creates; the ARP client sits in a namespace at the other
 * end. {@code examples/bgp.yaml} is left out: its router is not on this machine, and a session from
 * the test's namespace would send SYNs out of it.
 */
// Plain HTTP: the processes would not trust the mock server's certificate.
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesEndToEndIT {
  private static final String NS = "metallb-system";
  private static final String NODE = "node-a";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  KubernetesClient client;

  @TempDir Path certs;

  private Netns net;
  private final List<IronlbProcess> processes = new ArrayList<>();

  @RegisterExtension
  final AfterTestExecutionCallback logsOnFailure = IronlbProcess.logsOnFailure(() -> processes);

  @AfterEach
  void tearDown() {
    processes.forEach(IronlbProcess::close);
    if (net != null) {
      net.close();
    }
  }

  @Test
  void examplesAppliedToTheApiBecomeStatusesEventsAnswersAndMetrics() throws Exception {
    assumeTrue(Netns.available("arping", "openssl"), "needs root, arping, openssl");
    // The cluster side of the install: a node, the examples, and endpoints on the node (in a real
    // cluster the kubelet and the EndpointSlice controller make those).
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(NODE)
                .withLabels(Map.of("kubernetes.io/hostname", NODE))
                .endMetadata()
                .build())
        .create();
    Path examples = Path.of(System.getProperty("ironlb.basedir", "."), "examples");
    for (String file : List.of("pools.yaml", "l2.yaml", "services.yaml", "plan-reasons.yaml")) {
      MockApi.apply(client, Files.readString(examples.resolve(file)));
    }
    MockApi.readyEndpoint(client, "default", "echo", NODE);
    MockApi.readyEndpoint(client, "web", "nginx", NODE);

    // The speaker's link: one veth end in this namespace, the client at the other.
    net = new Netns();
    String clientNs = net.namespace("client");
    String link = net.prefix() + "n1";
    net.veth(link, clientNs, "eth0");
    net.mustIn(clientNs, "ip", "addr", "add", "10.222.10.250/24", "dev", "eth0");
    String speakerMac = Files.readString(Path.of("/sys/class/net", link, "address")).trim();

    Openssl.selfSigned(certs, "ironlb-webhook", "IP:127.0.0.1");
    // Every port is bound as 0 and read back from the process's own report.
    IronlbProcess controller =
        IronlbProcess.startIn(
            null,
            "controller",
            jvmOptions(),
            List.of(
                "controller",
                "--namespace=" + NS,
                "--cluster=127.0.0.1:0",
                "--seed=127.0.0.1:0",
                "--http=127.0.0.1:0",
                "--webhook=127.0.0.1:0",
                "--webhook-cert-secret=",
                "--webhook-cert-dir=" + certs));
    processes.add(controller);
    IronlbProcess.Ports controllerPorts = controller.awaitPorts(Duration.ofSeconds(60));
    int controllerHttp = controllerPorts.http();
    String seed = "127.0.0.1:" + controllerPorts.cluster();
    IronlbProcess speaker =
        IronlbProcess.startIn(
            null,
            "speaker",
            jvmOptions(),
            List.of(
                "speaker",
                "--node=" + NODE,
                "--namespace=" + NS,
                "--cluster=127.0.0.1:0",
                "--seed=" + seed,
                "--http=127.0.0.1:0",
                "--interfaces=" + link));
    processes.add(speaker);
    int speakerHttp = speaker.awaitPorts(Duration.ofSeconds(60)).http();
    int webhookPort = webhookPort(controller);

    // Service statuses: the controller assigns what each Service asks for, and nothing to those
    // plan-reasons.yaml says cannot have an address.
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              assertThat(MockApi.ingress(client, "default", "echo")).containsExactly("10.222.10.7");
              // expensive avoids buggy IPs: 10.222.20.0 is skipped.
              assertThat(MockApi.ingress(client, "web", "nginx")).containsExactly("10.222.20.1");
              assertThat(MockApi.ingress(client, "default", "first"))
                  .containsExactly("10.222.40.1");
            });
    for (String unassigned : List.of("second", "v6-only", "squatter", "typo")) {
      assertThat(MockApi.ingress(client, "default", unassigned)).as(unassigned).isEmpty();
    }

    // Events: MetalLB's reasons and wording, from the controller and the speaker.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(MockApi.events(client, "default", "echo"))
                  .contains(
                      "Normal IPAllocated Assigned IP [\"10.222.10.7\"]",
                      "Normal nodeAssigned announcing from node \"node-a\" with protocol"
                          + " \"layer2\"");
              assertThat(MockApi.events(client, "default", "second"))
                  .anyMatch(
                      e ->
                          e.startsWith(
                              "Warning AllocationFailed Failed to allocate IP for"
                                  + " \"default/second\": "));
              assertThat(MockApi.events(client, "default", "typo"))
                  .anyMatch(
                      e -> e.startsWith("Warning AllocationFailed") && e.contains("expensiv"));
            });

    // ServiceL2Status: the speaker announces echo on the interface it serves, and nginx where the
    // premium advertisement says (eth0, which this speaker does not serve: so no answer for it).
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(MockApi.statuses(client, NS, ObjectKind.SERVICE_L2_STATUS))
                    .containsExactlyInAnyOrder(
                        Map.of(
                            "node",
                            NODE,
                            "serviceName",
                            "echo",
                            "serviceNamespace",
                            "default",
                            "interfaces",
                            List.of(Map.of("name", link))),
                        Map.of(
                            "node",
                            NODE,
                            "serviceName",
                            "nginx",
                            "serviceNamespace",
                            "web",
                            "interfaces",
                            List.of(Map.of("name", "eth0")))));
    assertThat(Layer2Lab.arpingMacs(net, clientNs, "10.222.10.7", 2))
        .containsExactly(speakerMac.toUpperCase(), speakerMac.toUpperCase());
    assertThat(Layer2Lab.arpingMacs(net, clientNs, "10.222.20.1", 1)).isEmpty();

    // The cluster they formed runs over TLS by default, with credentials the first of them put
    // in Secret ironlb-cluster-tls (no manual step).
    assertThat(client.secrets().inNamespace(NS).withName("ironlb-cluster-tls").get().getData())
        .containsOnlyKeys("ca.crt", "tls.crt", "tls.key");
    assertThat(controller.stderr()).contains("transport [Artery tls-tcp]");
    assertThat(speaker.stderr()).contains("transport [Artery tls-tcp]");

    // IPAddressPool status and both components' ConfigurationState.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(MockApi.poolStatus(client, NS, "first-pool"))
                  .isEqualTo(
                      Map.of(
                          "assignedIPv4", 1,
                          "assignedIPv6", 0,
                          "availableIPv4", 256 + 41 - 1,
                          "availableIPv6", 16));
              assertThat(MockApi.poolStatus(client, NS, "tiny"))
                  .containsEntry("assignedIPv4", 1)
                  .containsEntry("availableIPv4", 0);
              assertThat(configurationStates())
                  .containsEntry("controller", "Valid")
                  .containsEntry("speaker-" + NODE, "Valid");
            });

    // Metrics, with MetalLB's names and labels, from both processes.
    String controllerMetrics = get(controllerHttp, "/metrics");
    assertThat(controllerMetrics)
        .contains("metallb_allocator_addresses_total{pool=\"first-pool\"} 313.0\n")
        .contains("metallb_allocator_ipv4_addresses_total{pool=\"first-pool\"} 297.0\n")
        .contains("metallb_allocator_ipv6_addresses_total{pool=\"first-pool\"} 16.0\n")
        .contains("metallb_allocator_addresses_in_use_total{pool=\"first-pool\"} 1.0\n")
        .contains("metallb_allocator_ipv4_addresses_in_use_total{pool=\"first-pool\"} 1.0\n")
        .contains("metallb_allocator_ipv6_addresses_in_use_total{pool=\"first-pool\"} 0.0\n")
        .contains("metallb_allocator_services_allocated_total{pool=\"tiny\"} 1.0\n")
        .contains("metallb_k8s_client_config_loaded_bool 1.0\n")
        .contains("metallb_k8s_client_config_stale_bool 0.0\n")
        .contains("metallb_k8s_client_update_errors_total 0.0\n")
        .containsPattern("metallb_k8s_client_updates_total [1-9]")
        .contains("ironlb_cluster_members{status=\"Up\"} 2.0\n");
    String speakerMetrics = get(speakerHttp, "/metrics");
    assertThat(speakerMetrics)
        .contains(
            "metallb_speaker_announced{ip=\"10.222.10.7\",node=\"node-a\",protocol=\"layer2\","
                + "service=\"default/echo\"} 1")
        .containsPattern("metallb_layer2_requests_received\\{ip=\"10\\.222\\.10\\.7\"} [1-9]")
        .containsPattern("metallb_layer2_responses_sent\\{ip=\"10\\.222\\.10\\.7\"} [1-9]")
        .containsPattern("metallb_layer2_gratuitous_sent\\{ip=\"10\\.222\\.10\\.7\"} [1-9]")
        .contains("metallb_k8s_client_config_stale_bool 0.0\n")
        .contains("ironlb_layer2_fenced 0.0\n")
        .contains("ironlb_layer2_failovers_total 0.0\n")
        .contains("ironlb_layer2_last_failover_seconds 0.0\n")
        .contains("ironlb_cluster_unreachable_members 0.0\n");

    // The webhook refuses a pool that overlaps first-pool, with MetalLB's reason, and admits one
    // that fits: the API server's call, made directly.
    AdmissionClient webhook =
        new AdmissionClient("https://127.0.0.1:" + webhookPort, certs.resolve("tls.crt"));
    JsonNode denied =
        webhook.post(
            "/validate-metallb-io-v1beta1-ipaddresspool",
            AdmissionClient.review(
                "CREATE",
                "IPAddressPool",
                "overlap",
                "object",
                pool("overlap", "10.222.10.128/25")));
    assertThat(denied.path("response").path("allowed").asBoolean()).isFalse();
    assertThat(denied.path("response").path("status").path("message").asText())
        .isEqualTo(
            "IPAddressPool metallb-system/overlap: spec.addresses[0]: CIDR \"10.222.10.128/25\""
                + " overlaps with \"10.222.10.0/24\" in IPAddressPool metallb-system/first-pool");
    JsonNode admitted =
        webhook.post(
            "/validate-metallb-io-v1beta1-ipaddresspool",
            AdmissionClient.review(
                "CREATE", "IPAddressPool", "more", "object", pool("more", "10.222.50.0/28")));
    assertThat(admitted.path("response").path("allowed").asBoolean()).isTrue();

    // Stored anyway (a webhook bypassed or down): both components report the configuration
    // Invalid with the reason, keep the last valid one, and nothing assigned moves.
    MockApi.apply(client, pool("overlap", "10.222.10.128/25"));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(configurationStates())
                  .containsEntry("controller", "Invalid")
                  .containsEntry("speaker-" + NODE, "Invalid");
              assertThat(errorSummary("controller")).contains("overlaps with \"10.222.10.0/24\"");
              assertThat(get(controllerHttp, "/metrics"))
                  .contains("metallb_k8s_client_config_stale_bool 1.0\n");
            });
    assertThat(MockApi.ingress(client, "default", "echo")).containsExactly("10.222.10.7");
    assertThat(Layer2Lab.arpingMacs(net, clientNs, "10.222.10.7", 1))
        .containsExactly(speakerMac.toUpperCase());
  }

  /** Where the processes find the (mock) API server, and nothing else to authenticate with. */
  private List<String> jvmOptions() {
    List<String> options = new ArrayList<>(IronlbProcess.PATIENT_DETECTOR);
    options.add("-Dkubernetes.master=" + client.getConfiguration().getMasterUrl());
    options.add("-Dkubernetes.auth.tryKubeConfig=false");
    options.add("-Dkubernetes.auth.tryServiceAccount=false");
    return options;
  }

  private static String pool(String name, String cidr) {
    return """
        {"apiVersion":"metallb.io/v1beta1","kind":"IPAddressPool",\
        "metadata":{"name":"%s","namespace":"metallb-system"},"spec":{"addresses":["%s"]}}"""
        .formatted(name, cidr);
  }

  /** The webhook's port, from the controller's own report of what it bound. */
  private static int webhookPort(IronlbProcess controller) throws Exception {
    java.util.regex.Pattern p =
        java.util.regex.Pattern.compile("validating webhook on https://\\S*:(\\d+)");
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              java.util.regex.Matcher m = p.matcher(controller.stderr());
              return m.find() ? Integer.parseInt(m.group(1)) : null;
            },
            java.util.Objects::nonNull);
  }

  private static String get(int port, String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return r.body();
  }

  /** Each ConfigurationState's name and result. */
  private Map<String, String> configurationStates() {
    Map<String, String> out = new java.util.TreeMap<>();
    for (GenericKubernetesResource r : configurationStateObjects()) {
      Object status = r.getAdditionalProperties().get("status");
      if (status instanceof Map<?, ?> m && m.get("result") != null) {
        out.put(r.getMetadata().getName(), m.get("result").toString());
      }
    }
    return out;
  }

  private String errorSummary(String name) {
    return configurationStateObjects().stream()
        .filter(r -> r.getMetadata().getName().equals(name))
        .map(
            r ->
                String.valueOf(
                    ((Map<?, ?>) r.getAdditionalProperties().get("status")).get("errorSummary")))
        .findFirst()
        .orElse("");
  }

  private List<GenericKubernetesResource> configurationStateObjects() {
    return client
        .genericKubernetesResources(KubernetesSource.context(ObjectKind.CONFIGURATION_STATE))
        .inNamespace(NS)
        .list()
        .getItems();
  }
}
