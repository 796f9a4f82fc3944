package io.grafanatokens.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.grafanatokens.fakes.grafana.MutableClock;
import io.grafanatokens.runtime.ConfigOption;
import io.grafanatokens.runtime.OperatorConfig;
import io.grafanatokens.runtime.OperatorRuntime;
import io.grafanatokens.testing.EmbeddedCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The manifests as {@code kubectl apply -k} would send them (rendered by kubectl kustomize) and the
 * Dockerfile: hardened pod, probes on the paths the operator serves, resources, a JVM that
 * respects the memory limit, only settings the operator knows, and an image built by the
 * README's test command.
 */
class DeployManifestsTest {
  static final String IMAGE = "ghcr.io/grafanatokens/grafana-token-operator";
  /** Environment variables of the container that are not operator settings, and why. */
  private static final Map<String, String> NOT_OPERATOR_SETTINGS = Map.of(
      "JAVA_TOOL_OPTIONS", "read by the JVM itself: heap as a share of the memory limit");
  private static final Pattern MAX_RAM_PERCENTAGE = Pattern.compile("-XX:MaxRAMPercentage=(\\d+(?:\\.\\d+)?)");

  private static Container container(Deployment d) {
    List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).as("containers of the Deployment").hasSize(1);
    return containers.get(0);
  }

  private static Map<String, EnvVar> env(Container c) {
    return c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e, (a, b) -> {
      throw new AssertionError("env " + a.getName() + " set twice");
    }));
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy", "deploy/namespaced"})
  void podIsHardened(String dir) {
    Deployment d = Manifests.deployment(Manifests.render(dir));
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    PodSecurityContext psc = pod.getSecurityContext();
    assertThat(psc).as("pod securityContext").isNotNull();
    assertThat(psc.getRunAsNonRoot()).as("runAsNonRoot").isTrue();
    assertThat(psc.getRunAsUser()).as("runAsUser (numeric, not root)").isNotNull().isPositive();
    assertThat(psc.getSeccompProfile()).as("seccompProfile").isNotNull();
    assertThat(psc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getHostNetwork()).as("hostNetwork").isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostPID()).as("hostPID").isNotEqualTo(Boolean.TRUE);

    Container c = container(d);
    SecurityContext sc = c.getSecurityContext();
    assertThat(sc).as("container securityContext").isNotNull();
    assertThat(sc.getAllowPrivilegeEscalation()).as("allowPrivilegeEscalation").isFalse();
    assertThat(sc.getReadOnlyRootFilesystem()).as("readOnlyRootFilesystem").isTrue();
    assertThat(sc.getPrivileged()).as("privileged").isNotEqualTo(Boolean.TRUE);
    assertThat(sc.getCapabilities()).as("capabilities").isNotNull();
    assertThat(sc.getCapabilities().getDrop()).as("capabilities.drop").containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).as("capabilities.add").isNullOrEmpty();
    assertThat(sc.getRunAsUser()).as("the container keeps the pod's uid").isIn(null, psc.getRunAsUser());

    // a read-only root filesystem: the JVM's /tmp (hsperfdata, temp files) is an emptyDir
    String tmpVolume = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp"))
        .map(m -> m.getName()).findFirst().orElseThrow(() -> new AssertionError("no volume mounted at /tmp"));
    Volume v = pod.getVolumes().stream().filter(x -> x.getName().equals(tmpVolume)).findFirst().orElseThrow();
    assertThat(v.getEmptyDir()).as("/tmp is an emptyDir").isNotNull();

    // the operator needs its API token; the ServiceAccount does not hand one to other pods
    assertThat(pod.getAutomountServiceAccountToken()).as("pod automountServiceAccountToken").isTrue();
    ServiceAccount sa = Manifests.all(Manifests.render(dir), ServiceAccount.class).stream()
        .filter(s -> s.getMetadata().getName().equals(pod.getServiceAccountName())
            && s.getMetadata().getNamespace().equals(d.getMetadata().getNamespace()))
        .findFirst().orElseThrow(() -> new AssertionError("ServiceAccount " + pod.getServiceAccountName()
            + " is not rendered"));
    assertThat(sa.getAutomountServiceAccountToken()).as("ServiceAccount automountServiceAccountToken").isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy", "deploy/namespaced"})
  void probesResourcesAndJvmFlags(String dir) {
    Deployment d = Manifests.deployment(Manifests.render(dir));
    Container c = container(d);
    ContainerPort http = c.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no container port named http"));
    String httpPortEnv = env(c).containsKey("HTTP_PORT") ? env(c).get("HTTP_PORT").getValue() : "8080";
    assertThat(http.getContainerPort()).as("port http = HTTP_PORT").isEqualTo(Integer.parseInt(httpPortEnv))
        .isEqualTo(8080);
    assertProbe(c.getLivenessProbe(), "liveness", "/healthz");
    assertProbe(c.getReadinessProbe(), "readiness", "/readyz");
    if (c.getStartupProbe() != null) {
      assertProbe(c.getStartupProbe(), "startup", "/healthz");
    }

    Map<String, Quantity> requests = c.getResources().getRequests();
    Map<String, Quantity> limits = c.getResources().getLimits();
    assertThat(requests).as("resource requests").containsKeys("cpu", "memory");
    assertThat(limits).as("resource limits").containsKey("memory");
    assertThat(Quantity.getAmountInBytes(limits.get("memory")))
        .as("memory limit >= request").isGreaterThanOrEqualTo(Quantity.getAmountInBytes(requests.get("memory")));

    String jvm = env(c).get("JAVA_TOOL_OPTIONS") == null ? null : env(c).get("JAVA_TOOL_OPTIONS").getValue();
    assertThat(jvm).as("JAVA_TOOL_OPTIONS").isNotNull().doesNotContain("-Xmx").doesNotContain("-XX:MaxRAM=");
    Matcher m = MAX_RAM_PERCENTAGE.matcher(jvm);
    assertThat(m.find()).as("-XX:MaxRAMPercentage in " + jvm).isTrue();
    assertThat(Double.parseDouble(m.group(1))).as("heap share of the limit, leaving room for metaspace and threads")
        .isBetween(25.0, 75.0);
    assertThat(jvm).as("JVM flags of the image and the Deployment agree")
        .isEqualTo(dockerfileEnv("JAVA_TOOL_OPTIONS"));
  }

  private static void assertProbe(Probe p, String what, String path) {
    assertThat(p).as(what + " probe").isNotNull();
    assertThat(p.getHttpGet()).as(what + " probe httpGet").isNotNull();
    assertThat(p.getHttpGet().getPath()).as(what + " probe path").isEqualTo(path);
    assertThat(p.getHttpGet().getPort().getStrVal()).as(what + " probe port (named)").isEqualTo("http");
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy", "deploy/namespaced"})
  void environmentHoldsOnlyOperatorSettingsWithValidValues(String dir) {
    Deployment d = Manifests.deployment(Manifests.render(dir));
    Map<String, EnvVar> env = env(container(d));
    Set<String> known = OperatorConfig.OPTIONS.stream().map(ConfigOption::env).collect(Collectors.toSet());
    assertThat(env.keySet()).as("env names: OperatorConfig.OPTIONS or " + NOT_OPERATOR_SETTINGS.keySet())
        .allMatch(n -> known.contains(n) || NOT_OPERATOR_SETTINGS.containsKey(n));

    EnvVar ns = env.get("OPERATOR_NAMESPACE");
    assertThat(ns).as("OPERATOR_NAMESPACE").isNotNull();
    assertThat(ns.getValueFrom().getFieldRef().getFieldPath()).as("OPERATOR_NAMESPACE from the downward API")
        .isEqualTo("metadata.namespace");
    assertThat(env.get("LEADER_ELECTION").getValue()).isEqualTo("true");
    assertThat(env.get("LOG_FORMAT").getValue()).isEqualTo("json");
    assertThat(d.getSpec().getReplicas()).as("replicas (leader election makes two safe)").isEqualTo(2);

    // the values parse: a bad one would stop the operator at startup
    Map<String, String> values = new HashMap<>(RbacCoverageTest.operatorEnv(d));
    assertThatCode(() -> OperatorConfig.from(values)).doesNotThrowAnyException();
  }

  @Test
  void probePathsAreServedByTheOperator() throws Exception {
    Container c = container(Manifests.deployment(Manifests.render("deploy")));
    HttpClient http = HttpClient.newHttpClient();
    try (EmbeddedCluster cluster = EmbeddedCluster.create(new MutableClock(Instant.now()),
        Map.of("LEADER_ELECTION", "true", "OPERATOR_NAMESPACE", "grafana-token-operator"))) {
      cluster.startOperator();
      OperatorRuntime rt = cluster.runtime();
      for (Probe p : Stream.of(c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe())
          .filter(java.util.Objects::nonNull).toList()) {
        URI uri = URI.create("http://127.0.0.1:" + rt.httpPort() + p.getHttpGet().getPath());
        await().atMost(Duration.ofSeconds(10)).until(() ->
            http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy", "deploy/namespaced"})
  void imagePodLabelsAndDisruptionBudget(String dir) {
    List<HasMetadata> objects = Manifests.render(dir);
    Deployment d = Manifests.deployment(objects);
    String image = container(d).getImage();
    assertThat(image).as("image").startsWith(IMAGE + ":").doesNotEndWith(":latest");
    Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
    assertThat(podLabels).as("pod labels match the selector")
        .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
    PodDisruptionBudget pdb = Manifests.one(objects, PodDisruptionBudget.class);
    assertThat(podLabels).as("the PodDisruptionBudget selects the pods")
        .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isLessThan(d.getSpec().getReplicas());

    String operatorNs = d.getMetadata().getNamespace();
    assertThat(Manifests.all(objects, Namespace.class)).extracting(n -> n.getMetadata().getName())
        .containsExactly(operatorNs);
    CustomResourceDefinition crd = Manifests.one(objects, CustomResourceDefinition.class);
    assertThat(crd).as("the CRD of crds/").isEqualTo(Manifests.parse(Manifests.read(
        "crds/grafanaserviceaccounttokens.grafanatokens.io-v1.yml")).get(0));
    assertThat(objects).as("the monitoring pack is applied on its own")
        .noneMatch(o -> o.getApiVersion().startsWith("monitoring.coreos.com/"));
  }

  @Test
  void namespacedVariantHasNoClusterWidePermissionAndARolePerWatchedNamespace() {
    List<HasMetadata> objects = Manifests.render("deploy/namespaced");
    assertThat(Manifests.all(objects, ClusterRole.class)).isEmpty();
    assertThat(Manifests.all(objects, ClusterRoleBinding.class)).isEmpty();
    Deployment d = Manifests.deployment(objects);
    Set<String> watched = Arrays.stream(env(container(d)).get("WATCH_NAMESPACES").getValue().split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    String operatorNs = d.getMetadata().getNamespace();
    Set<String> bound = Manifests.all(objects, RoleBinding.class).stream()
        .map(b -> b.getMetadata().getNamespace()).filter(ns -> !ns.equals(operatorNs) || watched.contains(ns))
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(bound).as("namespaces with a RoleBinding = WATCH_NAMESPACES").isEqualTo(watched).isNotEmpty();
    for (Role r : Manifests.all(objects, Role.class)) {
      assertThat(r.getRules()).as("Role " + r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
          .flatMap(PolicyRule::getResources).doesNotContain("namespaces");
    }
  }

  @Test
  void defaultInstallWatchesAllNamespacesWithOneClusterRole() {
    List<HasMetadata> objects = Manifests.render("deploy");
    assertThat(env(container(Manifests.deployment(objects))).get("WATCH_NAMESPACES").getValue()).isEmpty();
    assertThat(Manifests.all(objects, ClusterRole.class)).hasSize(1);
    // Roles only for the Lease, in the operator's namespace
    String operatorNs = Manifests.deployment(objects).getMetadata().getNamespace();
    assertThat(Manifests.all(objects, Role.class)).allSatisfy(r -> {
      assertThat(r.getMetadata().getNamespace()).isEqualTo(operatorNs);
      assertThat(r.getRules()).flatMap(PolicyRule::getResources).containsOnly("leases");
    });
  }

  // ---- the image

  private static Dockerfile dockerfile() {
    return Dockerfile.parse(Manifests.read("Dockerfile"));
  }

  private static String dockerfileEnv(String name) {
    Pattern p = Pattern.compile("^" + name + "=\"?(.*?)\"?$");
    return dockerfile().last().args("ENV").stream().map(p::matcher).filter(Matcher::matches)
        .map(x -> x.group(1)).findFirst().orElseThrow(() -> new AssertionError("the runtime stage sets no " + name));
  }

  /** The README's test command: the fenced line with mvn and verify. */
  static String readmeTestCommand() {
    List<String> found = new java.util.ArrayList<>();
    boolean fenced = false;
    for (String line : Manifests.read("README.md").split("\n")) {
      if (line.strip().startsWith("```")) {
        fenced = !fenced;
      } else if (fenced && line.contains("mvn") && line.contains("verify")) {
        found.add(line.strip());
      }
    }
    assertThat(found).as("README's fenced mvn ... verify lines").hasSize(1);
    return found.get(0);
  }

  /** CI runs what the README tells a contributor to run, nothing more or less. */
  @Test
  void ciRunsExactlyTheReadmeTestCommand() {
    List<String> commands = Manifests.read(".ci/run").lines().map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("set ") && !l.startsWith("cd "))
        .toList();
    assertThat(commands).containsExactly(readmeTestCommand());
    assertThat(readmeTestCommand()).as("batch mode, no transfer progress").contains(" -B ").contains(" -ntp ");
  }

  @Test
  void imageIsBuiltByTheReadmeTestCommandAndRunsAsNonRootWithJavaJar() {
    Dockerfile df = dockerfile();
    assertThat(df.stages()).as("multi-stage").hasSizeGreaterThanOrEqualTo(2);
    assertThat(df.stages()).allSatisfy(s -> assertThat(s.from()).as("base image pinned to a tag")
        .contains(":").doesNotEndWith(":latest"));

    List<String> mavenRuns = df.stages().stream().flatMap(s -> s.args("RUN").stream())
        .filter(r -> r.contains("mvn")).toList();
    assertThat(mavenRuns).as("the Maven command(s) of the image build = README's test command")
        .containsExactly(readmeTestCommand());
    Dockerfile.Stage build = df.stages().stream().filter(s -> s.args("RUN").contains(readmeTestCommand()))
        .findFirst().orElseThrow();
    // everything `mvn -B -ntp verify` reads is in the build context of that stage, kubectl included
    String copied = String.join(" ", build.args("COPY"));
    for (String path : List.of("pom.xml", "src", "crds", "deploy", "README.md", "Dockerfile")) {
      assertThat(copied).as("the build stage copies " + path).containsPattern("(^|\\s)" + Pattern.quote(path) + "(\\s|$)");
    }
    assertThat(String.join(" ", build.args("RUN"))).as("the build stage installs kubectl (DeployManifestsTest)")
        .contains("kubectl");

    Dockerfile.Stage runtime = df.last();
    assertThat(runtime.args("RUN")).as("no Maven in the runtime stage").noneMatch(r -> r.contains("mvn"));
    List<String> copies = runtime.args("COPY");
    assertThat(copies).as("the runtime stage copies only the jar").hasSize(1);
    String[] copy = copies.get(0).split("\\s+");
    assertThat(copy[0]).isEqualTo("--from=" + build.name());
    assertThat(copy[1]).endsWith("/target/grafana-token-operator.jar");
    String jar = copy[2];

    List<String> users = runtime.args("USER");
    assertThat(users).as("USER of the runtime stage").isNotEmpty();
    String uid = users.get(users.size() - 1).split(":")[0];
    assertThat(uid).as("a numeric uid (the kubelet verifies runAsNonRoot with it)").matches("\\d+");
    assertThat(Long.parseLong(uid)).as("not root").isPositive();
    Long podUid = Manifests.deployment(Manifests.render("deploy")).getSpec().getTemplate().getSpec()
        .getSecurityContext().getRunAsUser();
    assertThat(Long.parseLong(uid)).as("the image's uid = the pod's runAsUser").isEqualTo(podUid);

    List<String> entry = runtime.args("ENTRYPOINT");
    assertThat(entry).hasSize(1);
    assertThat(entry.get(0)).as("exec-form java -jar <the copied jar>")
        .isEqualTo("[\"java\", \"-jar\", \"" + jar + "\"]");
    assertThat(runtime.args("EXPOSE")).containsExactly("8080");
  }
}
