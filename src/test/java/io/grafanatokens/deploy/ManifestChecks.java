package io.grafanatokens.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.grafanatokens.runtime.OperatorConfig;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The checks every install of the operator must pass, on a list of rendered objects: what {@code
 * kubectl kustomize deploy/...} renders (DeployManifestsTest) and what the Helm chart renders
 * (HelmChartTest). {@code what} names the rendering in failure messages.
 */
final class ManifestChecks {
  static final String IMAGE = "ghcr.io/grafanatokens/grafana-token-operator";

  /** Environment variables of the container that are not operator settings, and why. */
  private static final Map<String, String> NOT_OPERATOR_SETTINGS =
      Map.of(
          "JAVA_TOOL_OPTIONS",
          "read by the JVM itself: heap as a share of the memory limit",
          "JDK_JAVA_OPTIONS",
          "read by the java launcher: the chart's proxy as the JVM's proxy properties");

  private static final Pattern MAX_RAM_PERCENTAGE =
      Pattern.compile("-XX:MaxRAMPercentage=(\\d+(?:\\.\\d+)?)");

  private ManifestChecks() {}

  static Container container(Deployment d) {
    List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).as("containers of the Deployment").hasSize(1);
    return containers.get(0);
  }

  static Map<String, EnvVar> env(Container c) {
    return c.getEnv().stream()
        .collect(
            Collectors.toMap(
                EnvVar::getName,
                e -> e,
                (a, b) -> {
                  throw new AssertionError("env " + a.getName() + " set twice");
                }));
  }

  static Set<String> watchNamespaces(Deployment d) {
    return Arrays.stream(env(container(d)).get("WATCH_NAMESPACES").getValue().split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  static void podIsHardened(String what, List<HasMetadata> objects) {
    Deployment d = Manifests.deployment(objects);
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    PodSecurityContext psc = pod.getSecurityContext();
    assertThat(psc).as(what + ": pod securityContext").isNotNull();
    assertThat(psc.getRunAsNonRoot()).as(what + ": runAsNonRoot").isTrue();
    assertThat(psc.getRunAsUser())
        .as(what + ": runAsUser (numeric, not root)")
        .isNotNull()
        .isPositive();
    assertThat(psc.getSeccompProfile()).as(what + ": seccompProfile").isNotNull();
    assertThat(psc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getHostNetwork()).as(what + ": hostNetwork").isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostPID()).as(what + ": hostPID").isNotEqualTo(Boolean.TRUE);

    Container c = container(d);
    SecurityContext sc = c.getSecurityContext();
    assertThat(sc).as(what + ": container securityContext").isNotNull();
    assertThat(sc.getAllowPrivilegeEscalation()).as(what + ": allowPrivilegeEscalation").isFalse();
    assertThat(sc.getReadOnlyRootFilesystem()).as(what + ": readOnlyRootFilesystem").isTrue();
    assertThat(sc.getPrivileged()).as(what + ": privileged").isNotEqualTo(Boolean.TRUE);
    assertThat(sc.getCapabilities()).as(what + ": capabilities").isNotNull();
    assertThat(sc.getCapabilities().getDrop())
        .as(what + ": capabilities.drop")
        .containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).as(what + ": capabilities.add").isNullOrEmpty();
    assertThat(sc.getRunAsUser())
        .as(what + ": the container keeps the pod's uid")
        .isIn(null, psc.getRunAsUser());

    // a read-only root filesystem: the JVM's /tmp (hsperfdata, temp files) is an emptyDir
    String tmpVolume =
        c.getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals("/tmp"))
            .map(m -> m.getName())
            .findFirst()
            .orElseThrow(() -> new AssertionError(what + ": no volume mounted at /tmp"));
    Volume v =
        pod.getVolumes().stream()
            .filter(x -> x.getName().equals(tmpVolume))
            .findFirst()
            .orElseThrow();
    assertThat(v.getEmptyDir()).as(what + ": /tmp is an emptyDir").isNotNull();

    // the operator needs its API token; the ServiceAccount does not hand one to other pods
    assertThat(pod.getAutomountServiceAccountToken())
        .as(what + ": pod automountServiceAccountToken")
        .isTrue();
    ServiceAccount sa =
        Manifests.all(objects, ServiceAccount.class).stream()
            .filter(
                s ->
                    s.getMetadata().getName().equals(pod.getServiceAccountName())
                        && s.getMetadata().getNamespace().equals(d.getMetadata().getNamespace()))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        what
                            + ": ServiceAccount "
                            + pod.getServiceAccountName()
                            + " is not rendered"));
    assertThat(sa.getAutomountServiceAccountToken())
        .as(what + ": ServiceAccount automountServiceAccountToken")
        .isFalse();
  }

  static void probesResourcesAndJvmFlags(String what, List<HasMetadata> objects) {
    Deployment d = Manifests.deployment(objects);
    Container c = container(d);
    ContainerPort http =
        c.getPorts().stream()
            .filter(p -> "http".equals(p.getName()))
            .findFirst()
            .orElseThrow(() -> new AssertionError(what + ": no container port named http"));
    String httpPortEnv =
        env(c).containsKey("HTTP_PORT") ? env(c).get("HTTP_PORT").getValue() : "8080";
    assertThat(http.getContainerPort())
        .as(what + ": port http = HTTP_PORT")
        .isEqualTo(Integer.parseInt(httpPortEnv))
        .isEqualTo(8080);
    assertProbe(what, c.getLivenessProbe(), "liveness", "/healthz");
    assertProbe(what, c.getReadinessProbe(), "readiness", "/readyz");
    if (c.getStartupProbe() != null) {
      assertProbe(what, c.getStartupProbe(), "startup", "/healthz");
    }

    Map<String, Quantity> requests = c.getResources().getRequests();
    Map<String, Quantity> limits = c.getResources().getLimits();
    assertThat(requests).as(what + ": resource requests").containsKeys("cpu", "memory");
    assertThat(limits).as(what + ": resource limits").containsKey("memory");
    assertThat(Quantity.getAmountInBytes(limits.get("memory")))
        .as(what + ": memory limit >= request")
        .isGreaterThanOrEqualTo(Quantity.getAmountInBytes(requests.get("memory")));

    String jvm =
        env(c).get("JAVA_TOOL_OPTIONS") == null ? null : env(c).get("JAVA_TOOL_OPTIONS").getValue();
    assertThat(jvm)
        .as(what + ": JAVA_TOOL_OPTIONS")
        .isNotNull()
        .doesNotContain("-Xmx")
        .doesNotContain("-XX:MaxRAM=");
    Matcher m = MAX_RAM_PERCENTAGE.matcher(jvm);
    assertThat(m.find()).as(what + ": -XX:MaxRAMPercentage in " + jvm).isTrue();
    assertThat(Double.parseDouble(m.group(1)))
        .as(what + ": heap share of the limit, leaving room for metaspace and threads")
        .isBetween(25.0, 75.0);
    assertThat(jvm)
        .as(what + ": JVM flags of the image and the Deployment agree")
        .isEqualTo(dockerfileEnv("JAVA_TOOL_OPTIONS"));
  }

  private static void assertProbe(String what, Probe p, String kind, String path) {
    assertThat(p).as(what + ": " + kind + " probe").isNotNull();
    assertThat(p.getHttpGet()).as(what + ": " + kind + " probe httpGet").isNotNull();
    assertThat(p.getHttpGet().getPath()).as(what + ": " + kind + " probe path").isEqualTo(path);
    assertThat(p.getHttpGet().getPort().getStrVal())
        .as(what + ": " + kind + " probe port (named)")
        .isEqualTo("http");
  }

  /**
   * Names of the README's configuration table: OperatorConfig.OPTIONS and what logback.xml reads.
   */
  static Set<String> operatorSettings() {
    return DeployReadmeTest.expectedRows().keySet();
  }

  static void environmentHoldsOnlyOperatorSettingsWithValidValues(
      String what, List<HasMetadata> objects) {
    Deployment d = Manifests.deployment(objects);
    Map<String, EnvVar> env = env(container(d));
    Set<String> known = operatorSettings();
    assertThat(env.keySet())
        .as(what + ": env names: the README's settings or " + NOT_OPERATOR_SETTINGS.keySet())
        .allMatch(n -> known.contains(n) || NOT_OPERATOR_SETTINGS.containsKey(n));

    EnvVar ns = env.get("OPERATOR_NAMESPACE");
    assertThat(ns).as(what + ": OPERATOR_NAMESPACE").isNotNull();
    assertThat(ns.getValueFrom().getFieldRef().getFieldPath())
        .as(what + ": OPERATOR_NAMESPACE from the downward API")
        .isEqualTo("metadata.namespace");
    assertThat(env.get("LEADER_ELECTION").getValue()).isEqualTo("true");
    assertThat(env.get("LOG_FORMAT").getValue()).isEqualTo("json");
    assertThat(d.getSpec().getReplicas())
        .as(what + ": replicas (leader election makes two safe)")
        .isEqualTo(2);

    // the values parse: a bad one would stop the operator at startup
    Map<String, String> values = new HashMap<>(RbacCoverageTest.operatorEnv(d));
    assertThatCode(() -> OperatorConfig.from(values)).as(what).doesNotThrowAnyException();
  }

  static void imagePodLabelsAndDisruptionBudget(String what, List<HasMetadata> objects) {
    Deployment d = Manifests.deployment(objects);
    String image = container(d).getImage();
    assertThat(image).as(what + ": image").startsWith(IMAGE + ":").doesNotEndWith(":latest");
    Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
    assertThat(podLabels)
        .as(what + ": pod labels match the selector")
        .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
    PodDisruptionBudget pdb = Manifests.one(objects, PodDisruptionBudget.class);
    assertThat(podLabels)
        .as(what + ": the PodDisruptionBudget selects the pods")
        .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isLessThan(d.getSpec().getReplicas());
  }

  static void namespacedInstallHasNoClusterWidePermissionAndARolePerWatchedNamespace(
      String what, List<HasMetadata> objects) {
    assertThat(Manifests.all(objects, ClusterRole.class))
        .as(what + ": ClusterRoles other than the tenants'")
        .filteredOn(r -> !forTenants(r))
        .isEmpty();
    assertThat(Manifests.all(objects, ClusterRoleBinding.class))
        .as(what + ": ClusterRoleBindings")
        .isEmpty();
    Deployment d = Manifests.deployment(objects);
    Set<String> watched = watchNamespaces(d);
    String operatorNs = d.getMetadata().getNamespace();
    Set<String> bound =
        Manifests.all(objects, RoleBinding.class).stream()
            .map(b -> b.getMetadata().getNamespace())
            .filter(ns -> !ns.equals(operatorNs) || watched.contains(ns))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(bound)
        .as(what + ": namespaces with a RoleBinding = WATCH_NAMESPACES")
        .isEqualTo(watched)
        .isNotEmpty();
    for (Role r : Manifests.all(objects, Role.class)) {
      assertThat(r.getRules())
          .as(what + ": Role " + r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
          .flatMap(PolicyRule::getResources)
          .doesNotContain("namespaces");
    }
  }

  static void clusterInstallWatchesAllNamespacesWithOneClusterRole(
      String what, List<HasMetadata> objects) {
    Deployment d = Manifests.deployment(objects);
    assertThat(env(container(d)).get("WATCH_NAMESPACES").getValue())
        .as(what + ": WATCH_NAMESPACES")
        .isEmpty();
    assertThat(Manifests.all(objects, ClusterRole.class))
        .as(what + ": ClusterRoles other than the tenants'")
        .filteredOn(r -> !forTenants(r))
        .hasSize(1);
    // Roles only for the Lease, in the operator's namespace
    String operatorNs = d.getMetadata().getNamespace();
    assertThat(Manifests.all(objects, Role.class))
        .allSatisfy(
            r -> {
              assertThat(r.getMetadata().getNamespace())
                  .as(what + ": Role namespace")
                  .isEqualTo(operatorNs);
              assertThat(r.getRules()).flatMap(PolicyRule::getResources).containsOnly("leases");
            });
  }

  /**
   * The ClusterRoles that give tenants access through the built-in roles (tenant-roles.yaml): the
   * operator is bound to none of them.
   */
  static boolean forTenants(ClusterRole r) {
    return r.getMetadata().getName().matches(".*-(view|edit|cluster-view)$");
  }

  /**
   * What tenants get: view reads tokens and namespaced connections (aggregated into view, edit and
   * admin), edit writes them (into edit and admin), never their status; ClusterGrafanaConnections
   * only through -cluster-view, aggregated into no built-in role.
   */
  static void tenantsGetAccessThroughTheBuiltInRoles(String what, List<HasMetadata> objects) {
    List<ClusterRole> tenant =
        Manifests.all(objects, ClusterRole.class).stream()
            .filter(ManifestChecks::forTenants)
            .toList();
    assertThat(tenant).as(what + ": the tenants' ClusterRoles").hasSize(3);
    for (ClusterRole r : tenant) {
      String n = r.getMetadata().getName();
      Map<String, String> labels = r.getMetadata().getLabels();
      Set<String> aggregatedTo =
          labels.entrySet().stream()
              .filter(
                  e ->
                      e.getKey().startsWith("rbac.authorization.k8s.io/aggregate-to-")
                          && "true".equals(e.getValue()))
              .map(e -> e.getKey().substring("rbac.authorization.k8s.io/aggregate-to-".length()))
              .collect(Collectors.toCollection(TreeSet::new));
      assertThat(r.getRules())
          .as(what + ": " + n + " rules")
          .allSatisfy(
              rule -> {
                assertThat(rule.getApiGroups()).containsExactly("grafanatokens.io");
                assertThat(rule.getResources())
                    .as("never the status, the operator's record")
                    .noneMatch(x -> x.contains("/"));
              });
      Set<String> resources =
          r.getRules().stream()
              .flatMap(x -> x.getResources().stream())
              .collect(Collectors.toCollection(TreeSet::new));
      Set<String> verbs =
          r.getRules().stream()
              .flatMap(x -> x.getVerbs().stream())
              .collect(Collectors.toCollection(TreeSet::new));
      if (n.endsWith("-cluster-view")) {
        assertThat(aggregatedTo)
            .as(what + ": " + n + " is aggregated into no built-in role")
            .isEmpty();
        assertThat(resources).containsExactly("clustergrafanaconnections");
        assertThat(verbs).containsExactlyInAnyOrder("get", "list", "watch");
      } else if (n.endsWith("-view")) {
        assertThat(aggregatedTo)
            .as(what + ": " + n)
            .containsExactlyInAnyOrder("view", "edit", "admin");
        assertThat(resources)
            .containsExactlyInAnyOrder("grafanaserviceaccounttokens", "grafanaconnections");
        assertThat(verbs).containsExactlyInAnyOrder("get", "list", "watch");
      } else {
        assertThat(aggregatedTo).as(what + ": " + n).containsExactlyInAnyOrder("edit", "admin");
        assertThat(resources)
            .containsExactlyInAnyOrder("grafanaserviceaccounttokens", "grafanaconnections");
        assertThat(verbs)
            .containsExactlyInAnyOrder("create", "delete", "deletecollection", "patch", "update");
      }
    }
    assertThat(Manifests.all(objects, ClusterRoleBinding.class))
        .as(what + ": no binding of the tenants' roles")
        .noneMatch(
            b ->
                tenant.stream()
                    .anyMatch(r -> r.getMetadata().getName().equals(b.getRoleRef().getName())));
  }

  static Dockerfile dockerfile() {
    return Dockerfile.parse(Manifests.read("Dockerfile"));
  }

  static String dockerfileEnv(String name) {
    Pattern p = Pattern.compile("^" + name + "=\"?(.*?)\"?$");
    return dockerfile().last().args("ENV").stream()
        .map(p::matcher)
        .filter(Matcher::matches)
        .map(x -> x.group(1))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the runtime stage sets no " + name));
  }
}
