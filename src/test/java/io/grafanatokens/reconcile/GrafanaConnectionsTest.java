package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.grafanatokens.api.v1alpha1.ClusterGrafanaConnection;
import io.grafanatokens.api.v1alpha1.ClusterGrafanaConnectionSpec;
import io.grafanatokens.api.v1alpha1.ConnectionRef;
import io.grafanatokens.api.v1alpha1.CredentialsSecretRef;
import io.grafanatokens.api.v1alpha1.GrafanaConnection;
import io.grafanatokens.api.v1alpha1.GrafanaConnectionSpec;
import io.grafanatokens.api.v1alpha1.GrafanaProvider;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.api.v1alpha1.TokenServiceAccount;
import io.grafanatokens.fakes.grafana.Operation;
import io.grafanatokens.status.StatusBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** docs/reference.md#using-a-connection for the grafana provider, end to end. */
class GrafanaConnectionsTest extends LifecycleTestBase {
  static final String OPERATORS = "operators";
  static final String ADMIN = "grafana-admin";

  private final List<String> paths = new CopyOnWriteArrayList<>();

  @Override
  protected Map<String, String> env() {
    Map<String, String> env = super.env();
    env.put("OPERATOR_NAMESPACE", OPERATORS);
    return env;
  }

  @BeforeEach
  void operatorNamespaceWithTheAdminCredential() {
    cluster.namespaceWithGrafanaAdmin(OPERATORS);
    // the tenant's Secret of the same name holds something else: it must never be read for a
    // cluster connection
    client
        .secrets()
        .inNamespace(NS)
        .withName(ADMIN)
        .edit(
            s -> {
              s.setData(null);
              s.setStringData(Map.of("token", "the-tenants-own-secret"));
              return s;
            });
    cluster
        .api()
        .onCall(
            (call, path) -> {
              if (call.byOperator()) {
                paths.add(call.verb() + " " + path);
              }
            });
  }

  static GrafanaConnectionSpec grafanaBlock(GrafanaConnectionSpec spec, String url) {
    GrafanaProvider g = new GrafanaProvider();
    g.setUrl(url);
    CredentialsSecretRef creds = new CredentialsSecretRef();
    creds.setName(ADMIN);
    g.setCredentialsSecretRef(creds);
    spec.setGrafana(g);
    return spec;
  }

  private ClusterGrafanaConnection clusterConnection(String name) {
    ClusterGrafanaConnection c = new ClusterGrafanaConnection();
    c.setMetadata(new ObjectMetaBuilder().withName(name).build());
    c.setSpec(
        (ClusterGrafanaConnectionSpec)
            grafanaBlock(new ClusterGrafanaConnectionSpec(), grafana.baseUrl()));
    return c;
  }

  private GrafanaServiceAccountToken through(String name, String kind, String connection) {
    GrafanaServiceAccountToken r = new GrafanaServiceAccountToken();
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    GrafanaServiceAccountTokenSpec spec = new GrafanaServiceAccountTokenSpec();
    spec.setConnectionRef(new ConnectionRef(kind, connection));
    TokenServiceAccount sa = new TokenServiceAccount();
    sa.setId(String.valueOf(serviceAccountId));
    spec.setServiceAccount(sa);
    spec.setTokenName(name);
    r.setSpec(spec);
    return r;
  }

  private List<String> secretReads(String namespace, String name) {
    return paths.stream()
        .filter(p -> p.startsWith("get /api/v1/namespaces/" + namespace + "/secrets/" + name))
        .toList();
  }

  @Test
  void aTokenThroughAClusterConnectionUsesOnlyTheOperatorNamespacesCredential() {
    client.resource(clusterConnection("grafana-prod")).create();
    apply(through("dash", ConnectionRef.CLUSTER, "grafana-prod"));
    awaitReady("dash", "Issued");
    assertThat(grafana.authenticates(key(secret("dash")))).isTrue();
    assertThat(secretReads(OPERATORS, ADMIN)).isNotEmpty();
    assertThat(secretReads(NS, ADMIN))
        .as("a tenant's Secret is never a cluster connection's credential")
        .isEmpty();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              ClusterGrafanaConnection c =
                  client.resources(ClusterGrafanaConnection.class).withName("grafana-prod").get();
              assertThat(c.getStatus()).isNotNull();
              assertThat(c.getStatus().getConditions().get(0).getReason()).isEqualTo("Connected");
              assertThat(c.getStatus().getProvider()).isEqualTo("grafana");
              assertThat(c.getStatus().getTarget()).isEqualTo(grafana.baseUrl());
              assertThat(c.getStatus().getTokens()).isEqualTo(1);
            });
  }

  @Test
  void aTokenThroughANamespacedConnectionUsesItsNamespacesCredential() {
    cluster.namespaceWithGrafanaAdmin(NS);
    GrafanaConnection c = new GrafanaConnection();
    c.setMetadata(new ObjectMetaBuilder().withName("local").withNamespace(NS).build());
    c.setSpec(grafanaBlock(new GrafanaConnectionSpec(), grafana.baseUrl()));
    client.resource(c).create();
    apply(through("local-dash", null, "local"));
    awaitReady("local-dash", "Issued");
    assertThat(secretReads(NS, ADMIN)).isNotEmpty();
    assertThat(secretReads(OPERATORS, ADMIN)).isEmpty();
  }

  @Test
  void aMissingConnectionIsConnectionNotFoundUntilItIsCreated() {
    apply(through("early", ConnectionRef.CLUSTER, "later"));
    awaitCondition("early", StatusBuilder.READY, "False", "ConnectionNotFound");
    assertThat(grafana.requests()).isEmpty();
    assertThat(condition("early", StatusBuilder.READY).get().getMessage())
        .contains("ClusterGrafanaConnection later");
    client.resource(clusterConnection("later")).create();
    awaitReady("early", "Issued");
  }

  @Test
  void aNamespaceTheSelectorDoesNotAdmitIsNotPermittedUntilItIsLabelled() {
    ClusterGrafanaConnection c = clusterConnection("selective");
    c.getSpec()
        .setNamespaceSelector(
            new LabelSelectorBuilder()
                .addToMatchLabels("grafana.example.com/access", "true")
                .build());
    client.resource(c).create();
    apply(through("hopeful", ConnectionRef.CLUSTER, "selective"));
    awaitCondition("hopeful", StatusBuilder.READY, "False", "NotPermitted");
    assertThat(condition("hopeful", StatusBuilder.READY).get().getMessage())
        .contains("selective")
        .contains(NS);
    assertThat(
            grafana.requestCount(Operation.CREATE_TOKEN)
                + grafana.requestCount(Operation.LIST_TOKENS))
        .as("the token calls nothing (the connection's own status read is another matter)")
        .isZero();

    client
        .namespaces()
        .withName(NS)
        .edit(
            n ->
                new NamespaceBuilder(n)
                    .editMetadata()
                    .addToLabels("grafana.example.com/access", "true")
                    .endMetadata()
                    .build());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              nudge("hopeful");
              return condition("hopeful", StatusBuilder.READY)
                  .map(x -> "True".equals(x.getStatus()))
                  .orElse(false);
            });
  }

  @Test
  void aUrlChangeReissuesEveryTokenAndACredentialsChangeNone() {
    client.resource(clusterConnection("shared")).create();
    apply(through("one", ConnectionRef.CLUSTER, "shared"));
    apply(through("two", ConnectionRef.CLUSTER, "shared"));
    awaitReady("one", "Issued");
    awaitReady("two", "Issued");
    String first = tokenId(secret("one"));
    String second = tokenId(secret("two"));

    // the credential moves to another Secret, then its content changes: no new token
    client
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("grafana-admin-2")
                .withNamespace(OPERATORS)
                .endMetadata()
                .addToStringData("token", grafana.mintAdminToken(1))
                .build())
        .create();
    client
        .resources(ClusterGrafanaConnection.class)
        .withName("shared")
        .edit(
            c -> {
              c.getSpec().getGrafana().getCredentialsSecretRef().setName("grafana-admin-2");
              return c;
            });
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> first.equals(tokenId(secret("one"))) && second.equals(tokenId(secret("two"))));

    // the same Grafana under another address is another target: every token is issued again
    client
        .resources(ClusterGrafanaConnection.class)
        .withName("shared")
        .edit(
            c -> {
              c.getSpec().getGrafana().setUrl(grafana.baseUrl().replace("127.0.0.1", "localhost"));
              return c;
            });
    awaitNewToken("one", first);
    awaitNewToken("two", second);
  }

  @Test
  void aRejectedConnectionCredentialIsTriedOnceForAllItsTokens() {
    client
        .secrets()
        .inNamespace(OPERATORS)
        .withName(ADMIN)
        .edit(
            s -> {
              s.setData(null);
              s.setStringData(Map.of("token", "glsa_" + "0".repeat(32) + "_00000000"));
              return s;
            });
    client.resource(clusterConnection("wrong")).create();
    for (int i = 0; i < 4; i++) {
      apply(through("t" + i, ConnectionRef.CLUSTER, "wrong"));
    }
    for (int i = 0; i < 4; i++) {
      awaitCondition("t" + i, StatusBuilder.READY, "False", "CredentialsRejected");
    }
    await()
        .during(Duration.ofMillis(700))
        .atMost(Duration.ofSeconds(5))
        .until(() -> grafana.requestCount(Operation.CREATE_TOKEN) == 1);
  }

  @Test
  void deletingAConnectionLeavesItsTokensConnectionNotFoundAndTheirDeletesReleaseWithAWarning() {
    client.resource(clusterConnection("doomed")).create();
    apply(through("orphan", ConnectionRef.CLUSTER, "doomed"));
    awaitReady("orphan", "Issued");
    String id = tokenId(secret("orphan"));
    client.resources(ClusterGrafanaConnection.class).withName("doomed").delete();
    awaitCondition("orphan", StatusBuilder.READY, "False", "ConnectionNotFound");

    client.resource(get("orphan")).delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> get("orphan") == null);
    assertThat(grafana.requestCount(Operation.DELETE_TOKEN)).isZero();
    assertThat(secret("orphan")).isNull();
    assertThat(events("TokenLeftToExpire"))
        .anySatisfy(e -> assertThat(e.getNote()).contains(id).contains("ConnectionNotFound"));
  }

  @Test
  void aHundredTokensOnOneConnectionReadItsCredentialAFewTimesNotOncePerToken() {
    client.resource(clusterConnection("busy")).create();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      names.add("busy-" + i);
      apply(through("busy-" + i, ConnectionRef.CLUSTER, "busy"));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                names.stream()
                    .allMatch(
                        n ->
                            condition(n, StatusBuilder.READY)
                                .map(c -> "True".equals(c.getStatus()))
                                .orElse(false)));
    assertThat(secretReads(OPERATORS, ADMIN).size())
        .as("credential Secret reads for 100 first issues")
        .isLessThanOrEqualTo(5);
  }
}
