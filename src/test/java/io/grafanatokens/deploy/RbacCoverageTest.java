package io.grafanatokens.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.fakes.grafana.MutableClock;
import io.grafanatokens.runtime.OperatorRuntime;
import io.grafanatokens.testing.ApiServerDispatcher.Call;
import io.grafanatokens.testing.ApiServerDispatcher.FaultMode;
import io.grafanatokens.testing.EmbeddedCluster;
import io.grafanatokens.testing.LogCapture;
import io.grafanatokens.testing.Resources;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keeps deploy/ RBAC honest: the real operator, configured with the rendered Deployment's
 * environment, lives a representative life against the mock API server while that server enforces
 * the rendered RBAC (a call it does not grant is answered 403, as a real API server would). Then
 * every call the operator made must be granted, and every granted verb must have been used.
 */
class RbacCoverageTest {
  /** OperatorRuntime's Lease (docs/reference.md#running-the-operator). */
  private static final String LEASE_NAME = "grafana-token-operator";

  /** Calls that need no grant from deploy/, and why. */
  private static final Map<String, String> NEEDS_NO_GRANT =
      Map.of(
          "create authorization.k8s.io/selfsubjectrulesreviews",
          "JOSDK's leader election checks its Lease permissions first; the built-in ClusterRole system:basic-user"
              + " lets every authenticated user create SelfSubjectRulesReviews");

  /**
   * Granted verbs the mock API cannot make the operator use, and why a real cluster needs them.
   * Keyed by "verb group/resource".
   */
  private static final Map<String, String> NEEDED_BUT_NOT_EXERCISED =
      Map.of(
          "update coordination.k8s.io/leases",
          "fabric8's LeaderElector renews with patch, but JOSDK refuses to start leader election unless a"
              + " SelfSubjectRulesReview shows create, get and update on the Lease (the mock answers that review"
              + " with '*', so josdkLeaseCheck() below evaluates the rendered rules the way JOSDK does)");

  /**
   * JOSDK 5.3 LeaderElectionManager.checkLeaseAccess: these verbs on leases, unnamed or the lease's
   * name.
   */
  private static final Set<String> JOSDK_LEASE_VERBS = Set.of("create", "get", "update");

  private EmbeddedCluster cluster;
  private OperatorRuntime standby;
  private final List<Call> denied = new CopyOnWriteArrayList<>();
  private LogCapture logs;

  @BeforeEach
  void captureLogs() {
    logs = LogCapture.install();
  }

  @AfterEach
  void stop() {
    try {
      if (standby != null) {
        standby.close();
      }
      if (cluster != null) {
        cluster.close();
      }
      assertThat(logs.lines())
          .as("log lines holding a key")
          .noneMatch(l -> Lifecycle.KEY.matcher(l).find());
    } finally {
      logs.close();
    }
  }

  @Test
  void clusterWideInstallGrantsExactlyWhatTheOperatorCalls() {
    clusterWide("deploy/", Manifests.render("deploy"));
  }

  /** The Helm chart's defaults: HelmChartTest shows they equal deploy/'s; this shows they work. */
  @Test
  void helmChartDefaultInstallGrantsExactlyWhatTheOperatorCalls() {
    clusterWide(HelmChart.DEFAULTS.what(), HelmChart.render(HelmChart.DEFAULTS));
  }

  private void clusterWide(String what, List<HasMetadata> rendered) {
    Rbac rbac = rbacOf(rendered);
    Map<String, String> env = operatorEnv(Manifests.deployment(rendered));
    assertThat(env.get("WATCH_NAMESPACES")).as(what + " watches every namespace").isEmpty();

    run(
        rbac,
        env,
        List.of("team-a", "team-b"),
        Map.of(),
        (c, sa) -> {},
        (c, sa) -> {
          Lifecycle.throughAClusterConnection(c, env.get("OPERATOR_NAMESPACE"), "team-a", sa);
          Lifecycle.terminatingNamespace(c, (MutableClock) c.clock(), "doomed", sa);
        });
  }

  @Test
  void namespacedInstallGrantsExactlyWhatTheOperatorCallsInItsNamespaces() {
    List<HasMetadata> rendered = Manifests.render("deploy/namespaced");
    Rbac rbac = rbacOf(rendered);
    Map<String, String> env = operatorEnv(Manifests.deployment(rendered));
    List<String> watched =
        Arrays.stream(env.get("WATCH_NAMESPACES").split(",")).map(String::trim).toList();
    assertThat(watched).as("deploy/namespaced WATCH_NAMESPACES").isNotEmpty();

    // without a cluster-wide grant the Namespace cannot be read: before an issue and when a
    // revocation on delete fails (deleteAfterFailedRevocation) the operator asks, takes the 403 as
    // "not known to be terminating" and carries on (docs/reference.md#delete: the write's 403
    // "being
    // terminated" is the signal there)
    Map<String, String> deniedByDesign =
        Map.of(
            "get /namespaces",
            "the namespaced install has no cluster-wide permission; docs/reference.md#delete names the 403"
                + " 'being terminated' of a write as the only terminating-namespace signal there");
    run(
        rbac,
        env,
        watched,
        deniedByDesign,
        (c, sa) -> {
          // a resource outside the watched namespaces, there for the whole run: not the operator's
          // business
          c.namespaceWithGrafanaAdmin("team-c");
          c.client()
              .resource(Resources.grafanaToken("team-c", "elsewhere", c.grafana().baseUrl(), sa))
              .create();
        },
        (c, sa) -> {
          new Lifecycle(c, watched.get(0), sa).deleteAfterFailedRevocation();
          Lifecycle.terminatingNamespaceSeenOnlyFromWrites(
              c, (MutableClock) c.clock(), watched.get(1), sa);
        });
    assertThat(cluster.api().operatorCalls())
        .as("calls into a namespace not watched")
        .noneMatch(c -> c.namespace().equals("team-c"));
    assertThat(
            cluster
                .client()
                .resources(GrafanaServiceAccountToken.class)
                .inNamespace("team-c")
                .withName("elsewhere")
                .get()
                .getStatus())
        .as("status of a resource in a namespace not watched")
        .isNull();
    assertThat(denied)
        .as("the Namespace reads were refused and the lifecycle still completed")
        .anyMatch(c -> key(c).equals("get /namespaces"));
  }

  /** Steps before or after the per-namespace lifecycles. */
  private interface Extra {
    void run(EmbeddedCluster cluster, long serviceAccountId);
  }

  private void run(
      Rbac rbac,
      Map<String, String> env,
      List<String> namespaces,
      Map<String, String> deniedByDesign,
      Extra before,
      Extra after) {
    MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    cluster = EmbeddedCluster.create(clock, env);
    // the mock API server enforces the rendered RBAC on the operator's own client
    cluster
        .api()
        .failNext(
            c -> {
              boolean refuse =
                  c.byOperator() && !NEEDS_NO_GRANT.containsKey(key(c)) && !rbac.allows(c);
              if (refuse) {
                denied.add(c);
              }
              return refuse;
            },
            FaultMode.REFUSE,
            403,
            "forbidden by the rendered RBAC (RbacCoverageTest)",
            Integer.MAX_VALUE);
    namespaces.forEach(cluster::namespaceWithGrafanaAdmin);
    long sa = cluster.grafana().createServiceAccount(1, "ci-bot", "Viewer");
    before.run(cluster, sa);

    cluster.startOperator();
    await().atMost(Lifecycle.WAIT).until(() -> cluster.runtime().isLeader());
    // a second replica: a standby that reads the Lease and waits
    standby = cluster.newOperator("standby", Map.of());
    standby.start();
    try {
      CompletableFuture.allOf(
              namespaces.stream()
                  .map(ns -> CompletableFuture.runAsync(() -> new Lifecycle(cluster, ns, sa).run()))
                  .toArray(CompletableFuture[]::new))
          .join();
      after.run(cluster, sa);
      assertThat(standby.isLeader()).isFalse();
    } catch (Throwable t) {
      Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
      List<Call> refused =
          denied.stream().filter(c -> !deniedByDesign.containsKey(key(c))).toList();
      if (!refused.isEmpty()) {
        throw new AssertionError(
            "the lifecycle failed after the RBAC of the rendered manifests refused "
                + describe(refused),
            cause);
      }
      throw cause instanceof AssertionError a ? a : new AssertionError(cause);
    }

    List<Call> calls = cluster.api().operatorCalls();
    summary(calls);
    List<String> problems = new ArrayList<>();

    // 1. every call granted
    Map<String, List<Call>> notGranted =
        calls.stream()
            .filter(
                c ->
                    !NEEDS_NO_GRANT.containsKey(key(c))
                        && !deniedByDesign.containsKey(key(c))
                        && !rbac.allows(c))
            .collect(
                Collectors.groupingBy(
                    RbacCoverageTest::describe, TreeMap::new, Collectors.toList()));
    notGranted.forEach(
        (call, list) ->
            problems.add("not granted: the operator called " + call + " (" + list.size() + "x)"));

    // 2. every granted verb used
    for (Rbac.Grant g : rbac.grants()) {
      String k = g.verb() + " " + g.group() + "/" + g.resource();
      if (calls.stream().noneMatch(g::matches) && !NEEDED_BUT_NOT_EXERCISED.containsKey(k)) {
        problems.add(
            "never used: " + g + " grants a verb the operator did not call in the lifecycle");
      }
    }

    // 2b. the verb JOSDK checks for but never calls is granted the way it checks
    problems.addAll(josdkLeaseCheck(rbac, env.get("OPERATOR_NAMESPACE")));

    // 3. rules limited to resourceNames: the operator's objects carry those names
    for (Rbac.Grant g : rbac.grants()) {
      if (!g.resourceNames().isEmpty()) {
        Set<String> names = namedObjects(g);
        if (!g.resourceNames().containsAll(names)) {
          problems.add(
              g
                  + " is limited to "
                  + g.resourceNames()
                  + " but the operator's objects are "
                  + names);
        }
      }
    }
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems));
    }
  }

  /** What JOSDK's start-up check of the leader-election permissions would miss, if anything. */
  private static List<String> josdkLeaseCheck(Rbac rbac, String leaseNamespace) {
    Set<String> verbs =
        rbac.grants().stream()
            .filter(g -> g.group().equals("coordination.k8s.io") && g.resource().equals("leases"))
            .filter(g -> g.namespace() == null || g.namespace().equals(leaseNamespace))
            .filter(g -> g.resourceNames().isEmpty() || g.resourceNames().contains(LEASE_NAME))
            .map(Rbac.Grant::verb)
            .collect(Collectors.toSet());
    return verbs.containsAll(JOSDK_LEASE_VERBS)
        ? List.of()
        : List.of(
            "JOSDK's leader election would refuse to start: leases in "
                + leaseNamespace
                + " grant "
                + verbs
                + ", it checks for "
                + JOSDK_LEASE_VERBS);
  }

  private Set<String> namedObjects(Rbac.Grant g) {
    if (g.group().equals("coordination.k8s.io") && g.resource().equals("leases")) {
      return cluster.client().leases().inNamespace(g.namespace()).list().getItems().stream()
          .map(Lease::getMetadata)
          .map(m -> m.getName())
          .collect(Collectors.toCollection(LinkedHashSet::new));
    }
    throw new AssertionError(
        g
            + ": teach RbacCoverageTest to list the objects of "
            + g.resource()
            + " to check their names");
  }

  private static Rbac rbacOf(List<HasMetadata> rendered) {
    Deployment d = Manifests.deployment(rendered);
    return Rbac.of(
        rendered,
        d.getMetadata().getNamespace(),
        d.getSpec().getTemplate().getSpec().getServiceAccountName());
  }

  /**
   * The operator's environment as the rendered Deployment sets it (downward API values resolved),
   * for a test JVM: any free HTTP port, no liveness sweep and short provider timeouts.
   */
  static Map<String, String> operatorEnv(Deployment d) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar v : d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (v.getValue() != null) {
        env.put(v.getName(), v.getValue());
      } else if (v.getValueFrom() != null
          && v.getValueFrom().getFieldRef() != null
          && "metadata.namespace".equals(v.getValueFrom().getFieldRef().getFieldPath())) {
        env.put(v.getName(), d.getMetadata().getNamespace());
      }
    }
    env.remove("JAVA_TOOL_OPTIONS");
    env.put("HTTP_PORT", "0");
    env.put("TOKEN_CHECK_INTERVAL", "0");
    env.put("PROVIDER_TIMEOUT", "2s");
    return env;
  }

  private static String key(Call c) {
    return c.verb() + " " + c.group() + "/" + c.resource();
  }

  private static String describe(Call c) {
    return "'"
        + c.verb()
        + " "
        + (c.group().isEmpty() ? "" : c.group() + "/")
        + c.resource()
        + "'"
        + (c.namespace().isEmpty() ? " (cluster scope)" : " in namespace " + c.namespace());
  }

  private static String describe(List<Call> calls) {
    return calls.stream()
        .map(RbacCoverageTest::describe)
        .distinct()
        .collect(Collectors.joining(", "));
  }

  /** One line per distinct call: what the lifecycle exercised (no key material in it). */
  private static void summary(List<Call> calls) {
    Map<String, Long> counts =
        calls.stream()
            .collect(
                Collectors.groupingBy(
                    RbacCoverageTest::describe, LinkedHashMap::new, Collectors.counting()));
    System.out.println("operator API calls: " + new TreeMap<>(counts));
  }
}
