package io.ironlb.multijvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.ironlb.webhook.ServingCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: in Kubernetes the speakers find each other only through Pekko Discovery's {@code
 * kubernetes-api} method. Here the mock API server serves the pod list over HTTPS (TLS in front of
 * it with a certificate for the address the pods reach it at, as a real API server has), and each
 * speaker runs in a network namespace of its own, a "pod" with its own IP and the deploy's fixed
 * ports, seeing the API server as a pod does: {@code KUBERNETES_SERVICE_HOST}/{@code PORT}, the
 * service account's token, CA and namespace files. Three speakers with no seed list form one
 * cluster (over TLS, with the credentials the first of them put in a Secret); a fourth started
 * later joins it. The pod list is asked for with the token and the deploy's label selector.
 */
class ClusterBootstrapIT {
  private static final String NS = "metallb-system";
  private static final String TOKEN = "eyJ-test-service-account-token";
  private static final String NET = "10.222.77";
  private static final String API = NET + ".250";

  @TempDir Path serviceAccount;
  private Netns net;
  private String lan;
  private KubernetesMockServer server;
  private KubernetesClient client;
  private ServerSocket tls;
  private final ExecutorService relay = Executors.newCachedThreadPool();
  private final List<IronlbProcess> speakers = new ArrayList<>();
  private final List<String> pods = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    speakers.forEach(IronlbProcess::close);
    relay.shutdownNow();
    if (tls != null) {
      tls.close();
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.shutdown();
    }
    if (net != null) {
      net.close();
    }
  }

  @Test
  void speakersWithNoSeedsFormOneClusterThroughTheApiServerAndALaterOneJoins() throws Exception {
    assumeTrue(Netns.available("curl"), "needs root, curl");
    apiServer();
    for (int i = 1; i <= 3; i++) {
      start(i);
    }
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              for (int i = 1; i <= 3; i++) {
                assertThat(upMembers(i)).as("node-%d's view", i).isEqualTo(3);
              }
            });
    start(4);
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              for (int i = 1; i <= 4; i++) {
                assertThat(upMembers(i)).as("node-%d's view", i).isEqualTo(4);
              }
            });
    for (IronlbProcess s : speakers) {
      assertThat(s.stderr()).contains("transport [Artery tls-tcp]");
    }
    RecordedRequest list = podListRequest();
    assertThat(list.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(java.net.URLDecoder.decode(list.getPath(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(
            "/api/v1/namespaces/" + NS + "/pods?labelSelector=app.kubernetes.io/part-of=ironlb");
  }

  /**
   * The segment the "pods" live on, the mock API server, and TLS in front of it at {@code API}, an
   * address of this test's own veth on that segment.
   */
  private void apiServer() throws Exception {
    net = new Netns();
    lan = net.lan();
    String root = net.prefix() + "api";
    net.veth(root, lan, "p-api");
    Netns.must("ip", "-n", lan, "link", "set", "p-api", "master", "br0");
    Netns.must("ip", "addr", "add", API + "/24", "dev", root);
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(List.of()) {
              /**
               * The real API server labels its lists application/json, and Pekko's discovery reads
               * nothing else; the mock's CRUD answers carry no type, so the pod list gets it here.
               */
              @Override
              public MockResponse dispatch(RecordedRequest request) {
                MockResponse response = super.dispatch(request);
                if (request.getPath().startsWith("/api/v1/namespaces/" + NS + "/pods?")) {
                  response.setHeader("Content-Type", "application/json");
                }
                return response;
              }
            },
            false);
    server.start(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    ServingCertificate certificate = ServingCertificate.issue(List.of(API), Instant.now(), null);
    tls = serverContext(certificate).getServerSocketFactory().createServerSocket();
    tls.bind(new InetSocketAddress(API, 0));
    relay.execute(this::acceptLoop);
    // What the kubelet mounts into every pod.
    Files.writeString(serviceAccount.resolve("token"), TOKEN);
    Files.writeString(serviceAccount.resolve("namespace"), NS);
    Files.writeString(serviceAccount.resolve("ca.crt"), certificate.caBundle());
  }

  /** Each TLS connection, relayed in plain to the mock server. */
  private void acceptLoop() {
    while (!tls.isClosed()) {
      try {
        Socket in = tls.accept();
        Socket out = new Socket(InetAddress.getLoopbackAddress(), server.getPort());
        relay.execute(() -> pump(in, out));
        relay.execute(() -> pump(out, in));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    try (InputStream i = from.getInputStream();
        OutputStream o = to.getOutputStream()) {
      i.transferTo(o);
    } catch (IOException e) {
      // the other side closed
    } finally {
      try {
        from.close();
        to.close();
      } catch (IOException e) {
        // closing
      }
    }
  }

  private static SSLContext serverContext(ServingCertificate c) throws Exception {
    String body =
        c.key()
            .replace("-----BEGIN PRIVATE KEY-----", "")
            .replace("-----END PRIVATE KEY-----", "")
            .replaceAll("\\s", "");
    var key =
        KeyFactory.getInstance("EC")
            .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        "api",
        key,
        new char[0],
        ServingCertificate.certificates(c.certificate()).toArray(Certificate[]::new));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, new char[0]);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  /**
   * Speaker node-N in namespace {@code kN} at {@code NET.N}, on the deploy's ports, then its pod in
   * the API server as the kubelet reports a running one: its IP and its status port named http.
   */
  private void start(int n) throws Exception {
    String ns = net.host(lan, "k" + n, n, NET, "fd00:222:77");
    String ip = NET + "." + n;
    String master = "https://" + API + ":" + tls.getLocalPort();
    List<String> jvm = new ArrayList<>(IronlbProcess.PATIENT_DETECTOR);
    jvm.add("-Dkubernetes.master=" + master);
    jvm.add("-Dkubernetes.trust.certificates=true");
    jvm.add("-Dkubernetes.auth.tryKubeConfig=false");
    jvm.add("-Dkubernetes.auth.tryServiceAccount=false");
    jvm.add("-Dpekko.discovery.kubernetes-api.api-token-path=" + serviceAccount.resolve("token"));
    jvm.add("-Dpekko.discovery.kubernetes-api.api-ca-path=" + serviceAccount.resolve("ca.crt"));
    jvm.add(
        "-Dpekko.discovery.kubernetes-api.pod-namespace-path="
            + serviceAccount.resolve("namespace"));
    IronlbProcess speaker =
        IronlbProcess.startIn(
            ns,
            "node-" + n,
            jvm,
            List.of(
                "speaker",
                "--node=node-" + n,
                "--namespace=" + NS,
                // As deploy/k8s starts it: --cluster from POD_IP, --http its default 0.0.0.0:7473.
                "--cluster=" + ip + ":7355",
                "--interfaces=none"),
            Map.of(
                "KUBERNETES_SERVICE_HOST",
                API,
                "KUBERNETES_SERVICE_PORT",
                String.valueOf(tls.getLocalPort())));
    speakers.add(speaker);
    pods.add(ns);
    speaker.awaitPorts(Duration.ofSeconds(90));
    client
        .pods()
        .inNamespace(NS)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("ironlb-speaker-" + n)
                .addToLabels("app.kubernetes.io/part-of", "ironlb")
                .addToLabels("app.kubernetes.io/component", "speaker")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("speaker")
                .addNewPort()
                .withName("cluster")
                .withContainerPort(7355)
                .endPort()
                .addNewPort()
                .withName("http")
                .withContainerPort(7473)
                .endPort()
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .withPodIP(ip)
                .endStatus()
                .build())
        .create();
  }

  /** Members Up in node N's view (its status port's /cluster/members, asked from its pod). */
  private int upMembers(int n) {
    String body =
        net.in(
                pods.get(n - 1),
                "curl",
                "-sf",
                "--max-time",
                "5",
                "http://" + NET + "." + n + ":7473/cluster/members")
            .output();
    int up = 0;
    for (int at = body.indexOf("\"Up\""); at >= 0; at = body.indexOf("\"Up\"", at + 1)) {
      up++;
    }
    return up;
  }

  /** The first request the API server got for the pod list. */
  private RecordedRequest podListRequest() throws InterruptedException {
    for (RecordedRequest r = server.takeRequest(1, TimeUnit.SECONDS);
        r != null;
        r = server.takeRequest(1, TimeUnit.SECONDS)) {
      if (r.getPath().startsWith("/api/v1/namespaces/" + NS + "/pods?labelSelector=")) {
        return r;
      }
    }
    throw new AssertionError("the pod list was never asked for");
  }
}
