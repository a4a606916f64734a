package io.ironlb.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.ironlb.cluster.RejoinBackoff;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/k8s} as {@code kubectl kustomize} renders it, parsed with fabric8, against what an
 * operator relies on: everything in metallb-system; RBAC with no wildcard and exactly the
 * permissions the code uses; the speaker DaemonSet on the host network with NET_RAW and NET_ADMIN
 * only, probes, requests and the node name from the downward API; the controller StatefulSet with
 * two replicas kept apart and a disruption budget; metrics Services; ports clear of MetalLB's and
 * the kubelet's; the labels Cluster Bootstrap looks for.
 */
class DeployManifestsTest {
  private static final String NS = "metallb-system";
  private static List<HasMetadata> objects;

  @BeforeAll
  static void render() throws IOException, InterruptedException {
    objects = kustomize(Path.of("deploy", "k8s"));
  }

  private static List<HasMetadata> kustomize(Path dir) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("kubectl", "kustomize", dir.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("kubectl kustomize %s: %s", dir, out).isZero();
    List<HasMetadata> rendered = new ArrayList<>();
    for (String doc : out.split("(?m)^---$")) {
      if (!doc.isBlank()) {
        rendered.add(Serialization.unmarshal(doc, HasMetadata.class));
      }
    }
    return rendered;
  }

  /**
   * The webhook is in the default install: MetalLB's six webhooks under MetalLB's names, each sent
   * to the controller's webhook Service at MetalLB's path, BFDProfile deletions included, with no
   * caBundle and no cert-manager (the controller issues the certificate and fills the caBundles).
   */
  @Test
  void theDefaultInstallSendsEveryKindToTheControllersWebhook() {
    ValidatingWebhookConfiguration config =
        one(ValidatingWebhookConfiguration.class, "ironlb-webhook");
    Map<String, ValidatingWebhook> byResource = new java.util.TreeMap<>();
    for (ValidatingWebhook w : config.getWebhooks()) {
      assertThat(w.getClientConfig().getService().getName()).isEqualTo("ironlb-webhook");
      assertThat(w.getClientConfig().getService().getNamespace()).isEqualTo(NS);
      assertThat(w.getFailurePolicy()).isEqualTo("Fail");
      assertThat(w.getClientConfig().getCaBundle()).isNull();
      byResource.put(w.getRules().get(0).getResources().get(0), w);
    }
    assertThat(config.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(byResource.keySet()).containsExactlyInAnyOrderElementsOf(CONFIG_KINDS);
    // MetalLB's own names (config/manifests/metallb-native.yaml), so tooling that looks for them
    // finds them.
    assertThat(config.getWebhooks())
        .extracting(ValidatingWebhook::getName)
        .containsExactlyInAnyOrder(
            "ipaddresspoolvalidationwebhook.metallb.io",
            "bgppeersvalidationwebhook.metallb.io",
            "bgpadvertisementvalidationwebhook.metallb.io",
            "l2advertisementvalidationwebhook.metallb.io",
            "communityvalidationwebhook.metallb.io",
            "bfdprofilevalidationwebhook.metallb.io");
    byResource.forEach(
        (resource, w) ->
            assertThat(w.getClientConfig().getService().getPath())
                .startsWith("/validate-metallb-io-v1beta")
                .endsWith(
                    "-"
                        + (resource.equals("communities")
                            ? "community"
                            : resource.substring(0, resource.length() - 1))));
    assertThat(byResource.get("bfdprofiles").getRules().get(0).getOperations()).contains("DELETE");
    assertThat(only(one(StatefulSet.class, "ironlb-controller").getSpec().getTemplate()).getArgs())
        .as("the controller keeps the certificate itself by default")
        .containsExactly("controller");
    assertThat(objects).noneMatch(o -> o.getKind().equals("Certificate"));
  }

  /**
   * The cert-manager component: cert-manager issues the Secret the controller mounts and injects
   * the CA; the controller is told to serve the mounted pair and leave the Secret alone.
   */
  @Test
  void theCertManagerComponentHandsTheCertificateToCertManager(@TempDir Path dir) throws Exception {
    Path base = Path.of("deploy", "k8s").toAbsolutePath();
    Files.writeString(
        dir.resolve("kustomization.yaml"),
        "resources: [%s]\ncomponents: [%s]\n"
            .formatted(dir.relativize(base), dir.relativize(base.resolve("cert-manager"))));
    List<HasMetadata> all = kustomize(dir);
    ValidatingWebhookConfiguration config =
        all.stream()
            .filter(ValidatingWebhookConfiguration.class::isInstance)
            .map(ValidatingWebhookConfiguration.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(config.getMetadata().getAnnotations())
        .containsEntry("cert-manager.io/inject-ca-from", NS + "/ironlb-webhook");
    String secret =
        all.stream()
            .filter(o -> o.getKind().equals("Certificate"))
            .map(o -> ((GenericKubernetesResource) o).get("spec", "secretName").toString())
            .findFirst()
            .orElseThrow();
    StatefulSet controller =
        all.stream()
            .filter(StatefulSet.class::isInstance)
            .map(StatefulSet.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(controller.getSpec().getTemplate().getSpec().getVolumes())
        .anyMatch(v -> v.getSecret() != null && secret.equals(v.getSecret().getSecretName()));
    assertThat(only(controller.getSpec().getTemplate()).getArgs())
        .containsExactly("controller", "--webhook-cert-secret=");
  }

  private static <T extends HasMetadata> List<T> all(Class<T> kind) {
    return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  private static <T extends HasMetadata> T one(Class<T> kind, String name) {
    return all(kind).stream()
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name));
  }

  @Test
  void everyNamespacedObjectIsInMetallbSystem() {
    Set<Class<?>> clusterScoped =
        Set.of(
            Namespace.class,
            CustomResourceDefinition.class,
            ClusterRole.class,
            ClusterRoleBinding.class,
            ValidatingWebhookConfiguration.class);
    for (HasMetadata o : objects) {
      if (!clusterScoped.contains(o.getClass())) {
        assertThat(o.getMetadata().getNamespace())
            .as(o.getKind() + " " + o.getMetadata().getName())
            .isEqualTo(NS);
      }
    }
    assertThat(one(Namespace.class, NS).getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "privileged");
    assertThat(all(CustomResourceDefinition.class))
        .extracting(c -> c.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "ipaddresspools.metallb.io",
            "l2advertisements.metallb.io",
            "bgpadvertisements.metallb.io",
            "bgppeers.metallb.io",
            "bfdprofiles.metallb.io",
            "communities.metallb.io",
            "servicel2statuses.metallb.io",
            "servicebgpstatuses.metallb.io",
            "configurationstates.metallb.io");
  }

  /**
   * What both components call: the informers (get, list, watch) of Services, Nodes, Namespaces,
   * EndpointSlices and (in metallb-system) Secrets, events, Cluster Bootstrap's pod lookup, and
   * each component's ConfigurationState.
   */
  private static final Set<String> BOTH =
      Set.of(
          "cluster /services get",
          "cluster /services list",
          "cluster /services watch",
          "cluster /nodes get",
          "cluster /nodes list",
          "cluster /nodes watch",
          "cluster /namespaces get",
          "cluster /namespaces list",
          "cluster /namespaces watch",
          "cluster discovery.k8s.io/endpointslices get",
          "cluster discovery.k8s.io/endpointslices list",
          "cluster discovery.k8s.io/endpointslices watch",
          "cluster /events create",
          "ns /secrets get",
          "ns /secrets create",
          "ns /secrets list",
          "ns /secrets watch",
          "ns /pods get",
          "ns /pods list",
          "ns /pods watch",
          "ns metallb.io/configurationstates get",
          "ns metallb.io/configurationstates create",
          "ns metallb.io/configurationstates update",
          "ns metallb.io/configurationstates/status update");

  /**
   * The controller's writes: the allocation on Services, pool status, and the webhook's own
   * certificate (its Secret, and the caBundles of its webhook configuration only).
   */
  private static final Set<String> CONTROLLER =
      Set.of(
          "cluster /services update",
          "cluster /services/status update",
          "ns metallb.io/ipaddresspools/status update",
          "ns /secrets[ironlb-webhook-cert] update",
          "cluster admissionregistration.k8s.io/validatingwebhookconfigurations[ironlb-webhook] get",
          "cluster admissionregistration.k8s.io/validatingwebhookconfigurations[ironlb-webhook]"
              + " update");

  /** The speaker's writes: its ServiceL2Status and ServiceBGPStatus objects' status. */
  private static final Set<String> SPEAKER =
      Set.of(
          "ns metallb.io/servicel2statuses/status update",
          "ns metallb.io/servicebgpstatuses/status update");

  private static final List<String> CONFIG_KINDS =
      List.of(
          "ipaddresspools",
          "l2advertisements",
          "bgpadvertisements",
          "bgppeers",
          "bfdprofiles",
          "communities");

  private static Set<String> expected(String component) {
    Set<String> out = new TreeSet<>(BOTH);
    out.addAll(component.equals("controller") ? CONTROLLER : SPEAKER);
    for (String kind : CONFIG_KINDS) {
      for (String verb : List.of("get", "list", "watch")) {
        out.add("ns metallb.io/" + kind + " " + verb);
      }
    }
    if (component.equals("speaker")) {
      for (String kind : List.of("servicel2statuses", "servicebgpstatuses")) {
        for (String verb : List.of("get", "list", "watch", "create", "update", "delete")) {
          out.add("ns metallb.io/" + kind + " " + verb);
        }
      }
    }
    return out;
  }

  /** scope group/resource verb, for every rule bound to the component's ServiceAccount. */
  private static Set<String> granted(String serviceAccount) {
    Set<String> out = new TreeSet<>();
    for (ClusterRoleBinding b : all(ClusterRoleBinding.class)) {
      if (b.getSubjects().stream().anyMatch(s -> s.getName().equals(serviceAccount))) {
        one(ClusterRole.class, b.getRoleRef().getName())
            .getRules()
            .forEach(r -> expand("cluster", r, out));
      }
    }
    for (RoleBinding b : all(RoleBinding.class)) {
      if (b.getSubjects().stream().anyMatch(s -> s.getName().equals(serviceAccount))) {
        one(Role.class, b.getRoleRef().getName()).getRules().forEach(r -> expand("ns", r, out));
      }
    }
    return out;
  }

  /** {@code scope group/resource verb}, or {@code group/resource[name]} when limited to names. */
  private static void expand(String scope, PolicyRule r, Set<String> out) {
    List<String> names =
        r.getResourceNames() == null || r.getResourceNames().isEmpty()
            ? List.of("")
            : r.getResourceNames().stream().map(n -> "[" + n + "]").toList();
    for (String g : r.getApiGroups()) {
      for (String res : r.getResources()) {
        for (String name : names) {
          for (String v : r.getVerbs()) {
            out.add(scope + " " + g + "/" + res + name + " " + v);
          }
        }
      }
    }
  }

  @Test
  void rbacHasNoWildcardAndExactlyWhatTheCodeUses() {
    List<PolicyRule> rules = new ArrayList<>();
    all(ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
    all(Role.class).forEach(r -> rules.addAll(r.getRules()));
    for (PolicyRule r : rules) {
      assertThat(r.getVerbs()).doesNotContain("*");
      assertThat(r.getResources()).doesNotContain("*");
      assertThat(r.getApiGroups()).doesNotContain("*");
      assertThat(r.getNonResourceURLs()).isNullOrEmpty();
    }
    assertThat(all(ServiceAccount.class))
        .extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrder("ironlb-controller", "ironlb-speaker");
    assertThat(granted("ironlb-controller")).isEqualTo(expected("controller"));
    assertThat(granted("ironlb-speaker")).isEqualTo(expected("speaker"));
  }

  private static Container only(PodTemplateSpec t) {
    assertThat(t.getSpec().getContainers()).hasSize(1);
    return t.getSpec().getContainers().get(0);
  }

  private static String fieldRef(Container c, String env) {
    return c.getEnv().stream()
        .filter(e -> e.getName().equals(env))
        .map(EnvVar::getValueFrom)
        .map(v -> v.getFieldRef().getFieldPath())
        .findFirst()
        .orElse(null);
  }

  private static void probesAndRequests(Container c) {
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/alive");
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(c.getResources().getLimits()).containsKey("memory");
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
  }

  /** Both workloads run the image {@code scripts/build-image.sh} builds: the project's version. */
  @Test
  void bothWorkloadsRunTheImageOfThisVersion() throws IOException {
    String pom = java.nio.file.Files.readString(Path.of("pom.xml"));
    int at = pom.indexOf("<version>");
    String version = pom.substring(at + "<version>".length(), pom.indexOf("</version>", at));
    String image = "ghcr.io/ironlb/ironlb:" + version;
    assertThat(only(one(DaemonSet.class, "ironlb-speaker").getSpec().getTemplate()).getImage())
        .isEqualTo(image);
    assertThat(only(one(StatefulSet.class, "ironlb-controller").getSpec().getTemplate()).getImage())
        .isEqualTo(image);
    assertThat(java.nio.file.Files.readString(Path.of("scripts", "build-image.sh")))
        .contains("image=\"ghcr.io/ironlb/ironlb:${version}\"");
  }

  @Test
  void theSpeakerRunsOnTheHostNetworkWithNetRawAndNetAdminOnly() {
    DaemonSet ds = one(DaemonSet.class, "ironlb-speaker");
    PodSpec pod = ds.getSpec().getTemplate().getSpec();
    Container c = only(ds.getSpec().getTemplate());
    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(pod.getServiceAccountName()).isEqualTo("ironlb-speaker");
    assertThat(c.getArgs()).containsExactly("speaker");
    assertThat(c.getSecurityContext().getCapabilities().getAdd())
        .containsExactlyInAnyOrder("NET_RAW", "NET_ADMIN");
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getSecurityContext().getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(fieldRef(c, "NODE_NAME")).isEqualTo("spec.nodeName");
    assertThat(fieldRef(c, "POD_IP")).isEqualTo("status.podIP");
    assertThat(pod.getTolerations())
        .anyMatch(t -> "node-role.kubernetes.io/control-plane".equals(t.getKey()));
    probesAndRequests(c);
    // The JVM settings docs/scale.md measured (the lean speaker), exactly.
    assertThat(value(c, "JAVA_TOOL_OPTIONS"))
        .isEqualTo(
            "-XX:+UseSerialGC -Xms128m -Xmx128m -Xss512k -XX:MaxMetaspaceSize=96m"
                + " -XX:ReservedCodeCacheSize=32m -XX:TieredStopAtLevel=1"
                + " -XX:MaxDirectMemorySize=48m");
    assertThat(value(c, "MALLOC_ARENA_MAX")).isEqualTo("2");
  }

  /**
   * A node the cluster keeps downing waits up to {@link RejoinBackoff#LONGEST} with its status port
   * closed; the speaker's liveness probe must forgive that with a period to spare, or the kubelet
   * restarts the pod and it pays its whole JVM start.
   */
  @Test
  void theSpeakersLivenessProbeOutlastsTheLongestRejoinWait() {
    Container c = only(one(DaemonSet.class, "ironlb-speaker").getSpec().getTemplate());
    var probe = c.getLivenessProbe();
    int period = probe.getPeriodSeconds() == null ? 10 : probe.getPeriodSeconds();
    int failures = probe.getFailureThreshold() == null ? 3 : probe.getFailureThreshold();
    // Closed for LONGEST plus the next incarnation's start (a few seconds), within failures - 1
    // periods: the failures-th would restart it.
    assertThat(Duration.ofSeconds((long) period * (failures - 1)))
        .isGreaterThanOrEqualTo(RejoinBackoff.LONGEST.plusSeconds(5));
  }

  /** A JVM that does not know one of the speaker's options refuses to start: this one knows all. */
  @Test
  void theSpeakersJvmOptionsStartThisJava() throws Exception {
    Container c = only(one(DaemonSet.class, "ironlb-speaker").getSpec().getTemplate());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(value(c, "JAVA_TOOL_OPTIONS").split(" ")));
    command.add("-version");
    Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(java.waitFor()).as(output).isZero();
  }

  private static String value(Container c, String env) {
    return c.getEnv().stream()
        .filter(e -> e.getName().equals(env))
        .map(EnvVar::getValue)
        .findFirst()
        .orElse(null);
  }

  @Test
  void theControllerIsTwoReplicasPreferablyApartWithADisruptionBudget() {
    StatefulSet sts = one(StatefulSet.class, "ironlb-controller");
    PodSpec pod = sts.getSpec().getTemplate().getSpec();
    Map<String, String> labels = sts.getSpec().getTemplate().getMetadata().getLabels();
    assertThat(sts.getSpec().getReplicas()).isEqualTo(2);
    assertThat(pod.getServiceAccountName()).isEqualTo("ironlb-controller");
    assertThat(only(sts.getSpec().getTemplate()).getArgs()).containsExactly("controller");
    // Apart when the cluster has the nodes for it, preferred rather than required, so that a
    // single-node cluster schedules both replicas.
    var podAnti = pod.getAffinity().getPodAntiAffinity();
    assertThat(podAnti.getRequiredDuringSchedulingIgnoredDuringExecution()).isNullOrEmpty();
    var anti = podAnti.getPreferredDuringSchedulingIgnoredDuringExecution();
    assertThat(anti).hasSize(1);
    assertThat(anti.get(0).getPodAffinityTerm().getTopologyKey())
        .isEqualTo("kubernetes.io/hostname");
    assertThat(labels)
        .containsAllEntriesOf(anti.get(0).getPodAffinityTerm().getLabelSelector().getMatchLabels());
    PodDisruptionBudget pdb = one(PodDisruptionBudget.class, "ironlb-controller");
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    assertThat(labels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(only(sts.getSpec().getTemplate()).getSecurityContext().getCapabilities().getAdd())
        .isNullOrEmpty();
    probesAndRequests(only(sts.getSpec().getTemplate()));
  }

  @Test
  void portsAvoidMetallbAndTheKubeletAndMetricsServicesReachThePods() {
    Set<Integer> taken = new TreeSet<>(List.of(7946, 7472));
    for (int p = 10248; p <= 10259; p++) {
      taken.add(p);
    }
    List<PodTemplateSpec> templates =
        List.of(
            one(DaemonSet.class, "ironlb-speaker").getSpec().getTemplate(),
            one(StatefulSet.class, "ironlb-controller").getSpec().getTemplate());
    for (PodTemplateSpec t : templates) {
      only(t).getPorts().forEach(p -> assertThat(taken).doesNotContain(p.getContainerPort()));
      assertThat(only(t).getPorts()).extracting(p -> p.getContainerPort()).contains(7355, 7473);
    }
    assertThat(only(templates.get(1)).getPorts())
        .extracting(p -> p.getContainerPort())
        .as("the controller also serves the webhook")
        .containsExactlyInAnyOrder(7355, 7473, 9443);
    assertThat(one(Service.class, "ironlb-webhook").getSpec().getPorts())
        .anyMatch(p -> p.getPort() == 443 && "webhook".equals(p.getTargetPort().getStrVal()));
    for (String name : List.of("ironlb-speaker-metrics", "ironlb-controller")) {
      Service s = one(Service.class, name);
      boolean selectsSome =
          templates.stream()
              .anyMatch(
                  t ->
                      t.getMetadata()
                          .getLabels()
                          .entrySet()
                          .containsAll(s.getSpec().getSelector().entrySet()));
      assertThat(selectsSome).as(name + " selects a workload's pods").isTrue();
      assertThat(s.getSpec().getPorts()).anyMatch(p -> p.getPort() == 7473);
    }
  }

  /**
   * Cluster traffic is over TLS by default: neither workload turns {@code --cluster-tls-secret}
   * off, each may read and create the credentials' Secret, and each has a writable /tmp (the root
   * filesystem is read-only) for the copy Pekko reads.
   */
  @Test
  void bothWorkloadsRunClusterTrafficOverTlsByDefault() {
    for (PodTemplateSpec t :
        List.of(
            one(DaemonSet.class, "ironlb-speaker").getSpec().getTemplate(),
            one(StatefulSet.class, "ironlb-controller").getSpec().getTemplate())) {
      assertThat(only(t).getArgs()).noneMatch(a -> a.startsWith("--cluster-tls-secret"));
      assertThat(only(t).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(volumeHolding(t, "/tmp/ironlb-cluster-tls").getEmptyDir()).isNotNull();
    }
    for (String account : List.of("ironlb-controller", "ironlb-speaker")) {
      assertThat(granted(account)).contains("ns /secrets get", "ns /secrets create");
    }
  }

  /** The volume the pod's container mounts at {@code path} or at a directory above it. */
  private static Volume volumeHolding(PodTemplateSpec t, String path) {
    String name =
        only(t).getVolumeMounts().stream()
            .filter(m -> path.equals(m.getMountPath()) || path.startsWith(m.getMountPath() + "/"))
            .map(m -> m.getName())
            .findFirst()
            .orElseThrow(() -> new AssertionError("nothing mounted at or above " + path));
    return t.getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  /** MetalLB's metallb-excludel2 ConfigMap, when present, lands where the speaker reads it. */
  @Test
  void theSpeakerMountsMetalLbsExcludeListWhereItLooks() throws Exception {
    String path =
        Class.forName("io.ironlb.NodeBoot$Layer2Options")
            .getDeclaredField("excludeL2Config")
            .getAnnotation(picocli.CommandLine.Option.class)
            .defaultValue();
    PodTemplateSpec t = one(DaemonSet.class, "ironlb-speaker").getSpec().getTemplate();
    Volume v = volumeHolding(t, path);
    assertThat(v.getConfigMap()).as(v.getName()).isNotNull();
    assertThat(v.getConfigMap().getName()).isEqualTo("metallb-excludel2");
    assertThat(v.getConfigMap().getOptional()).isTrue();
    assertThat(path).endsWith("/excludel2.yaml"); // the ConfigMap's key, as MetalLB names it
  }

  @Test
  void podsCarryTheLabelClusterBootstrapLooksFor() {
    String selector =
        ConfigFactory.load().getString("ironlb.kubernetes.bootstrap.pod-label-selector");
    String[] kv = selector.split("=", 2);
    assertThat(
            one(DaemonSet.class, "ironlb-speaker")
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels())
        .containsEntry(kv[0], kv[1]);
    assertThat(
            one(StatefulSet.class, "ironlb-controller")
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels())
        .containsEntry(kv[0], kv[1]);
  }
}
