package io.grafanatokens.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.grafanatokens.fakes.grafana.MutableClock;
import io.grafanatokens.runtime.OperatorRuntime;
import io.grafanatokens.testing.EmbeddedCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The manifests as {@code kubectl apply -k} would send them (rendered by kubectl kustomize) and the
 * Dockerfile: hardened pod, probes on the paths the operator serves, resources, a JVM that respects
 * the memory limit, only settings the operator knows, and an image built by the README's test
 * command. The pod and RBAC checks are {@link ManifestChecks}, which HelmChartTest runs on the Helm
 * chart's renders too.
 */
class DeployManifestsTest {
  @ParameterizedTest
  @ValueSource(strings = {"deploy", "deploy/namespaced"})
  void podIsHardened(String dir) {
    ManifestChecks.podIsHardened(dir, Manifests.render(dir));
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy", "deploy/namespaced"})
  void probesResourcesAndJvmFlags(String dir) {
    ManifestChecks.probesResourcesAndJvmFlags(dir, Manifests.render(dir));
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy", "deploy/namespaced"})
  void environmentHoldsOnlyOperatorSettingsWithValidValues(String dir) {
    ManifestChecks.environmentHoldsOnlyOperatorSettingsWithValidValues(dir, Manifests.render(dir));
  }

  @Test
  void probePathsAreServedByTheOperator() throws Exception {
    Container c = ManifestChecks.container(Manifests.deployment(Manifests.render("deploy")));
    HttpClient http = HttpClient.newHttpClient();
    try (EmbeddedCluster cluster =
        EmbeddedCluster.create(
            new MutableClock(Instant.now()),
            Map.of("LEADER_ELECTION", "true", "OPERATOR_NAMESPACE", "grafana-token-operator"))) {
      cluster.startOperator();
      OperatorRuntime rt = cluster.runtime();
      for (Probe p :
          Stream.of(c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe())
              .filter(java.util.Objects::nonNull)
              .toList()) {
        URI uri = URI.create("http://127.0.0.1:" + rt.httpPort() + p.getHttpGet().getPath());
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    http.send(
                                HttpRequest.newBuilder(uri).build(),
                                HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                        == 200);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"deploy", "deploy/namespaced", "deploy/namespaced-with-cluster-connections"})
  void imagePodLabelsAndDisruptionBudget(String dir) {
    List<HasMetadata> objects = Manifests.render(dir);
    ManifestChecks.imagePodLabelsAndDisruptionBudget(dir, objects);

    String operatorNs = Manifests.deployment(objects).getMetadata().getNamespace();
    assertThat(Manifests.all(objects, Namespace.class))
        .extracting(n -> n.getMetadata().getName())
        .containsExactly(operatorNs);
    assertThat(Manifests.all(objects, CustomResourceDefinition.class))
        .as("the CRDs of crds/")
        .containsExactlyInAnyOrderElementsOf(
            Stream.of(
                    "grafanaserviceaccounttokens",
                    "grafanaconnections",
                    "clustergrafanaconnections")
                .map(
                    n ->
                        (CustomResourceDefinition)
                            Manifests.parse(
                                    Manifests.read("crds/" + n + ".grafanatokens.io-v1.yml"))
                                .get(0))
                .toList());
    assertThat(objects)
        .as("the monitoring pack is applied on its own")
        .noneMatch(o -> o.getApiVersion().startsWith("monitoring.coreos.com/"));
  }

  @Test
  void namespacedVariantHasNoClusterWidePermissionAndARolePerWatchedNamespace() {
    ManifestChecks.namespacedInstallHasNoClusterWidePermissionAndARolePerWatchedNamespace(
        "deploy/namespaced", Manifests.render("deploy/namespaced"));
  }

  @Test
  void defaultInstallWatchesAllNamespacesWithOneClusterRole() {
    ManifestChecks.clusterInstallWatchesAllNamespacesWithOneClusterRole(
        "deploy", Manifests.render("deploy"));
  }

  @Test
  void bothInstallsGiveTenantsAccessThroughTheBuiltInRoles() {
    ManifestChecks.tenantsGetAccessThroughTheBuiltInRoles("deploy", Manifests.render("deploy"));
    ManifestChecks.tenantsGetAccessThroughTheBuiltInRoles(
        "deploy/namespaced", Manifests.render("deploy/namespaced"));
  }

  // ---- the image

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
    List<String> commands =
        Manifests.read(".ci/run")
            .lines()
            .map(String::strip)
            .filter(
                l ->
                    !l.isEmpty()
                        && !l.startsWith("#")
                        && !l.startsWith("set ")
                        && !l.startsWith("cd "))
            .toList();
    assertThat(commands).containsExactly(readmeTestCommand());
    assertThat(readmeTestCommand())
        .as("batch mode, no transfer progress")
        .contains(" -B ")
        .contains(" -ntp ");
  }

  // ---- something to install from: .github/workflows

  private static JsonNode workflow(String file) {
    try {
      return new ObjectMapper(new YAMLFactory())
          .readTree(Manifests.read(".github/workflows/" + file));
    } catch (java.io.IOException e) {
      throw new AssertionError(".github/workflows/" + file + " is not YAML", e);
    }
  }

  /** Every step of every job of a workflow. */
  private static List<JsonNode> steps(JsonNode workflow) {
    List<JsonNode> out = new java.util.ArrayList<>();
    workflow.path("jobs").forEach(job -> job.path("steps").forEach(out::add));
    return out;
  }

  @Test
  void pullRequestsRunExactlyTheReadmeTestCommand() {
    JsonNode ci = workflow("ci.yml");
    // YAML 1.1 reads the key "on" as true
    JsonNode on = ci.has("on") ? ci.get("on") : ci.get("true");
    assertThat(on.has("pull_request")).as("ci.yml runs on pull requests").isTrue();
    assertThat(steps(ci))
        .extracting(st -> st.path("run").asText())
        .as("ci.yml runs the README's test command")
        .contains(readmeTestCommand());
    assertThat(steps(ci))
        .anySatisfy(
            st -> assertThat(st.path("with").path("java-version").asText()).isEqualTo("17"));
  }

  @Test
  void aVersionTagPublishesTheImageFromTheDockerfileAndTheChartWithThatAppVersion()
      throws Exception {
    JsonNode release = workflow("release.yml");
    JsonNode on = release.has("on") ? release.get("on") : release.get("true");
    assertThat(on.path("push").path("tags").get(0).asText()).isEqualTo("v*");
    JsonNode build =
        steps(release).stream()
            .filter(st -> st.path("uses").asText().startsWith("docker/build-push-action"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("release.yml builds no image"));
    assertThat(build.path("with").path("file").asText()).isEqualTo("Dockerfile");
    assertThat(build.path("with").path("platforms").asText().split(","))
        .containsExactlyInAnyOrder("linux/amd64", "linux/arm64");
    assertThat(build.path("with").path("push").asBoolean()).isTrue();
    // the image the chart installs by default: values.yaml's repository, tagged with the appVersion
    JsonNode values =
        new ObjectMapper(new YAMLFactory())
            .readTree(Manifests.read("deploy/helm/grafana-token-operator/values.yaml"));
    assertThat(release.path("env").path("IMAGE").asText())
        .isEqualTo(values.path("image").path("repository").asText());
    assertThat(build.path("with").path("tags").asText())
        .isEqualTo("${{ env.IMAGE }}:${{ steps.version.outputs.version }}");
    String chart =
        steps(release).stream()
            .map(st -> st.path("run").asText())
            .filter(r -> r.contains("helm package"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("release.yml packages no chart"));
    assertThat(chart)
        .contains("helm package deploy/helm/grafana-token-operator")
        .contains("--app-version \"$version\"")
        .contains("helm push")
        .contains("$CHARTS");
    assertThat(release.path("env").path("CHARTS").asText()).startsWith("oci://ghcr.io/");
    assertThat(Manifests.read("README.md"))
        .as("the README installs the OCI chart first")
        .contains(
            "helm install grafana-token-operator "
                + release.path("env").path("CHARTS").asText()
                + "/grafana-token-operator");
  }

  @Test
  void imageIsBuiltByTheReadmeTestCommandAndRunsAsNonRootWithJavaJar() {
    Dockerfile df = ManifestChecks.dockerfile();
    assertThat(df.stages()).as("multi-stage").hasSizeGreaterThanOrEqualTo(2);
    assertThat(df.stages())
        .allSatisfy(
            s ->
                assertThat(s.from())
                    .as("base image pinned to a tag")
                    .contains(":")
                    .doesNotEndWith(":latest"));

    List<String> mavenRuns =
        df.stages().stream()
            .flatMap(s -> s.args("RUN").stream())
            .filter(r -> r.contains("mvn"))
            .toList();
    assertThat(mavenRuns)
        .as("the Maven command(s) of the image build = README's test command")
        .containsExactly(readmeTestCommand());
    Dockerfile.Stage build =
        df.stages().stream()
            .filter(s -> s.args("RUN").contains(readmeTestCommand()))
            .findFirst()
            .orElseThrow();
    // everything `mvn -B -ntp verify` reads is in the build context of that stage, kubectl included
    String copied = String.join(" ", build.args("COPY"));
    for (String path : List.of("pom.xml", "src", "crds", "deploy", "README.md", "Dockerfile")) {
      assertThat(copied)
          .as("the build stage copies " + path)
          .containsPattern("(^|\\s)" + Pattern.quote(path) + "(\\s|$)");
    }
    assertThat(String.join(" ", build.args("RUN")))
        .as("the build stage installs kubectl (DeployManifestsTest)")
        .contains("kubectl");

    Dockerfile.Stage runtime = df.last();
    assertThat(runtime.args("RUN"))
        .as("no Maven in the runtime stage")
        .noneMatch(r -> r.contains("mvn"));
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
    Long podUid =
        Manifests.deployment(Manifests.render("deploy"))
            .getSpec()
            .getTemplate()
            .getSpec()
            .getSecurityContext()
            .getRunAsUser();
    assertThat(Long.parseLong(uid)).as("the image's uid = the pod's runAsUser").isEqualTo(podUid);

    List<String> entry = runtime.args("ENTRYPOINT");
    assertThat(entry).hasSize(1);
    assertThat(entry.get(0))
        .as("exec-form java -jar <the copied jar>")
        .isEqualTo("[\"java\", \"-jar\", \"" + jar + "\"]");
    assertThat(runtime.args("EXPOSE")).containsExactly("8080");
  }
}
