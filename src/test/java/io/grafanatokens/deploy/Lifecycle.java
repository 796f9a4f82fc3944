package io.grafanatokens.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.grafanatokens.api.v1alpha1.ClusterGrafanaConnection;
import io.grafanatokens.api.v1alpha1.ClusterGrafanaConnectionSpec;
import io.grafanatokens.api.v1alpha1.ConnectionRef;
import io.grafanatokens.api.v1alpha1.CredentialsSecretRef;
import io.grafanatokens.api.v1alpha1.GrafanaConnection;
import io.grafanatokens.api.v1alpha1.GrafanaConnectionSpec;
import io.grafanatokens.api.v1alpha1.GrafanaConnectionStatus;
import io.grafanatokens.api.v1alpha1.GrafanaProvider;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.api.v1alpha1.RestartTarget;
import io.grafanatokens.api.v1alpha1.SecretTemplate;
import io.grafanatokens.api.v1alpha1.TokenServiceAccount;
import io.grafanatokens.fakes.grafana.Fault;
import io.grafanatokens.fakes.grafana.MutableClock;
import io.grafanatokens.fakes.grafana.Operation;
import io.grafanatokens.secret.SecretAnnotations;
import io.grafanatokens.status.StatusBuilder;
import io.grafanatokens.testing.ApiServerDispatcher.FaultMode;
import io.grafanatokens.testing.EmbeddedCluster;
import io.grafanatokens.testing.Resources;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A representative life of the operator in one namespace, driven through the API as a user would:
 * issue (after a conflicting finalizer patch), rotation on request with at-once revocation, restart
 * targets (a Deployment, a StatefulSet and a DaemonSet present, a StatefulSet missing), Secret
 * metadata and name changes, a deleted Secret, delete with Revoke (optionally after a failed
 * revocation) and with Retain. Asserts the outcome of each step, so that a call the RBAC refused
 * shows up as a step that did not happen.
 */
final class Lifecycle {
  static final Duration WAIT = Duration.ofSeconds(20);

  /** A Grafana service-account key as the fake mints them (LifecycleTestBase.KEY). */
  static final java.util.regex.Pattern KEY =
      java.util.regex.Pattern.compile("glsa_[0-9A-Za-z]{32}_[0-9a-f]{8}");

  private static final Duration POLL = Duration.ofMillis(50);

  private final EmbeddedCluster cluster;
  private final KubernetesClient client;
  private final String ns;
  private final long serviceAccountId;
  private int nudges;

  Lifecycle(EmbeddedCluster cluster, String namespace, long serviceAccountId) {
    this.cluster = cluster;
    this.client = cluster.client();
    this.ns = namespace;
    this.serviceAccountId = serviceAccountId;
  }

  void run() {
    workloads();
    // someone else changes the resource between the operator's read and its finalizer patch: a
    // real API server answers 409 and JOSDK reads the resource again (get) before retrying
    cluster
        .api()
        .failNext(
            c ->
                c.byOperator()
                    && c.verb().equals("patch")
                    && c.resource().equals("grafanaserviceaccounttokens")
                    && c.namespace().equals(ns),
            FaultMode.REFUSE,
            409,
            "Operation cannot be fulfilled: the object has been modified",
            1);
    GrafanaServiceAccountToken r = token("life");
    r.getSpec().setTokenName(ns + "-life");
    r.getSpec().setSecondsToLive(3600L);
    r.getSpec().setRotation(Resources.rotation("20m", "0s"));
    r.getSpec()
        .setRestartTargets(
            List.of(
                target("Deployment", "app"),
                target("StatefulSet", "missing"),
                target("StatefulSet", "db"),
                target("DaemonSet", "agent")));
    client.resource(r).create();
    awaitReady("life", "Issued");
    String first = tokenId(awaitSecret("life"));
    // owner references with blockOwnerDeletion=true would need update on
    // grafanaserviceaccounttokens/finalizers (admission plugin
    // OwnerReferencesPermissionEnforcement)
    assertThat(secret("life").getMetadata().getOwnerReferences())
        .as("the Secret's owner reference")
        .isNotEmpty()
        .noneMatch(o -> Boolean.TRUE.equals(o.getBlockOwnerDeletion()));
    assertThat(restartedAt(deployment("app"))).as("no restart on the first issue").isNull();

    // rotation on request; gracePeriod 0s revokes the previous token at once
    edit("life", x -> annotate(x, SecretAnnotations.ROTATE, "1"));
    String second = tokenId(awaitNewToken("life", first));
    awaitReady("life", "Rotated");
    await().atMost(WAIT).pollInterval(POLL).until(() -> revoked(first));
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .until(
            () ->
                restartedAt(deployment("app")) != null
                    && restartedAt(statefulSet("db")) != null
                    && restartedAt(daemonSet("agent")) != null);
    await().atMost(WAIT).pollInterval(POLL).until(() -> !events("RestartTargetNotFound").isEmpty());

    // Secret metadata: patched, no new token
    edit(
        "life",
        x -> {
          SecretTemplate t = new SecretTemplate();
          t.setLabels(Map.of("tier", "dashboards"));
          x.getSpec().setSecret(t);
          return x;
        });
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .until(() -> "dashboards".equals(labels(secret("life")).get("tier")));
    assertThat(tokenId(secret("life"))).isEqualTo(second);

    // secret.name: the current key moves to a new Secret, the old one is deleted
    edit(
        "life",
        x -> {
          x.getSpec().getSecret().setName("life-moved");
          return x;
        });
    assertThat(tokenId(awaitSecret("life-moved"))).isEqualTo(second);
    await().atMost(WAIT).pollInterval(POLL).until(() -> secret("life") == null);

    // a deleted Secret is re-issued
    client.resource(secret("life-moved")).delete();
    String third = tokenId(awaitNewToken("life-moved", second));
    awaitStatusToken("life", third);

    // delete with Revoke
    client.resource(get("life")).delete();
    await().atMost(WAIT).pollInterval(POLL).until(() -> get("life") == null);
    assertThat(revoked(third)).as("current token revoked on delete").isTrue();
    assertThat(secret("life-moved")).isNull();

    // delete with Retain: the Secret stays, released
    GrafanaServiceAccountToken kept = token("kept");
    kept.getSpec().setTokenName(ns + "-kept");
    kept.getSpec().setDeletionPolicy("Retain");
    client.resource(kept).create();
    awaitReady("kept", "Issued");
    String keptToken = tokenId(secret("kept"));
    client.resource(get("kept")).delete();
    await().atMost(WAIT).pollInterval(POLL).until(() -> get("kept") == null);
    assertThat(secret("kept").getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(revoked(keptToken)).as("Retain keeps the key valid").isFalse();

    throughANamespacedConnection();
  }

  /**
   * A delete whose first revocation fails (5xx): the finalizer asks whether the namespace is
   * terminating, keeps the resource and retries (its backoff starts at 2 s). Run it alone: the fake
   * Grafana's fault hits the next revocation of any resource.
   */
  void deleteAfterFailedRevocation() {
    GrafanaServiceAccountToken r = token("retried");
    r.getSpec().setTokenName(ns + "-retried");
    client.resource(r).create();
    awaitReady("retried", "Issued");
    String id = tokenId(secret("retried"));
    cluster.grafana().failNext(Operation.DELETE_TOKEN, Fault.HTTP_500, 1);
    client.resource(get("retried")).delete();
    await().atMost(WAIT).pollInterval(POLL).until(() -> !events("ProviderError").isEmpty());
    await().atMost(WAIT).pollInterval(POLL).until(() -> get("retried") == null);
    assertThat(revoked(id)).as("revoked on the retry").isTrue();
  }

  /**
   * The namespace goes while a resource in it is deleted, its credentials with it: the finalizer
   * asks for the Namespace and gives up two minutes after the deletion timestamp.
   */
  static void terminatingNamespace(
      EmbeddedCluster cluster, MutableClock clock, String ns, long serviceAccountId) {
    Lifecycle l = new Lifecycle(cluster, ns, serviceAccountId);
    KubernetesClient client = cluster.client();
    cluster.namespaceWithGrafanaAdmin(ns);
    GrafanaServiceAccountToken r = l.token("orphan");
    r.getSpec().setTokenName(ns + "-orphan");
    client.resource(r).create();
    l.awaitStatusToken("orphan", tokenId(l.awaitSecret("orphan")));
    Resources.markTerminating(client, ns);
    client.secrets().inNamespace(ns).withName(EmbeddedCluster.CREDENTIALS_SECRET).delete();
    // past the few seconds a credentials Secret is shared for between passes
    clock.advance(Duration.ofSeconds(11));
    client.resource(l.get("orphan")).delete();
    await().atMost(WAIT).pollInterval(POLL).until(() -> !l.events("CredentialsNotFound").isEmpty());
    clock.advance(Duration.ofMinutes(3));
    l.nudge("orphan");
    await().atMost(WAIT).pollInterval(POLL).until(() -> l.get("orphan") == null);
  }

  /**
   * The same where the operator may not read Namespaces (namespaced Roles): the only sign of a
   * terminating namespace is the API server's 403 "being terminated" to a write, which the
   * finalizer provokes with a dry-run Event when a revocation cannot be made.
   */
  static void terminatingNamespaceSeenOnlyFromWrites(
      EmbeddedCluster cluster, MutableClock clock, String ns, long serviceAccountId) {
    Lifecycle l = new Lifecycle(cluster, ns, serviceAccountId);
    KubernetesClient client = cluster.client();
    GrafanaServiceAccountToken r = l.token("last");
    r.getSpec().setTokenName(ns + "-last");
    client.resource(r).create();
    l.awaitStatusToken("last", tokenId(l.awaitSecret("last")));
    cluster.api().terminating(ns);
    client.secrets().inNamespace(ns).withName(EmbeddedCluster.CREDENTIALS_SECRET).delete();
    clock.advance(Duration.ofSeconds(11));
    client.resource(l.get("last")).delete();
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .until(
            () ->
                l.get("last").getStatus().getConditions().stream()
                    .anyMatch(c -> "Deleting".equals(c.getReason())));
    clock.advance(Duration.ofMinutes(3));
    l.nudge("last");
    await().atMost(WAIT).pollInterval(POLL).until(() -> l.get("last") == null);
  }

  /**
   * A token through a GrafanaConnection of its namespace: issued with the connection's credential,
   * the connection's status counts it, and deleting the token revokes it.
   */
  void throughANamespacedConnection() {
    GrafanaConnection conn = new GrafanaConnection();
    conn.setMetadata(new ObjectMetaBuilder().withName("shared").withNamespace(ns).build());
    conn.setSpec(grafanaBlock(new GrafanaConnectionSpec()));
    client.resource(conn).create();
    tokenThrough("via", null, "shared");
    awaitConnectionCounts(
        () -> client.resources(GrafanaConnection.class).inNamespace(ns).withName("shared").get());
    deleteTokenThroughConnection("via");
  }

  /**
   * The same through a ClusterGrafanaConnection whose credential lives in the operator's namespace.
   */
  static void throughAClusterConnection(
      EmbeddedCluster cluster, String operatorNamespace, String ns, long serviceAccountId) {
    Lifecycle l = new Lifecycle(cluster, ns, serviceAccountId);
    cluster.namespaceWithGrafanaAdmin(operatorNamespace);
    ClusterGrafanaConnection conn = new ClusterGrafanaConnection();
    conn.setMetadata(new ObjectMetaBuilder().withName("grafana-" + ns).build());
    conn.setSpec((ClusterGrafanaConnectionSpec) l.grafanaBlock(new ClusterGrafanaConnectionSpec()));
    cluster.client().resource(conn).create();
    // another name than the namespaced phase's token: a finalizer pass JOSDK still runs for a
    // deleted
    // resource patches by name, and on the CRUD mock it could strip a new one of the same name
    l.tokenThrough("via-cluster", ConnectionRef.CLUSTER, "grafana-" + ns);
    l.awaitConnectionCounts(
        () ->
            cluster
                .client()
                .resources(ClusterGrafanaConnection.class)
                .withName("grafana-" + ns)
                .get());
    l.deleteTokenThroughConnection("via-cluster");
  }

  private GrafanaConnectionSpec grafanaBlock(GrafanaConnectionSpec spec) {
    GrafanaProvider g = new GrafanaProvider();
    g.setUrl(cluster.grafana().baseUrl());
    CredentialsSecretRef creds = new CredentialsSecretRef();
    creds.setName(EmbeddedCluster.CREDENTIALS_SECRET);
    g.setCredentialsSecretRef(creds);
    spec.setGrafana(g);
    return spec;
  }

  private void tokenThrough(String name, String kind, String connection) {
    GrafanaServiceAccountToken r = new GrafanaServiceAccountToken();
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    GrafanaServiceAccountTokenSpec spec = new GrafanaServiceAccountTokenSpec();
    spec.setConnectionRef(new ConnectionRef(kind, connection));
    TokenServiceAccount sa = new TokenServiceAccount();
    sa.setId(String.valueOf(serviceAccountId));
    spec.setServiceAccount(sa);
    spec.setTokenName(ns + "-" + name);
    r.setSpec(spec);
    client.resource(r).create();
    awaitReady(name, "Issued");
  }

  private void awaitConnectionCounts(
      java.util.function.Supplier<? extends CustomResource<?, GrafanaConnectionStatus>>
          connection) {
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              GrafanaConnectionStatus st = connection.get().getStatus();
              assertThat(st).as("connection status").isNotNull();
              assertThat(st.getTokens()).as("tokens using the connection").isEqualTo(1);
              assertThat(st.getConditions())
                  .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            });
  }

  private void deleteTokenThroughConnection(String name) {
    String id = tokenId(secret(name));
    client.resource(get(name)).delete();
    await().atMost(WAIT).pollInterval(POLL).until(() -> get(name) == null);
    assertThat(revoked(id)).as("a token through a connection is revoked on delete").isTrue();
  }

  // ---- set-up

  private void workloads() {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("app")
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .withTemplate(podTemplate())
                .endSpec()
                .build())
        .create();
    client
        .apps()
        .statefulSets()
        .inNamespace(ns)
        .resource(
            new StatefulSetBuilder()
                .withNewMetadata()
                .withName("db")
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .withTemplate(podTemplate())
                .endSpec()
                .build())
        .create();
    client
        .apps()
        .daemonSets()
        .inNamespace(ns)
        .resource(
            new DaemonSetBuilder()
                .withNewMetadata()
                .withName("agent")
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .withTemplate(podTemplate())
                .endSpec()
                .build())
        .create();
  }

  private static PodTemplateSpec podTemplate() {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("app:1")
        .endContainer()
        .endSpec()
        .build();
  }

  private static RestartTarget target(String kind, String name) {
    RestartTarget t = new RestartTarget();
    t.setKind(kind);
    t.setName(name);
    return t;
  }

  GrafanaServiceAccountToken token(String name) {
    return Resources.grafanaToken(ns, name, cluster.grafana().baseUrl(), serviceAccountId);
  }

  // ---- the API

  private Resource<GrafanaServiceAccountToken> resource(String name) {
    return client.resources(GrafanaServiceAccountToken.class).inNamespace(ns).withName(name);
  }

  GrafanaServiceAccountToken get(String name) {
    return resource(name).get();
  }

  /** An edit as kubectl does it: on a 409 (the operator wrote in between), read again and retry. */
  void edit(String name, UnaryOperator<GrafanaServiceAccountToken> f) {
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .ignoreExceptionsMatching(
            e -> e instanceof KubernetesClientException k && k.getCode() == 409)
        .until(() -> resource(name).edit(f) != null);
  }

  /** Makes the operator look now (the test clock fires no JOSDK timer). */
  void nudge(String name) {
    edit(name, x -> annotate(x, "test.grafanatokens.io/nudge", String.valueOf(++nudges)));
  }

  private static GrafanaServiceAccountToken annotate(
      GrafanaServiceAccountToken x, String key, String value) {
    Map<String, String> a =
        x.getMetadata().getAnnotations() == null
            ? new HashMap<>()
            : new HashMap<>(x.getMetadata().getAnnotations());
    a.put(key, value);
    x.getMetadata().setAnnotations(a);
    return x;
  }

  Secret secret(String name) {
    return client.secrets().inNamespace(ns).withName(name).get();
  }

  Secret awaitSecret(String name) {
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .until(() -> secret(name) != null && tokenId(secret(name)) != null);
    return secret(name);
  }

  private Secret awaitNewToken(String name, String previous) {
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .until(
            () -> {
              Secret s = secret(name);
              return s != null && tokenId(s) != null && !tokenId(s).equals(previous);
            });
    return secret(name);
  }

  /**
   * Waits until the status records the token the Secret holds: the pass that wrote the Secret has
   * ended. (A delete that lands while that pass is still running can go unseen until JOSDK's
   * maxReconciliationInterval; the tests do not race it.)
   */
  void awaitStatusToken(String name, String tokenId) {
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .until(
            () ->
                get(name) != null
                    && get(name).getStatus() != null
                    && tokenId.equals(get(name).getStatus().getTokenId()));
  }

  GrafanaServiceAccountToken awaitReady(String name, String reason) {
    return awaitCondition(name, StatusBuilder.READY, "True", reason);
  }

  GrafanaServiceAccountToken awaitCondition(
      String name, String type, String status, String reason) {
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              Optional<Condition> c =
                  Optional.ofNullable(get(name))
                      .map(GrafanaServiceAccountToken::getStatus)
                      .flatMap(
                          s ->
                              s.getConditions() == null
                                  ? Optional.empty()
                                  : s.getConditions().stream()
                                      .filter(x -> type.equals(x.getType()))
                                      .findFirst());
              assertThat(c.map(x -> x.getStatus() + "/" + x.getReason()))
                  .as(type + " of " + ns + "/" + name)
                  .contains(status + "/" + reason);
            });
    return get(name);
  }

  private boolean revoked(String tokenId) {
    return cluster.grafana().token(Long.parseLong(tokenId)).map(t -> t.revoked()).orElse(true);
  }

  List<Event> events(String reason) {
    return client.events().v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  private io.fabric8.kubernetes.api.model.ObjectMeta deployment(String name) {
    return client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName(name)
        .get()
        .getSpec()
        .getTemplate()
        .getMetadata();
  }

  private io.fabric8.kubernetes.api.model.ObjectMeta statefulSet(String name) {
    return client
        .apps()
        .statefulSets()
        .inNamespace(ns)
        .withName(name)
        .get()
        .getSpec()
        .getTemplate()
        .getMetadata();
  }

  private io.fabric8.kubernetes.api.model.ObjectMeta daemonSet(String name) {
    return client
        .apps()
        .daemonSets()
        .inNamespace(ns)
        .withName(name)
        .get()
        .getSpec()
        .getTemplate()
        .getMetadata();
  }

  private static String restartedAt(io.fabric8.kubernetes.api.model.ObjectMeta template) {
    return template == null || template.getAnnotations() == null
        ? null
        : template.getAnnotations().get("grafanatokens.io/restartedAt");
  }

  private static Map<String, String> labels(Secret s) {
    return s == null || s.getMetadata().getLabels() == null
        ? Map.of()
        : s.getMetadata().getLabels();
  }

  static String tokenId(Secret s) {
    return s == null || s.getMetadata().getAnnotations() == null
        ? null
        : s.getMetadata().getAnnotations().get(SecretAnnotations.TOKEN_ID);
  }
}
