package io.ironlb.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.ironlb.Main;
import io.ironlb.config.ObjectKind;
import io.ironlb.ipam.AllocatorActor;
import io.ironlb.source.ClusterFixture;
import io.ironlb.source.MockApi;
import io.ironlb.source.kubernetes.KubernetesSource;
import io.ironlb.source.kubernetes.KubernetesStatusWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * docs/migrate-from-metallb.md's commands, replayed in order against the mock API server where
 * MetalLB is installed from its manifests: its workloads, webhook configuration and Secrets, its
 * objects and the Services it assigned as {@code kubectl get -o yaml} exports them. Every command
 * is taken from the page's shell block and must do what it says; afterwards MetalLB's workloads are
 * gone, every metallb.io object is still there (same uid), and IronLB's controller keeps every
 * Service's address.
 */
@EnableKubernetesMockClient(crud = true)
class MigrationFromMetalLbTest {
  private static final String NS = "metallb-system";
  private static final Path DOC = Path.of("docs", "migrate-from-metallb.md");
  KubernetesClient client;
  private ActorSystem<Void> controller;
  private final ExecutorService writers = Executors.newFixedThreadPool(2);

  @AfterEach
  void stop() {
    if (controller != null) {
      ActorTestKit.shutdown(controller);
    }
    writers.shutdownNow();
  }

  @Test
  void theDocumentedStepsKeepEveryObjectAndEveryAddress(@TempDir Path work) throws Exception {
    installMetalLb();
    Map<String, String> uids = metallbUids();
    Map<String, List<String>> addresses = addresses();
    assertThat(uids).hasSize(7);
    assertThat(addresses)
        .isEqualTo(
            Map.of(
                "default/shop", List.of("10.222.10.17"),
                "web/api", List.of("10.222.10.42"),
                "web/edge", List.of("10.222.75.9")));

    List<String> commands = commands();
    assertThat(commands).as("the page's commands").hasSize(5);
    for (String command : commands) {
      run(command, work);
    }

    // MetalLB's workloads and webhook are gone; its objects are all still there, unchanged.
    assertThat(client.apps().deployments().inNamespace(NS).withName("controller").get()).isNull();
    assertThat(client.apps().daemonSets().inNamespace(NS).withName("speaker").get()).isNull();
    assertThat(
            client
                .admissionRegistration()
                .v1()
                .validatingWebhookConfigurations()
                .withName("metallb-webhook-configuration")
                .get())
        .isNull();
    assertThat(metallbUids()).isEqualTo(uids);

    // IronLB's controller starts, reads the Services back and keeps each one's address.
    controller = ClusterFixture.member("c1", List.of("controller"), null);
    AllocatorActor.singleton(
        controller,
        () ->
            KubernetesSource.watch(client, NS, Duration.ofMinutes(5), KubernetesSource.Copies.FULL),
        new KubernetesStatusWriter(client, NS, "ironlb-controller", writers),
        null);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              // The pools' status is IronLB's now: it counts the addresses it took over.
              assertThat(MockApi.poolStatus(client, NS, "first-pool"))
                  .containsEntry("assignedIPv4", 2);
              assertThat(MockApi.poolStatus(client, NS, "routed")).containsEntry("assignedIPv4", 1);
            });
    assertThat(addresses()).isEqualTo(addresses);
  }

  /** The page's shell block: every line that is not a comment. */
  private static List<String> commands() throws IOException {
    String page = Files.readString(DOC);
    int start = page.indexOf("```sh\n");
    String block = page.substring(start + 6, page.indexOf("```", start + 6));
    return block.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
  }

  /** Does what one command of the page does, and fails where kubectl or ironlb would. */
  private void run(String command, Path work) throws Exception {
    List<String> w = new ArrayList<>(Arrays.asList(command.trim().split("\\s+")));
    if (w.get(0).equals("java")) {
      assertThat(w.subList(0, 4)).containsExactly("java", "-jar", "ironlb.jar", "validate");
      StringWriter out = new StringWriter();
      CommandLine cl = Main.commandLine();
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(out, true));
      int exit = cl.execute("validate", work.resolve(w.get(4)).toString());
      assertThat(exit).as("%s: %s", command, out).isZero();
      return;
    }
    assertThat(w.get(0)).isEqualTo("kubectl");
    String namespace = null;
    int n = w.indexOf("-n");
    if (n > 0) {
      namespace = w.get(n + 1);
      w.remove(n + 1);
      w.remove(n);
    }
    switch (w.get(1)) {
      case "get" -> export(namespace, w, work);
      case "delete" -> delete(namespace, w.subList(2, w.size()));
      case "apply" -> {
        assertThat(w.subList(2, w.size())).containsExactly("-k", "deploy/k8s");
        apply(Path.of(w.get(3)));
      }
      default -> throw new AssertionError("a command this replay does not know: " + command);
    }
  }

  /**
   * {@code kubectl get -n NS KINDS -o yaml > FILE}: the objects as a v1 List, as kubectl writes.
   */
  private void export(String namespace, List<String> w, Path work) throws IOException {
    assertThat(w.subList(3, 6)).containsExactly("-o", "yaml", ">");
    KubernetesListBuilder list = new KubernetesListBuilder();
    for (String plural : w.get(2).split(",")) {
      ObjectKind kind =
          Arrays.stream(ObjectKind.values())
              .filter(k -> k.plural().equals(plural))
              .findFirst()
              .orElseThrow(() -> new AssertionError("not a metallb.io kind: " + plural));
      client
          .genericKubernetesResources(KubernetesSource.context(kind))
          .inNamespace(namespace)
          .list()
          .getItems()
          .forEach(list::addToItems);
    }
    KubernetesList exported = list.build();
    String yaml = client.getKubernetesSerialization().asYaml(exported);
    // What validate reads is the server's view: server-set metadata and status included.
    assertThat(yaml).contains("managedFields", "resourceVersion", "uid", "assignedIPv4");
    Files.writeString(work.resolve(w.get(6)), yaml, StandardCharsets.UTF_8);
  }

  /** {@code kubectl delete [-n NS] KIND NAME} or {@code KIND/NAME...}: each must exist. */
  private void delete(String namespace, List<String> args) {
    List<String[]> targets = new ArrayList<>();
    if (args.get(0).contains("/")) {
      args.forEach(a -> targets.add(a.split("/", 2)));
    } else {
      args.subList(1, args.size()).forEach(name -> targets.add(new String[] {args.get(0), name}));
    }
    for (String[] t : targets) {
      boolean deleted =
          switch (t[0]) {
            case "validatingwebhookconfiguration" ->
                !client
                    .admissionRegistration()
                    .v1()
                    .validatingWebhookConfigurations()
                    .withName(t[1])
                    .delete()
                    .isEmpty();
            case "deployment" ->
                !client
                    .apps()
                    .deployments()
                    .inNamespace(namespace)
                    .withName(t[1])
                    .delete()
                    .isEmpty();
            case "daemonset" ->
                !client
                    .apps()
                    .daemonSets()
                    .inNamespace(namespace)
                    .withName(t[1])
                    .delete()
                    .isEmpty();
            case "service" ->
                !client.services().inNamespace(namespace).withName(t[1]).delete().isEmpty();
            case "secret" ->
                !client.secrets().inNamespace(namespace).withName(t[1]).delete().isEmpty();
            default -> throw new AssertionError("a kind this replay does not know: " + t[0]);
          };
      assertThat(deleted).as("kubectl delete %s/%s finds it", t[0], t[1]).isTrue();
    }
  }

  /** {@code kubectl apply -k DIR}: what kustomize renders, created or replaced. */
  private void apply(Path dir) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("kubectl", "kustomize", dir.toString())
            .redirectErrorStream(true)
            .start();
    String rendered = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(rendered).isZero();
    for (String doc : rendered.split("(?m)^---$")) {
      if (!doc.isBlank()) {
        HasMetadata o = client.getKubernetesSerialization().unmarshal(doc, HasMetadata.class);
        client.resource(o).createOr(existing -> existing.update());
      }
    }
  }

  /** MetalLB as its native manifests leave a cluster, with the exported objects and Services. */
  private void installMetalLb() throws IOException {
    for (String ns : List.of(NS, "default", "web")) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("controller")
                .addToLabels("app", "metallb")
                .endMetadata()
                .build())
        .create();
    client
        .apps()
        .daemonSets()
        .inNamespace(NS)
        .resource(
            new DaemonSetBuilder()
                .withNewMetadata()
                .withName("speaker")
                .addToLabels("app", "metallb")
                .endMetadata()
                .build())
        .create();
    client
        .services()
        .inNamespace(NS)
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("metallb-webhook-service")
                .endMetadata()
                .build())
        .create();
    for (String secret : List.of("memberlist", "metallb-webhook-cert")) {
      client
          .secrets()
          .inNamespace(NS)
          .resource(new SecretBuilder().withNewMetadata().withName(secret).endMetadata().build())
          .create();
    }
    client
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .resource(
            new ValidatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName("metallb-webhook-configuration")
                .endMetadata()
                .build())
        .create();
    var ser = client.getKubernetesSerialization();
    KubernetesList objects =
        ser.unmarshal(
            Files.readString(Path.of("src/test/resources/migration/metallb-objects.yaml")),
            KubernetesList.class);
    for (HasMetadata o : objects.getItems()) {
      GenericKubernetesResource g = (GenericKubernetesResource) o;
      ObjectKind kind = ObjectKind.byKind(g.getKind()).orElseThrow();
      client
          .genericKubernetesResources(KubernetesSource.context(kind))
          .inNamespace(NS)
          .resource(g)
          .create();
    }
    KubernetesList services =
        ser.unmarshal(
            Files.readString(Path.of("src/test/resources/migration/services.yaml")),
            KubernetesList.class);
    for (HasMetadata o : services.getItems()) {
      Service s = (Service) o;
      client.services().inNamespace(s.getMetadata().getNamespace()).resource(s).create();
      client.services().inNamespace(s.getMetadata().getNamespace()).resource(s).updateStatus();
    }
  }

  /** Every metallb.io object's uid, by kind and name. */
  private Map<String, String> metallbUids() {
    Map<String, String> out = new TreeMap<>();
    for (ObjectKind kind : ObjectKind.configurationKinds()) {
      ResourceDefinitionContext context = KubernetesSource.context(kind);
      for (GenericKubernetesResource r :
          client.genericKubernetesResources(context).inNamespace(NS).list().getItems()) {
        out.put(kind.kind() + "/" + r.getMetadata().getName(), r.getMetadata().getUid());
      }
    }
    return out;
  }

  /** Every LoadBalancer Service's addresses, by namespace/name. */
  private Map<String, List<String>> addresses() {
    Map<String, List<String>> out = new TreeMap<>();
    for (Service s : client.services().inAnyNamespace().list().getItems()) {
      if (s.getSpec() != null && "LoadBalancer".equals(s.getSpec().getType())) {
        out.put(
            s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), MockApi.ingress(s));
      }
    }
    return out;
  }
}
