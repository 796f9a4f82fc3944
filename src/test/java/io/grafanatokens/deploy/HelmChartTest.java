package io.grafanatokens.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.grafanatokens.runtime.OperatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Helm chart of deploy/helm, through real Helm (helm-java): it lints, its renders pass the
 * checks deploy/ passes, it installs what deploy/ installs (the same RBAC, rule for rule; the same
 * hardened pod), its copies of crds/ and deploy/monitoring are those files, every operator setting
 * is a value, values.schema.json refuses wrong values, and its README documents every value.
 */
class HelmChartTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DASHBOARD = MonitoringPackTest.DASHBOARD;

  static Stream<HelmChart.Render> renders() {
    return Stream.of(
        HelmChart.DEFAULTS,
        HelmChart.WATCH_NAMESPACES,
        HelmChart.MONITORING,
        HelmChart.NO_CRDS,
        HelmChart.NO_TENANT_ROLES,
        HelmChart.PROXY);
  }

  @Test
  void lintsCleanInStrictMode() {
    LintResult lint = HelmChart.lint();
    assertThat(lint.isFailed())
        .as("helm lint --strict " + HelmChart.DIR + ": " + lint.getMessages())
        .isFalse();
    assertThat(lint.getMessages())
        .as("helm lint messages")
        .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  // ---- the checks of deploy/, on every render

  @ParameterizedTest
  @MethodSource("renders")
  void rendersPassTheChecksOfDeploy(HelmChart.Render r) {
    List<HasMetadata> objects = HelmChart.render(r);
    ManifestChecks.podIsHardened(r.what(), objects);
    ManifestChecks.probesResourcesAndJvmFlags(r.what(), objects);
    ManifestChecks.environmentHoldsOnlyOperatorSettingsWithValidValues(r.what(), objects);
    ManifestChecks.imagePodLabelsAndDisruptionBudget(r.what(), objects);
    // the release namespace is Helm's
    assertThat(Manifests.all(objects, Namespace.class)).as(r.what() + ": Namespaces").isEmpty();
    assertThat(objects)
        .as(
            r.what()
                + ": every namespaced object names its namespace (helm template | kubectl apply)")
        .filteredOn(
            o ->
                !Set.of("ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition")
                    .contains(o.getKind()))
        .allSatisfy(
            o ->
                assertThat(o.getMetadata().getNamespace())
                    .as(o.getKind() + " " + o.getMetadata().getName())
                    .isNotBlank());
  }

  @Test
  void defaultsWatchEveryNamespaceWithOneClusterRole() {
    ManifestChecks.clusterInstallWatchesAllNamespacesWithOneClusterRole(
        HelmChart.DEFAULTS.what(), HelmChart.render(HelmChart.DEFAULTS));
    assertThat(HelmChart.render(HelmChart.DEFAULTS))
        .as("the monitoring pack is off by default")
        .noneMatch(o -> o.getApiVersion().startsWith("monitoring.coreos.com/"))
        .noneMatch(o -> o instanceof ConfigMap);
  }

  @Test
  void watchNamespacesGrantsRolesThereAndNothingClusterWide() {
    List<HasMetadata> objects = HelmChart.render(HelmChart.WATCH_NAMESPACES);
    ManifestChecks.namespacedInstallHasNoClusterWidePermissionAndARolePerWatchedNamespace(
        HelmChart.WATCH_NAMESPACES.what(), objects);
    assertThat(ManifestChecks.watchNamespaces(Manifests.deployment(objects)))
        .containsExactly("team-a", "team-b");
  }

  // ---- the same install as deploy/

  @Test
  void defaultPodIsDeploysPod() {
    Deployment chart = Manifests.deployment(HelmChart.render(HelmChart.DEFAULTS));
    Deployment deploy = Manifests.deployment(Manifests.render("deploy"));
    PodSpec c = chart.getSpec().getTemplate().getSpec();
    PodSpec d = deploy.getSpec().getTemplate().getSpec();
    Container cc = ManifestChecks.container(chart);
    Container dc = ManifestChecks.container(deploy);
    assertThat(chart.getSpec().getReplicas())
        .as("replicas")
        .isEqualTo(deploy.getSpec().getReplicas());
    assertThat(chart.getSpec().getStrategy())
        .as("rollout strategy")
        .isEqualTo(deploy.getSpec().getStrategy());
    assertThat(c.getSecurityContext()).as("pod securityContext").isEqualTo(d.getSecurityContext());
    assertThat(cc.getSecurityContext())
        .as("container securityContext")
        .isEqualTo(dc.getSecurityContext());
    assertThat(c.getAutomountServiceAccountToken()).isEqualTo(d.getAutomountServiceAccountToken());
    assertThat(cc.getImage()).as("image (the chart's appVersion)").isEqualTo(dc.getImage());
    assertThat(cc.getImagePullPolicy()).isEqualTo(dc.getImagePullPolicy());
    assertThat(cc.getPorts()).as("ports").isEqualTo(dc.getPorts());
    assertThat(cc.getResources()).as("resources").isEqualTo(dc.getResources());
    assertThat(cc.getStartupProbe()).as("startupProbe").isEqualTo(dc.getStartupProbe());
    assertThat(cc.getLivenessProbe()).as("livenessProbe").isEqualTo(dc.getLivenessProbe());
    assertThat(cc.getReadinessProbe()).as("readinessProbe").isEqualTo(dc.getReadinessProbe());
    assertThat(cc.getVolumeMounts()).as("volumeMounts").isEqualTo(dc.getVolumeMounts());
    assertThat(c.getVolumes()).as("volumes").isEqualTo(d.getVolumes());
    assertThat(c.getNodeSelector())
        .as("nodeSelector")
        .isEqualTo(d.getNodeSelector())
        .containsEntry("kubernetes.io/os", "linux");
    assertThat(chart.getSpec().getTemplate().getMetadata().getAnnotations())
        .as("pod annotations")
        .isEqualTo(deploy.getSpec().getTemplate().getMetadata().getAnnotations());

    // the same replica spread, on the release's own pod labels
    WeightedPodAffinityTerm ct =
        c.getAffinity()
            .getPodAntiAffinity()
            .getPreferredDuringSchedulingIgnoredDuringExecution()
            .get(0);
    WeightedPodAffinityTerm dt =
        d.getAffinity()
            .getPodAntiAffinity()
            .getPreferredDuringSchedulingIgnoredDuringExecution()
            .get(0);
    assertThat(ct.getWeight()).isEqualTo(dt.getWeight());
    assertThat(ct.getPodAffinityTerm().getTopologyKey())
        .isEqualTo(dt.getPodAffinityTerm().getTopologyKey());
    assertThat(chart.getSpec().getTemplate().getMetadata().getLabels())
        .as("anti-affinity selects the pods")
        .containsAllEntriesOf(ct.getPodAffinityTerm().getLabelSelector().getMatchLabels());

    // deploy/'s variables with deploy/'s values; the others at the operator's own defaults
    Map<String, String> chartEnv = envValues(cc);
    Map<String, String> deployEnv = envValues(dc);
    Map<String, String> expected = new TreeMap<>(operatorDefaults());
    expected.putAll(deployEnv);
    assertThat(new TreeMap<>(chartEnv))
        .as("env of the chart's defaults = deploy/'s, else the operator's defaults")
        .isEqualTo(expected);

    assertThat(
            Manifests.one(HelmChart.render(HelmChart.DEFAULTS), PodDisruptionBudget.class)
                .getSpec()
                .getMinAvailable())
        .isEqualTo(
            Manifests.one(Manifests.render("deploy"), PodDisruptionBudget.class)
                .getSpec()
                .getMinAvailable());
  }

  /** name -> value, or "fieldRef:<path>" for the downward API. */
  private static Map<String, String> envValues(Container c) {
    Map<String, String> out = new LinkedHashMap<>();
    for (EnvVar v : c.getEnv()) {
      out.put(
          v.getName(),
          v.getValueFrom() != null
              ? "fieldRef:" + v.getValueFrom().getFieldRef().getFieldPath()
              : v.getValue() == null ? "" : v.getValue());
    }
    return out;
  }

  /** Every setting of the README's table at its default (an unset one as ""). */
  private static Map<String, String> operatorDefaults() {
    Map<String, String> out = new LinkedHashMap<>();
    DeployReadmeTest.expectedRows()
        .forEach(
            (env, cells) ->
                out.put(env, cells[0].equals("*(unset)*") ? "" : cells[0].replaceAll("^`|`$", "")));
    out.put("JAVA_TOOL_OPTIONS", ManifestChecks.dockerfileEnv("JAVA_TOOL_OPTIONS"));
    return out;
  }

  @Test
  void defaultRbacIsDeploysRbac() {
    assertSameGrants(
        HelmChart.DEFAULTS.what(),
        HelmChart.render(HelmChart.DEFAULTS),
        "kubectl kustomize deploy/",
        Manifests.render("deploy"));
  }

  @Test
  void watchNamespacesRbacIsDeployNamespacedRbacInEachNamespace() {
    List<HasMetadata> chart = HelmChart.render(HelmChart.WATCH_NAMESPACES);
    List<HasMetadata> deploy = Manifests.render("deploy/namespaced");
    assertThat(ManifestChecks.watchNamespaces(Manifests.deployment(chart)))
        .as(
            "the chart's render watches deploy/namespaced's namespaces, so that the grants compare one to one")
        .isEqualTo(ManifestChecks.watchNamespaces(Manifests.deployment(deploy)));
    assertSameGrants(
        HelmChart.WATCH_NAMESPACES.what(), chart, "kubectl kustomize deploy/namespaced/", deploy);
  }

  /**
   * The grants bound to each rendering's operator ServiceAccount, one (scope, verb, resource,
   * names) at a time, with the operator's namespace as a placeholder: deploy/ is the reference, and
   * every difference is named with the rule it comes from.
   */
  private static void assertSameGrants(
      String chartWhat, List<HasMetadata> chart, String deployWhat, List<HasMetadata> deploy) {
    Map<String, Rbac.Grant> c = grantsByKey(chart);
    Map<String, Rbac.Grant> d = grantsByKey(deploy);
    List<String> problems = new ArrayList<>();
    d.forEach(
        (k, g) -> {
          if (!c.containsKey(k)) {
            problems.add(
                deployWhat
                    + " grants "
                    + k
                    + " ("
                    + g.source()
                    + "); "
                    + chartWhat
                    + " does not: add it to the chart's templates/_helpers.tpl (watchRules) or templates/rbac.yaml");
          }
        });
    c.forEach(
        (k, g) -> {
          if (!d.containsKey(k)) {
            problems.add(
                chartWhat
                    + " grants "
                    + k
                    + " ("
                    + g.source()
                    + "); "
                    + deployWhat
                    + " does not: remove it from the chart");
          }
        });
    assertThat(problems)
        .as("the chart's RBAC differs from deploy/'s:\n" + String.join("\n", problems))
        .isEmpty();
    assertThat(c).as("grants of " + chartWhat).isNotEmpty();
  }

  private static Map<String, Rbac.Grant> grantsByKey(List<HasMetadata> objects) {
    Deployment dep = Manifests.deployment(objects);
    String saNs = dep.getMetadata().getNamespace();
    String sa = dep.getSpec().getTemplate().getSpec().getServiceAccountName();
    String operatorNs = RbacCoverageTest.operatorEnv(dep).get("OPERATOR_NAMESPACE");
    Map<String, Rbac.Grant> out = new TreeMap<>();
    for (Rbac.Grant g : Rbac.of(objects, saNs, sa).grants()) {
      String scope =
          g.namespace() == null
              ? "cluster-wide"
              : g.namespace().equals(operatorNs)
                  ? "in the operator's namespace"
                  : "in namespace " + g.namespace();
      String key =
          "'"
              + g.verb()
              + " "
              + (g.group().isEmpty() ? "" : g.group() + "/")
              + g.resource()
              + "'"
              + (g.resourceNames().isEmpty() ? "" : " names " + new TreeSet<>(g.resourceNames()))
              + " "
              + scope;
      out.putIfAbsent(key, g);
    }
    return out;
  }

  // ---- copies of the repository's files

  // ---- access for tenants

  @Test
  void tenantsGetAccessThroughTheBuiltInRolesAsWithDeploy() {
    ManifestChecks.tenantsGetAccessThroughTheBuiltInRoles(
        HelmChart.DEFAULTS.what(), HelmChart.render(HelmChart.DEFAULTS));
    ManifestChecks.tenantsGetAccessThroughTheBuiltInRoles(
        HelmChart.WATCH_NAMESPACES.what(), HelmChart.render(HelmChart.WATCH_NAMESPACES));
    assertThat(HelmChart.render(HelmChart.NO_TENANT_ROLES))
        .as("switched off")
        .noneMatch(o -> o instanceof ClusterRole r && ManifestChecks.forTenants(r));
    // the same rules as deploy/, role by role
    Map<String, List<PolicyRule>> chart = tenantRules(HelmChart.render(HelmChart.DEFAULTS));
    assertThat(chart).isEqualTo(tenantRules(Manifests.render("deploy")));
  }

  /** The tenants' ClusterRoles by their suffix (-view, -edit, -cluster-view): their rules. */
  private static Map<String, List<PolicyRule>> tenantRules(List<HasMetadata> objects) {
    Map<String, List<PolicyRule>> out = new TreeMap<>();
    Manifests.all(objects, ClusterRole.class).stream()
        .filter(ManifestChecks::forTenants)
        .forEach(
            r ->
                out.put(
                    r.getMetadata().getName().replaceAll("^.*?-(cluster-view|view|edit)$", "$1"),
                    r.getRules()));
    return out;
  }

  // ---- the CRDs, as templates that `helm upgrade` upgrades

  @Test
  void theRenderedCrdsAreTheGeneratedOnesWithTheReleaseLabelsAndKeptOnUninstall()
      throws IOException {
    List<CustomResourceDefinition> rendered =
        Manifests.all(HelmChart.render(HelmChart.DEFAULTS), CustomResourceDefinition.class);
    List<CustomResourceDefinition> generated =
        Manifests.all(Manifests.render("crds"), CustomResourceDefinition.class);
    assertThat(rendered)
        .extracting(c -> c.getMetadata().getName())
        .as("every CRD of crds/, once")
        .containsExactlyInAnyOrderElementsOf(
            generated.stream().map(c -> c.getMetadata().getName()).toList());
    for (CustomResourceDefinition g : generated) {
      CustomResourceDefinition r =
          rendered.stream()
              .filter(c -> c.getMetadata().getName().equals(g.getMetadata().getName()))
              .findFirst()
              .orElseThrow();
      assertThat(r.getSpec())
          .as(g.getMetadata().getName() + ": the spec of crds/, unchanged")
          .isEqualTo(g.getSpec());
      assertThat(r.getMetadata().getAnnotations())
          .as("helm uninstall never deletes it, nor every token with it")
          .containsEntry("helm.sh/resource-policy", "keep");
      assertThat(r.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "Helm")
          .containsKey("helm.sh/chart");
    }
  }

  @Test
  void crdsEnabledFalseRendersNoCrdAndCrdsKeepFalseLetsUninstallDeleteThem() {
    assertThat(Manifests.all(HelmChart.render(HelmChart.NO_CRDS), CustomResourceDefinition.class))
        .as("GitOps applies crds/ itself")
        .isEmpty();
    assertThat(
            Manifests.all(
                HelmChart.render(
                    HelmChart.DEFAULTS.with(
                        "the chart (crds.keep=false)", "crds: {keep: false}\n")),
                CustomResourceDefinition.class))
        .isNotEmpty()
        .allSatisfy(
            c ->
                assertThat(c.getMetadata().getAnnotations())
                    .doesNotContainKey("helm.sh/resource-policy"));
  }

  @Test
  void crdsAreTheRepositoryCrdsByteForByte() throws IOException {
    Path repo = Manifests.projectDir().resolve("crds");
    Path chart = HelmChart.dir().resolve("files").resolve("crds");
    // kustomization.yaml is kustomize's index of crds/, not a CRD: Helm would try to create it
    Set<String> expected = fileNames(repo);
    expected.remove("kustomization.yaml");
    assertThat(fileNames(chart))
        .as(chart + " holds the CRD files of crds/ (copy them: cp crds/*.yml " + chart + "/)")
        .isEqualTo(expected);
    for (String f : expected) {
      assertThat(Files.mismatch(repo.resolve(f), chart.resolve(f)))
          .as(chart.resolve(f) + " differs from crds/" + f + ": cp crds/" + f + " " + chart + "/")
          .isEqualTo(-1L);
    }
  }

  @Test
  void monitoringFilesAreDeployMonitoringsByteForByte() throws IOException {
    for (String f : List.of(DASHBOARD, "prometheusrule.yaml")) {
      Path repo = Manifests.projectDir().resolve(MonitoringPackTest.DIR).resolve(f);
      Path chart = HelmChart.dir().resolve("files").resolve(f);
      assertThat(Files.mismatch(repo, chart))
          .as(chart + " differs from " + repo + ": copy it")
          .isEqualTo(-1L);
    }
  }

  private static Set<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  // ---- monitoring

  @Test
  @SuppressWarnings("unchecked")
  void monitoringIsDeployMonitoringForTheReleasesPods() throws Exception {
    List<HasMetadata> chart = HelmChart.render(HelmChart.MONITORING);
    List<HasMetadata> deploy = Manifests.render(MonitoringPackTest.DIR);
    Map<String, String> podLabels =
        Manifests.deployment(chart).getSpec().getTemplate().getMetadata().getLabels();

    Map<String, Object> podMonitor = spec(chart, "PodMonitor");
    Map<String, Object> deployPodMonitor = spec(deploy, "PodMonitor");
    assertThat(podMonitor.get("podMetricsEndpoints"))
        .as("PodMonitor endpoints")
        .isEqualTo(deployPodMonitor.get("podMetricsEndpoints"));
    assertThat(podMonitor.get("jobLabel"))
        .as("PodMonitor jobLabel")
        .isEqualTo(deployPodMonitor.get("jobLabel"));
    assertThat(podLabels)
        .as("the PodMonitor selects the operator's pods")
        .containsAllEntriesOf(
            (Map<String, String>)
                ((Map<String, Object>) podMonitor.get("selector")).get("matchLabels"));
    assertThat(podLabels.get((String) podMonitor.get("jobLabel")))
        .as("job label value, which the alerts select")
        .isEqualTo("grafana-token-operator");

    assertThat(spec(chart, "PrometheusRule"))
        .as("the PrometheusRule's spec is deploy/monitoring's")
        .isEqualTo(spec(deploy, "PrometheusRule"));

    ConfigMap cm = Manifests.one(chart, ConfigMap.class);
    assertThat(cm.getMetadata().getLabels())
        .as("the label Grafana's dashboard sidecar watches")
        .containsEntry("grafana_dashboard", "1");
    assertThat(cm.getData())
        .as("the dashboard, byte for byte")
        .isEqualTo(Manifests.one(deploy, ConfigMap.class).getData());
    assertThat(JSON.readTree(cm.getData().get(DASHBOARD)).get("panels")).as("panels").isNotEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void serviceMonitorScrapesTheMetricsServiceOfThePods() {
    List<HasMetadata> chart =
        HelmChart.render(
            HelmChart.DEFAULTS.with(
                "the chart with a ServiceMonitor",
                "serviceMonitor: {enabled: true, labels: {release: kube-prometheus-stack}}\n"));
    Map<String, String> podLabels =
        Manifests.deployment(chart).getSpec().getTemplate().getMetadata().getLabels();
    Service svc = Manifests.one(chart, Service.class);
    assertThat(podLabels)
        .as("the Service selects the pods")
        .containsAllEntriesOf(svc.getSpec().getSelector());
    assertThat(svc.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getTargetPort().getStrVal())
                  .as("targetPort: the container port's name")
                  .isEqualTo("http");
            });

    GenericKubernetesResource sm =
        (GenericKubernetesResource)
            chart.stream()
                .filter(o -> "ServiceMonitor".equals(o.getKind()))
                .findFirst()
                .orElseThrow();
    assertThat(sm.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
    Map<String, Object> spec = (Map<String, Object>) sm.getAdditionalProperties().get("spec");
    assertThat(svc.getMetadata().getLabels())
        .as("the ServiceMonitor selects the Service")
        .containsAllEntriesOf(
            (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels"));
    assertThat(svc.getMetadata().getLabels().get((String) spec.get("jobLabel")))
        .as("job, which the alerts select")
        .isEqualTo("grafana-token-operator");
    // what deploy/monitoring's PodMonitor scrapes, through the Service
    Map<String, Object> deployEndpoint =
        ((List<Map<String, Object>>)
                spec(Manifests.render(MonitoringPackTest.DIR), "PodMonitor")
                    .get("podMetricsEndpoints"))
            .get(0);
    assertThat((List<Map<String, Object>>) spec.get("endpoints")).containsExactly(deployEndpoint);
    assertThat(chart)
        .as("no PodMonitor next to the ServiceMonitor")
        .noneMatch(o -> "PodMonitor".equals(o.getKind()));
  }

  @Test
  @SuppressWarnings("unchecked")
  void scrapeAndDashboardValuesReachTheMonitors() {
    String scrape =
        """
        {enabled: %s, scrapeTimeout: 10s,
         relabelings: [{sourceLabels: [__meta_kubernetes_pod_node_name], targetLabel: node}],
         metricRelabelings: [{sourceLabels: [__name__], regex: jvm_.*, action: drop}]}
        """;
    for (String kind : List.of("PodMonitor", "ServiceMonitor")) {
      boolean pod = kind.equals("PodMonitor");
      List<HasMetadata> chart =
          HelmChart.render(
              HelmChart.DEFAULTS.with(
                  "the chart with scrape values",
                  "podMonitor: "
                      + scrape.formatted(pod)
                      + "serviceMonitor: "
                      + scrape.formatted(!pod)
                      + "dashboard: {enabled: true, label: grafana_dashboards, labelValue: ops}\n"));
      Map<String, Object> endpoint =
          ((List<Map<String, Object>>)
                  spec(chart, kind).get(pod ? "podMetricsEndpoints" : "endpoints"))
              .get(0);
      assertThat(endpoint)
          .as(kind + " endpoint")
          .containsEntry("scrapeTimeout", "10s")
          .containsEntry("interval", "30s")
          .containsEntry("honorLabels", true)
          .containsEntry(
              "relabelings",
              List.of(
                  Map.of(
                      "sourceLabels",
                      List.of("__meta_kubernetes_pod_node_name"),
                      "targetLabel",
                      "node")))
          .containsEntry(
              "metricRelabelings",
              List.of(
                  Map.of(
                      "sourceLabels", List.of("__name__"), "regex", "jvm_.*", "action", "drop")));
      assertThat(Manifests.one(chart, ConfigMap.class).getMetadata().getLabels())
          .as("the sidecar's label, instead of grafana_dashboard")
          .containsEntry("grafana_dashboards", "ops")
          .doesNotContainKey("grafana_dashboard");
    }
    assertThat(
            ((List<Map<String, Object>>)
                    spec(HelmChart.render(HelmChart.MONITORING), "PodMonitor")
                        .get("podMetricsEndpoints"))
                .get(0))
        .as("no scrapeTimeout or relabelings unless given")
        .doesNotContainKeys("scrapeTimeout", "relabelings", "metricRelabelings");
  }

  // ---- an outbound proxy

  @Test
  void aProxyBecomesTheJvmsProxyPropertiesBesideTheImagesFlags() {
    Map<String, String> env =
        envValues(
            ManifestChecks.container(Manifests.deployment(HelmChart.render(HelmChart.PROXY))));
    assertThat(env.get("JDK_JAVA_OPTIONS"))
        .as("the JVM ignores HTTPS_PROXY; the java launcher reads JDK_JAVA_OPTIONS")
        .isEqualTo(
            "-Dhttps.proxyHost=proxy.example.com -Dhttps.proxyPort=3128"
                + " -Dhttp.nonProxyHosts=*.svc.cluster.local|grafana.internal");
    assertThat(env.get("JAVA_TOOL_OPTIONS"))
        .as("the image's flags stay as they are")
        .isEqualTo(ManifestChecks.dockerfileEnv("JAVA_TOOL_OPTIONS"));
    assertThat(env)
        .as("nothing the Kubernetes client would read: its API calls stay direct")
        .doesNotContainKeys("HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy");

    Map<String, String> noBypass =
        envValues(
            ManifestChecks.container(
                Manifests.deployment(
                    HelmChart.render(
                        HelmChart.DEFAULTS.with(
                            "the chart with a proxy and no bypass",
                            "proxy: {https: \"https://10.0.0.1:8443/\"}\n")))));
    assertThat(noBypass.get("JDK_JAVA_OPTIONS"))
        .isEqualTo("-Dhttps.proxyHost=10.0.0.1 -Dhttps.proxyPort=8443");
    assertThat(
            envValues(
                ManifestChecks.container(
                    Manifests.deployment(HelmChart.render(HelmChart.DEFAULTS)))))
        .as("no proxy: no JDK_JAVA_OPTIONS")
        .doesNotContainKey("JDK_JAVA_OPTIONS");
  }

  @Test
  void probeValuesSetTheProbesTimingButNotWhatTheyCall() {
    Container c =
        ManifestChecks.container(
            Manifests.deployment(
                HelmChart.render(
                    HelmChart.DEFAULTS.with(
                        "the chart with probe values",
                        """
                        startupProbe: {failureThreshold: 90}
                        livenessProbe: {timeoutSeconds: 5, initialDelaySeconds: 10}
                        readinessProbe: {periodSeconds: 15}
                        """))));
    assertThat(c.getStartupProbe().getFailureThreshold()).isEqualTo(90);
    assertThat(c.getStartupProbe().getPeriodSeconds()).as("a default kept").isEqualTo(2);
    assertThat(c.getLivenessProbe().getTimeoutSeconds()).isEqualTo(5);
    assertThat(c.getLivenessProbe().getInitialDelaySeconds()).isEqualTo(10);
    assertThat(c.getReadinessProbe().getPeriodSeconds()).isEqualTo(15);
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThatThrownBy(
            () ->
                HelmChart.template(
                    HelmChart.DEFAULTS.with(
                        "a probe that calls something else",
                        "livenessProbe: {httpGet: {path: /, port: 80}}\n")))
        .hasMessageContaining("httpGet");
  }

  @Test
  void anImageRegistryGoesBeforeTheRepository() {
    List<HasMetadata> objects =
        HelmChart.render(
            HelmChart.DEFAULTS.with(
                "the chart with a registry mirror",
                "image: {registry: \"registry.example.com:5000\", repository: mirror/gto,"
                    + " tag: 0.1.1}\n"));
    assertThat(ManifestChecks.container(Manifests.deployment(objects)).getImage())
        .isEqualTo("registry.example.com:5000/mirror/gto:0.1.1");
  }

  @Test
  void theChartNeedsAKubernetesWithCelValidationRules() {
    assertThatCode(() -> HelmChart.template(HelmChart.DEFAULTS, "v1.25.0"))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> HelmChart.template(HelmChart.DEFAULTS, "v1.24.17"))
        .hasMessageContaining("kubeVersion");
  }

  @Test
  @SuppressWarnings("unchecked")
  void alertsFollowTheJobNameOfANameOverride() {
    List<HasMetadata> chart =
        HelmChart.render(
            HelmChart.MONITORING.with(
                "the chart with nameOverride",
                HelmChart.MONITORING.values() + "nameOverride: tokens\n"));
    String rules = spec(chart, "PrometheusRule").toString();
    assertThat(rules).contains("job=\"tokens\"").doesNotContain("job=\"grafana-token-operator\"");
    assertThat(Manifests.deployment(chart).getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry((String) spec(chart, "PodMonitor").get("jobLabel"), "tokens");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(List<HasMetadata> objects, String kind) {
    List<HasMetadata> found = objects.stream().filter(o -> kind.equals(o.getKind())).toList();
    assertThat(found).as(kind + "s").hasSize(1);
    assertThat(found.get(0).getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    return (Map<String, Object>)
        ((GenericKubernetesResource) found.get(0)).getAdditionalProperties().get("spec");
  }

  // ---- values

  /** A value for each setting that is not its default, and what the container's env then holds. */
  private static final Map<String, String[]> SETTINGS =
      Map.ofEntries(
          Map.entry("WATCH_NAMESPACES", new String[] {"[team-a, team-b]", "team-a,team-b"}),
          Map.entry("OPERATOR_NAMESPACE", new String[] {"ops", "ops"}),
          Map.entry("LEADER_ELECTION", new String[] {"false", "false"}),
          Map.entry("HTTP_PORT", new String[] {"9090", "9090"}),
          Map.entry("LOG_FORMAT", new String[] {"text", "text"}),
          Map.entry("LOG_LEVEL", new String[] {"DEBUG", "DEBUG"}),
          Map.entry(
              "AMBIENT_CREDENTIALS_NAMESPACES", new String[] {"[team-a, team-c]", "team-a,team-c"}),
          Map.entry("TOKEN_CHECK_INTERVAL", new String[] {"\"0\"", "0"}),
          Map.entry("PROVIDER_TIMEOUT", new String[] {"10s", "10s"}),
          Map.entry("STARTUP_TIMEOUT", new String[] {"2m", "2m"}),
          Map.entry("CLUSTER_CONNECTIONS", new String[] {"\"false\"", "false"}),
          Map.entry(
              "AWS_ENDPOINT_URL_GRAFANA",
              new String[] {
                "https://grafana.eu-west-1.amazonaws.com", "https://grafana.eu-west-1.amazonaws.com"
              }),
          Map.entry(
              "YC_IAM_ENDPOINT",
              new String[] {"https://iam.example.test", "https://iam.example.test"}),
          Map.entry(
              "YC_TOKEN_EXCHANGE_ENDPOINT",
              new String[] {
                "https://auth.example.test/oauth/token", "https://auth.example.test/oauth/token"
              }),
          Map.entry(
              "YC_METADATA_URL",
              new String[] {
                "http://metadata.example.test/token", "http://metadata.example.test/token"
              }),
          Map.entry(
              "YC_WORKLOAD_TOKEN_PATH",
              new String[] {"/var/run/secrets/yc/token", "/var/run/secrets/yc/token"}));

  /** WATCH_NAMESPACES -> watchNamespaces. */
  static String valueKey(String env) {
    StringBuilder out = new StringBuilder();
    for (String part : env.toLowerCase().split("_")) {
      out.append(
          out.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
    }
    return out.toString();
  }

  @Test
  void everySettingOfTheReadmeIsAValue() throws IOException {
    assertThat(new TreeSet<>(SETTINGS.keySet()))
        .as("this test sets every setting of the README's table")
        .isEqualTo(new TreeSet<>(ManifestChecks.operatorSettings()));
    JsonNode defaults = YAML.readTree(HelmChart.dir().resolve("values.yaml").toFile());
    StringBuilder values =
        new StringBuilder("replicas: 1\njavaToolOptions: \"-XX:MaxRAMPercentage=40\"\n");
    for (String env : SETTINGS.keySet()) {
      String key = valueKey(env);
      assertThat(defaults.has(key)).as("values.yaml has " + key + " for " + env).isTrue();
      values.append(key).append(": ").append(SETTINGS.get(env)[0]).append('\n');
    }
    List<HasMetadata> objects =
        HelmChart.render(
            new HelmChart.Render(
                "the chart with every setting changed", "gto", "platform", values.toString()));
    Deployment d = Manifests.deployment(objects);
    Map<String, String> env = envValues(ManifestChecks.container(d));
    Map<String, String> chartDefaults =
        envValues(
            ManifestChecks.container(Manifests.deployment(HelmChart.render(HelmChart.DEFAULTS))));
    SETTINGS.forEach(
        (name, v) -> {
          assertThat(env.get(name))
              .as(name + " from " + valueKey(name) + ": " + v[0])
              .isEqualTo(v[1]);
          assertThat(v[1])
              .as(name + ": the test value differs from the chart's default")
              .isNotEqualTo(chartDefaults.get(name));
        });
    assertThat(env.get("JAVA_TOOL_OPTIONS")).isEqualTo("-XX:MaxRAMPercentage=40");
    Map<String, String> parsed = new HashMap<>(env);
    assertThatCode(() -> OperatorConfig.from(parsed))
        .as("the operator accepts them")
        .doesNotThrowAnyException();

    Container c = ManifestChecks.container(d);
    assertThat(c.getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(9090));
    assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/port", "9090");
    // no leader election: no Lease Role; one replica: no PodDisruptionBudget that would block
    // drains
    assertThat(Manifests.all(objects, Role.class))
        .extracting(r -> r.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(Manifests.all(objects, PodDisruptionBudget.class)).isEmpty();
  }

  @Test
  void operatorNamespaceMovesTheLeaseRole() {
    List<HasMetadata> objects =
        HelmChart.render(
            HelmChart.DEFAULTS.with(
                "the chart with operatorNamespace", "operatorNamespace: ops\n"));
    Role lease =
        Manifests.all(objects, Role.class).stream()
            .filter(r -> r.getRules().stream().anyMatch(x -> x.getResources().contains("leases")))
            .findFirst()
            .orElseThrow();
    assertThat(lease.getMetadata().getNamespace()).isEqualTo("ops");
    assertThat(envValues(ManifestChecks.container(Manifests.deployment(objects))))
        .containsEntry("OPERATOR_NAMESPACE", "ops");
  }

  @Test
  void labelsStrategyAndSpreadValuesReachTheirObjects() {
    List<HasMetadata> objects =
        HelmChart.render(
            HelmChart.DEFAULTS.with(
                "the chart with deployment values",
                """
        commonLabels: {example.com/team: platform}
        deploymentAnnotations: {reloader.stakater.com/auto: "true"}
        revisionHistoryLimit: 3
        strategy: {rollingUpdate: {maxSurge: 2}}
        topologySpreadConstraints:
          - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway}
        extraEnvFrom: [{secretRef: {name: proxy-settings}}]
        serviceAccount: {labels: {azure.workload.identity/use: "true"}}
        """));
    assertThat(objects)
        .as("commonLabels on every object")
        .allSatisfy(
            o ->
                assertThat(o.getMetadata().getLabels())
                    .containsEntry("example.com/team", "platform"));
    Deployment d = Manifests.deployment(objects);
    assertThat(d.getMetadata().getAnnotations())
        .containsEntry("reloader.stakater.com/auto", "true");
    assertThat(d.getSpec().getRevisionHistoryLimit()).isEqualTo(3);
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isEqualTo(2);
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .as("the defaults not overridden stay")
        .isZero();
    assertThat(d.getSpec().getTemplate().getSpec().getTopologySpreadConstraints())
        .singleElement()
        .satisfies(t -> assertThat(t.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone"));
    assertThat(ManifestChecks.container(d).getEnvFrom())
        .singleElement()
        .satisfies(e -> assertThat(e.getSecretRef().getName()).isEqualTo("proxy-settings"));
    assertThat(Manifests.one(objects, ServiceAccount.class).getMetadata().getLabels())
        .containsEntry("azure.workload.identity/use", "true");
  }

  @Test
  void anImageDigestAndAMaxUnavailableBudgetReachTheirObjects() {
    String digest = "sha256:" + "0123456789abcdef".repeat(4);
    List<HasMetadata> objects =
        HelmChart.render(
            HelmChart.DEFAULTS.with(
                "the chart with a digest and maxUnavailable",
                "image: {digest: \""
                    + digest
                    + "\"}\n"
                    + "podDisruptionBudget: {minAvailable: null, maxUnavailable: 1}\n"));
    assertThat(ManifestChecks.container(Manifests.deployment(objects)).getImage())
        .isEqualTo("ghcr.io/grafanatokens/grafana-token-operator@" + digest);
    PodDisruptionBudget pdb = Manifests.one(objects, PodDisruptionBudget.class);
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getMinAvailable()).isNull();
    assertThatThrownBy(
            () ->
                HelmChart.template(
                    HelmChart.DEFAULTS.with(
                        "both budgets",
                        "podDisruptionBudget: {minAvailable: 1, maxUnavailable: 1}\n")))
        .hasMessageContaining("not both");
  }

  @Test
  void podValuesReachThePod() {
    List<HasMetadata> objects =
        HelmChart.render(
            HelmChart.DEFAULTS.with(
                "the chart with pod values",
                """
        image: {repository: registry.example.com/gto, tag: 0.1.1, pullPolicy: Always}
        imagePullSecrets: [{name: regcred}]
        serviceAccount:
          annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::111122223333:role/grafana-token-operator"}
        extraEnv: [{name: AWS_REGION, value: eu-west-1}]
        extraVolumes:
          - name: yc-workload-identity
            projected:
              sources: [{serviceAccountToken: {path: yc-workload-identity, audience: federation, expirationSeconds: 3600}}]
        extraVolumeMounts: [{name: yc-workload-identity, mountPath: /var/run/secrets/tokens, readOnly: true}]
        resources: {requests: {cpu: 200m, memory: 384Mi}, limits: {memory: 768Mi}}
        nodeSelector: {kubernetes.io/os: linux}
        tolerations: [{key: dedicated, operator: Equal, value: platform, effect: NoSchedule}]
        affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: pool, operator: In, values: [system]}]}]}}}
        priorityClassName: system-cluster-critical
        podAnnotations: {example.com/team: platform}
        podLabels: {example.com/cost-center: "42"}
        podSecurityContext: {runAsNonRoot: true, runAsUser: 20001, seccompProfile: {type: RuntimeDefault}}
        """));
    Deployment d = Manifests.deployment(objects);
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    Container c = ManifestChecks.container(d);
    assertThat(c.getImage()).isEqualTo("registry.example.com/gto:0.1.1");
    assertThat(c.getImagePullPolicy()).isEqualTo("Always");
    assertThat(pod.getImagePullSecrets()).extracting(s -> s.getName()).containsExactly("regcred");
    ServiceAccount sa = Manifests.one(objects, ServiceAccount.class);
    assertThat(sa.getMetadata().getAnnotations())
        .containsEntry(
            "eks.amazonaws.com/role-arn", "arn:aws:iam::111122223333:role/grafana-token-operator");
    assertThat(envValues(c)).containsEntry("AWS_REGION", "eu-west-1");
    assertThat(pod.getVolumes())
        .extracting(v -> v.getName())
        .containsExactly("tmp", "yc-workload-identity");
    assertThat(c.getVolumeMounts())
        .extracting(m -> m.getMountPath())
        .containsExactly("/tmp", "/var/run/secrets/tokens");
    assertThat(c.getResources().getLimits().get("memory").toString()).isEqualTo("768Mi");
    assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
    assertThat(pod.getTolerations()).extracting(t -> t.getKey()).containsExactly("dedicated");
    assertThat(pod.getAffinity().getNodeAffinity()).as("affinity as given").isNotNull();
    assertThat(pod.getAffinity().getPodAntiAffinity())
        .as("the default spread is replaced")
        .isNull();
    assertThat(pod.getPriorityClassName()).isEqualTo("system-cluster-critical");
    assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("example.com/team", "platform")
        .containsEntry("prometheus.io/scrape", "true");
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("example.com/cost-center", "42")
        .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(20001L);
  }

  static Stream<Arguments> refusedValues() {
    return Stream.of(
        // values.schema.json
        Arguments.of("logFormat: yaml\n", "logFormat"),
        Arguments.of("logLevel: verbose\n", "logLevel"),
        Arguments.of("replicas: two\n", "replicas"),
        Arguments.of("replicas: 0\n", "replicas"),
        Arguments.of("replica: 2\n", "replica"),
        Arguments.of("watchNamespaces: team-a\n", "watchNamespaces"),
        Arguments.of("watchNamespaces: [Team_A]\n", "watchNamespaces"),
        Arguments.of("leaderElection: \"yes\"\n", "leaderElection"),
        Arguments.of("httpPort: 70000\n", "httpPort"),
        Arguments.of("tokenCheckInterval: 1d\n", "tokenCheckInterval"),
        Arguments.of("providerTimeout: 30\n", "providerTimeout"),
        Arguments.of("ycIamEndpoint: iam.api.cloud.yandex.net\n", "ycIamEndpoint"),
        Arguments.of("ycWorkloadTokenPath: tokens/yc\n", "ycWorkloadTokenPath"),
        Arguments.of("image: {pullPolicy: Sometimes}\n", "pullPolicy"),
        Arguments.of("serviceAccount: {annotation: {}}\n", "annotation"),
        Arguments.of("extraEnv: [{value: x}]\n", "name"),
        Arguments.of("proxy: {https: \"proxy.example.com:3128\"}\n", "https"),
        Arguments.of("proxy: {https: \"http://proxy.example.com\"}\n", "https"),
        Arguments.of("proxy: {https: http://p:1, noProxy: \"a|b\"}\n", "noProxy"),
        Arguments.of("podMonitor: {scrapeTimeout: 10}\n", "scrapeTimeout"),
        Arguments.of("readinessProbe: {periodSeconds: 0}\n", "periodSeconds"),
        Arguments.of("image: {registry: \"https://registry.example.com\"}\n", "registry"),
        // the templates' own refusals
        Arguments.of("extraEnv: [{name: LOG_FORMAT, value: text}]\n", "extraEnv sets LOG_FORMAT"),
        Arguments.of(
            "proxy: {https: http://p:1}\nextraEnv: [{name: JDK_JAVA_OPTIONS, value: x}]\n",
            "extraEnv sets JDK_JAVA_OPTIONS"),
        Arguments.of("leaderElection: false\n", "needs leaderElection"),
        Arguments.of(
            "podMonitor: {enabled: true}\nserviceMonitor: {enabled: true}\n",
            "one of podMonitor and serviceMonitor"),
        Arguments.of("serviceAccount: {create: false}\n", "serviceAccount.name"));
  }

  @ParameterizedTest
  @MethodSource("refusedValues")
  void wrongValuesFailAtInstall(String values, String named) {
    assertThatThrownBy(() -> HelmChart.template(HelmChart.DEFAULTS.with("refused", values)))
        .as("helm template with " + values.strip())
        .hasMessageContaining(named);
  }

  // ---- the chart's README

  private static final Pattern VALUE_ROW =
      Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|\\s*`(.*)`\\s*\\|(.*)\\|\\s*$");

  @Test
  void readmeDocumentsEveryValueWithItsDefault() throws IOException {
    Map<String, String> expected = new LinkedHashMap<>();
    leaves("", YAML.readTree(HelmChart.dir().resolve("values.yaml").toFile()), expected);
    Map<String, String> documented = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    boolean inTable = false;
    for (String line : Manifests.read(HelmChart.DIR + "/README.md").split("\n")) {
      if (line.startsWith("| Key |")) {
        inTable = true;
        continue;
      }
      if (inTable && !line.startsWith("|")) {
        break;
      }
      Matcher m = VALUE_ROW.matcher(line);
      if (inTable && m.matches()) {
        if (documented.put(m.group(1), m.group(2)) != null) {
          problems.add(m.group(1) + " documented twice");
        }
        if (m.group(3).isBlank()) {
          problems.add(m.group(1) + " has no description");
        }
      }
    }
    expected.forEach(
        (key, dflt) -> {
          if (!documented.containsKey(key)) {
            problems.add("missing row: | `" + key + "` | `" + dflt + "` | ... |");
          } else if (!documented.get(key).equals(dflt)) {
            problems.add(
                key + ": default `" + documented.get(key) + "`, values.yaml has `" + dflt + "`");
          }
        });
    documented.keySet().stream()
        .filter(k -> !expected.containsKey(k))
        .forEach(k -> problems.add(k + " is documented but not in values.yaml"));
    assertThat(problems)
        .as(HelmChart.DIR + "/README.md values table (| Key | Default | Description |)")
        .isEmpty();
  }

  @Test
  void theSchemaDescribesEveryValueAndNothingElse() throws IOException {
    Set<String> values = new TreeSet<>();
    Map<String, String> leaves = new LinkedHashMap<>();
    leaves("", YAML.readTree(HelmChart.dir().resolve("values.yaml").toFile()), leaves);
    values.addAll(leaves.keySet());
    Set<String> described = new TreeSet<>();
    List<String> undescribed = new ArrayList<>();
    schemaKeys(
        "",
        JSON.readTree(HelmChart.dir().resolve("values.schema.json").toFile()),
        described,
        undescribed);
    described.remove("global");
    assertThat(undescribed).as("schema properties without a description").isEmpty();
    // a free-form map (labels, nodeSelector) is one schema key; its default's entries are leaves
    Set<String> valuesUnderSchemaKeys =
        values.stream()
            .map(
                v ->
                    described.stream()
                        .filter(d -> v.equals(d) || v.startsWith(d + "."))
                        .findFirst()
                        .orElse(v))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(described)
        .as("every value of values.yaml is in values.schema.json")
        .containsAll(valuesUnderSchemaKeys);
    assertThat(described)
        .filteredOn(d -> !valuesUnderSchemaKeys.contains(d))
        .as("schema keys without a value: only optional fields of a value (a probe's)")
        .allMatch(d -> values.stream().anyMatch(v -> v.startsWith(parent(d) + ".")))
        .allMatch(d -> d.endsWith("Seconds") || d.endsWith("Threshold"));
  }

  private static String parent(String key) {
    return key.substring(0, Math.max(0, key.lastIndexOf('.')));
  }

  /** Schema properties without nested properties of their own, with a description each. */
  private static void schemaKeys(
      String prefix, JsonNode schema, Set<String> out, List<String> undescribed) {
    for (Map.Entry<String, JsonNode> e : schema.path("properties").properties()) {
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (!e.getValue().has("description")) {
        undescribed.add(key);
      }
      if (e.getValue().has("properties")) {
        schemaKeys(key, e.getValue(), out, undescribed);
      } else {
        out.add(key);
      }
    }
  }

  /** Leaf keys (scalars, lists, empty maps) with their defaults as compact JSON. */
  private static void leaves(String prefix, JsonNode node, Map<String, String> out)
      throws IOException {
    if (node.isObject() && !node.isEmpty()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        leaves(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else {
      out.put(prefix, JSON.writeValueAsString(node));
    }
  }
}
