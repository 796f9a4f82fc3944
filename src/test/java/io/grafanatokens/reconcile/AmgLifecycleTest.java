package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.grafanatokens.api.v1alpha1.AmazonManagedGrafanaProvider;
import io.grafanatokens.api.v1alpha1.ClusterGrafanaConnectionSpec;
import io.grafanatokens.api.v1alpha1.ConnectionRef;
import io.grafanatokens.api.v1alpha1.GrafanaConnectionSpec;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.api.v1alpha1.SecretTemplate;
import io.grafanatokens.api.v1alpha1.TokenServiceAccount;
import io.grafanatokens.fakes.amg.AmgOperation;
import io.grafanatokens.fakes.amg.AmgRecordedRequest;
import io.grafanatokens.fakes.amg.AmgTokenResources;
import io.grafanatokens.fakes.amg.AmgTokenSnapshot;
import io.grafanatokens.fakes.amg.FakeAmg;
import io.grafanatokens.runtime.OperatorRuntime;
import io.grafanatokens.secret.SecretAnnotations;
import io.grafanatokens.status.StatusBuilder;
import io.grafanatokens.testing.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The amazonManagedGrafana provider end to end: the real operator against the CRUD mock API and the
 * fake AMG (issue, rotation with grace, re-issue, delete, pruning, quota, ambient credentials).
 */
class AmgLifecycleTest extends LifecycleTestBase {
  static final String REGION = "eu-west-1";

  private final FakeAmg amg = FakeAmg.builder().region(REGION).start();
  private String ws;
  private String sa;

  @Override
  protected Map<String, String> env() {
    Map<String, String> env = super.env();
    env.put("AWS_ENDPOINT_URL_GRAFANA", amg.endpoint());
    // the first SDK call of a JVM loads many classes inside the attempt's timer
    env.put("PROVIDER_TIMEOUT", "10s");
    return env;
  }

  @BeforeEach
  void startAmg() {
    amg.setClock(clock);
    ws = amg.createWorkspace();
    sa = amg.createServiceAccount(ws, "ci-bot", "VIEWER");
    client.secrets().resource(AmgTokenResources.credentialsSecret(NS)).create();
  }

  @AfterEach
  void stopAmg() {
    amg.close();
  }

  private GrafanaServiceAccountToken amgToken(String name) {
    return AmgTokenResources.token(NS, name, AmgTokenResources.spec(amg, ws, sa));
  }

  private List<AmgTokenSnapshot> live() {
    return amg.liveTokensOf(ws, sa);
  }

  private static String uid8(GrafanaServiceAccountToken r) {
    return r.getMetadata().getUid().substring(0, 8);
  }

  @Test
  void issuesATokenIntoTheSecretWithTheExpiryAmgReports() {
    GrafanaServiceAccountToken r = amgToken("dashboards");
    SecretTemplate st = new SecretTemplate();
    st.setUrlKey("url");
    r.getSpec().setSecret(st);
    GrafanaServiceAccountToken created = apply(r);
    GrafanaServiceAccountToken ready = awaitReady("dashboards", "Issued");
    Secret s = secret("dashboards");

    assertThat(amg.authenticates(key(s))).as("the key in the Secret works at AMG").isTrue();
    AmgTokenSnapshot at = amg.token(ws, tokenId(s)).orElseThrow();
    assertThat(at.name()).isEqualTo("dashboards-" + uid8(created) + "-1");
    assertThat(s.getMetadata().getAnnotations())
        .containsEntry(SecretAnnotations.TOKEN_NAME, at.name())
        .containsEntry(SecretAnnotations.SERVICE_ACCOUNT_ID, sa);
    assertThat(Instant.parse(s.getMetadata().getAnnotations().get(SecretAnnotations.EXPIRES_AT)))
        .as("expires-at is AMG's expiry")
        .isEqualTo(at.expires());
    assertThat(key(s, "url"))
        .isEqualTo("https://" + ws + ".grafana-workspace." + REGION + ".amazonaws.com");
    assertThat(ready.getStatus().getProvider()).isEqualTo("amazonManagedGrafana");
    assertThat(ready.getStatus().getServiceAccountId()).isEqualTo(sa);
    assertThat(Instant.parse(ready.getStatus().getExpiresAt())).isEqualTo(at.expires());

    // docs/reference.md#issuing-crash-safe: the create first, then the one list that gives the real
    // expiry
    List<AmgOperation> ops = amg.requests().stream().map(AmgRecordedRequest::operation).toList();
    assertThat(ops).containsExactly(AmgOperation.CREATE_TOKEN, AmgOperation.LIST_TOKENS);
    assertThat(amg.requestCount(AmgOperation.CREATE_TOKEN)).isEqualTo(1);
    assertThat(amg.accessKeyIdsSeen()).containsExactly(AmgTokenResources.ACCESS_KEY_ID);
    assertThat(live()).hasSize(1);
  }

  @Test
  void rotatesAtRenewalTimeAndRevokesThePreviousKeyAfterTheGracePeriod() {
    GrafanaServiceAccountToken r = amgToken("rot");
    r.getSpec().setSecondsToLive(3600L);
    r.getSpec().setRotation(Resources.rotation("20m", "5m"));
    apply(r);
    GrafanaServiceAccountToken ready = awaitReady("rot", "Issued");
    Secret first = secret("rot");
    Instant renewal = Instant.parse(ready.getStatus().getRenewalTime());

    advance(Duration.between(clock.instant(), renewal).plusSeconds(1));
    nudge("rot");
    Secret second = awaitNewToken("rot", tokenId(first));
    GrafanaServiceAccountToken rotated = awaitReady("rot", "Rotated");
    assertThat(amg.authenticates(key(second))).isTrue();
    assertThat(amg.authenticates(key(first)))
        .as("previous key valid during the grace period")
        .isTrue();
    assertThat(rotated.getStatus().getPendingRevocations())
        .singleElement()
        .satisfies(p -> assertThat(p.getTokenId()).isEqualTo(tokenId(first)));

    advance(Duration.ofMinutes(5));
    nudge("rot");
    await().atMost(Duration.ofSeconds(20)).until(() -> !amg.authenticates(key(first)));
    assertThat(amg.token(ws, tokenId(first)).orElseThrow().deleted()).isNotNull();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get("rot").getStatus().getPendingRevocations() == null);
    assertThat(amg.authenticates(key(secret("rot"))))
        .as("the Secret never holds a revoked key")
        .isTrue();
    assertThat(live()).extracting(AmgTokenSnapshot::id).containsExactly(tokenId(second));
  }

  @Test
  void aDeletedSecretIsReissuedAndThePreviousTokenRevokedAfterItsGrace() {
    apply(amgToken("gone"));
    awaitReady("gone", "Issued");
    Secret first = secret("gone");
    client.secrets().resource(first).delete();
    Secret second = awaitNewToken("gone", tokenId(first));
    assertThat(amg.authenticates(key(second))).isTrue();
    assertThat(amg.authenticates(key(first)))
        .as("consumers of the deleted Secret keep their grace")
        .isTrue();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get("gone").getStatus().getPendingRevocations() != null);

    advance(Duration.ofMinutes(10));
    nudge("gone");
    await().atMost(Duration.ofSeconds(20)).until(() -> live().size() == 1);
    assertThat(live()).extracting(AmgTokenSnapshot::id).containsExactly(tokenId(second));
  }

  @Test
  void deletingTheResourceRevokesTheCurrentAndPendingTokens() {
    GrafanaServiceAccountToken r = amgToken("bye");
    r.getSpec().setSecondsToLive(3600L);
    r.getSpec().setRotation(Resources.rotation("20m", "10m"));
    apply(r);
    awaitReady("bye", "Issued");
    Secret first = secret("bye");
    requestRotation("bye", "now");
    Secret second = awaitNewToken("bye", tokenId(first));
    awaitReady("bye", "Rotated");
    assertThat(live()).hasSize(2);

    client.resource(get("bye")).delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> get("bye") == null);
    assertThat(amg.authenticates(key(first))).isFalse();
    assertThat(amg.authenticates(key(second))).isFalse();
    assertThat(live()).isEmpty();
    assertThat(secret("bye")).isNull();
  }

  @Test
  void anIssueSweepsThisResourcesExpiredTokensAndLeavesOthersAlone() {
    GrafanaServiceAccountToken created = apply(amgToken("prune"));
    awaitReady("prune", "Issued");
    String ours = "prune-" + uid8(created) + "-";
    amg.mintToken(ws, sa, ours + "7", 60);
    amg.mintToken(ws, sa, ours + "8", 60);
    amg.mintToken(ws, sa, "someone-else-1", 60);
    amg.mintToken(ws, sa, "prunex-" + uid8(created) + "-9", 60);
    advance(Duration.ofMinutes(2));

    requestRotation("prune", "1");
    awaitReady("prune", "Rotated");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                amg.tokensOf(ws, sa).stream()
                        .filter(t -> t.name().startsWith(ours) && t.deleted() != null)
                        .count()
                    == 2);
    assertThat(secret("prune").getMetadata().getAnnotations().get(SecretAnnotations.TOKEN_NAME))
        .as("the counter comes from status and the Secret, no list is read before the create")
        .isEqualTo(ours + "2");
    assertThat(amg.tokensOf(ws, sa))
        .filteredOn(t -> !t.name().startsWith(ours))
        .allSatisfy(t -> assertThat(t.deleted()).as("not this resource's: " + t.name()).isNull());
  }

  @Test
  void aFullQuotaIsSweptOfThisResourcesExpiredTokensAndTheCreateRetried() {
    GrafanaServiceAccountToken created = apply(amgToken("quota"));
    awaitReady("quota", "Issued");
    String ours = "quota-" + uid8(created) + "-";
    amg.mintToken(ws, sa, ours + "97", 60);
    amg.mintToken(ws, sa, ours + "98", 60);
    advance(Duration.ofMinutes(2));
    // the current token and two expired ones fill it; AMG counts expired tokens until deleted
    amg.tokenQuotaPerServiceAccount(3);
    long creates = amg.requestCount(AmgOperation.CREATE_TOKEN);

    requestRotation("quota", "1");
    awaitReady("quota", "Rotated");
    assertThat(amg.requestCount(AmgOperation.CREATE_TOKEN) - creates)
        .as("402, sweep, then one retry")
        .isEqualTo(2);
    assertThat(amg.tokensOf(ws, sa))
        .filteredOn(t -> t.name().equals(ours + "97") || t.name().equals(ours + "98"))
        .allSatisfy(t -> assertThat(t.deleted()).isNotNull());
    assertThat(amg.authenticates(key(secret("quota")))).isTrue();
  }

  @Test
  void theOperatorsOwnIdentityIsRefusedOutsideAmbientCredentialsNamespaces() {
    apply(AmgTokenResources.token(NS, "ambient", AmgTokenResources.ambientSpec(amg, ws, sa)));
    GrafanaServiceAccountToken r =
        awaitCondition("ambient", StatusBuilder.READY, "False", "NotPermitted");
    assertThat(r.getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getMessage()).contains("AMBIENT_CREDENTIALS_NAMESPACES"));
    assertThat(amg.totalRequests()).as("no request reaches AMG").isZero();
    assertThat(secret("ambient")).isNull();
  }

  @Test
  void aSecretATenantForgedNeverMakesTheDeleteOfARefusedResourceCallAwsWithTheOperatorsIdentity() {
    Map<String, String> saved = new HashMap<>();
    Map<String, String> identity =
        Map.of(
            "aws.accessKeyId",
            "ASIAOPERATORIDENT1",
            "aws.secretAccessKey",
            "operator-secret",
            "aws.sessionToken",
            "operator-session");
    identity.forEach((k, v) -> saved.put(k, System.setProperty(k, v)));
    try {
      String victimKey = amg.mintToken(ws, sa, "someone-elses-token", 3600);
      String victim =
          amg.tokensOf(ws, sa).stream()
              .filter(t -> t.name().equals("someone-elses-token"))
              .findFirst()
              .orElseThrow()
              .id();
      GrafanaServiceAccountToken created =
          apply(AmgTokenResources.token(NS, "forger", AmgTokenResources.ambientSpec(amg, ws, sa)));
      awaitCondition("forger", StatusBuilder.READY, "False", "NotPermitted");
      // anyone who may write Secrets in the namespace can make one look like the resource's own
      client
          .secrets()
          .resource(
              new io.fabric8.kubernetes.api.model.SecretBuilder()
                  .withNewMetadata()
                  .withName("forger")
                  .withNamespace(NS)
                  .addToLabels(
                      SecretAnnotations.MANAGED_BY_LABEL, SecretAnnotations.MANAGED_BY_VALUE)
                  .addToAnnotations(SecretAnnotations.TOKEN_ID, victim)
                  .addToAnnotations(SecretAnnotations.SERVICE_ACCOUNT_ID, sa)
                  .addNewOwnerReference()
                  .withApiVersion("grafanatokens.io/v1alpha1")
                  .withKind("GrafanaServiceAccountToken")
                  .withName("forger")
                  .withUid(created.getMetadata().getUid())
                  .withController(true)
                  .endOwnerReference()
                  .endMetadata()
                  .addToStringData("token", "x")
                  .build())
          .create();

      client.resource(get("forger")).delete();
      await().atMost(Duration.ofSeconds(20)).until(() -> get("forger") == null);
      assertThat(amg.totalRequests()).as("no request reaches AMG, on issue or on delete").isZero();
      assertThat(amg.authenticates(victimKey)).as("the token the forged Secret named").isTrue();
      assertThat(secret("forger")).as("released with its owner").isNull();
    } finally {
      saved.forEach(
          (k, v) -> {
            if (v == null) {
              System.clearProperty(k);
            } else {
              System.setProperty(k, v);
            }
          });
    }
  }

  @Test
  void theOperatorsOwnIdentityIsUsedInAnAmbientCredentialsNamespaceAndOnlyWithItsEndpoint() {
    Map<String, String> saved = new HashMap<>();
    // the default chain's first source: a pod would have AWS_ACCESS_KEY_ID or IRSA instead
    Map<String, String> identity =
        Map.of(
            "aws.accessKeyId",
            "ASIAOPERATORIDENT1",
            "aws.secretAccessKey",
            "operator-secret",
            "aws.sessionToken",
            "operator-session");
    identity.forEach((k, v) -> saved.put(k, System.setProperty(k, v)));
    FakeAmg tenantPicked = FakeAmg.builder().clock(clock).region(REGION).start();
    cluster.stopOperator();
    OperatorRuntime ambient =
        cluster.newOperator("ambient", Map.of("AMBIENT_CREDENTIALS_NAMESPACES", NS));
    try {
      ambient.start();
      GrafanaServiceAccountToken r =
          AmgTokenResources.token(NS, "ambient", AmgTokenResources.ambientSpec(amg, ws, sa));
      r.getSpec().getAmazonManagedGrafana().setEndpoint(tenantPicked.endpoint());
      apply(r);
      awaitReady("ambient", "Issued");
      assertThat(amg.authenticates(key(secret("ambient")))).isTrue();
      assertThat(amg.requests())
          .isNotEmpty()
          .allSatisfy(
              q -> {
                assertThat(q.accessKeyId()).isEqualTo("ASIAOPERATORIDENT1");
                assertThat(q.securityToken()).isEqualTo("operator-session");
              });
      assertThat(tenantPicked.totalRequests())
          .as("spec.endpoint is ignored with ambient credentials")
          .isZero();
      assertThat(events("InsecureCredentials"))
          .anySatisfy(e -> assertThat(e.getNote()).contains("ignored"));
    } finally {
      ambient.close();
      tenantPicked.close();
      saved.forEach(
          (k, v) -> {
            if (v == null) {
              System.clearProperty(k);
            } else {
              System.setProperty(k, v);
            }
          });
    }
  }

  @Test
  void lostCreatesAndAQuotaFullOfExpiredStraysNeverKeepTheRotationFromLanding() {
    GrafanaServiceAccountToken r = amgToken("strays");
    r.getSpec().setSecondsToLive(600L);
    r.getSpec().setRotation(Resources.rotation("5m", "0s"));
    GrafanaServiceAccountToken created = apply(r);
    awaitReady("strays", "Issued");
    String ours = "strays-" + uid8(created) + "-";
    Secret first = secret("strays");

    // a create whose answer is lost leaves -2 behind; the next attempt clashes on it, lists,
    // sweeps, skips it
    amg.failNext(AmgOperation.CREATE_TOKEN, io.grafanatokens.fakes.amg.AmgFault.DROP_AFTER_CREATE);
    requestRotation("strays", "1");
    awaitCondition("strays", StatusBuilder.ISSUING, "True", "ProviderError");
    assertThat(amg.authenticates(key(secret("strays"))))
        .as("the valid key stays in place")
        .isTrue();
    advance(Duration.ofSeconds(3));
    nudge("strays");
    Secret second = awaitNewToken("strays", tokenId(first));
    assertThat(second.getMetadata().getAnnotations().get(SecretAnnotations.TOKEN_NAME))
        .isEqualTo(ours + "3");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                amg.tokensOf(ws, sa).stream()
                    .filter(t -> t.name().equals(ours + "2"))
                    .allMatch(t -> t.deleted() != null));

    // expired strays fill the quota: swept, and the create tried again in the same pass
    amg.mintToken(ws, sa, ours + "10", 60);
    amg.mintToken(ws, sa, ours + "11", 60);
    advance(Duration.ofMinutes(2));
    amg.tokenQuotaPerServiceAccount(3);
    requestRotation("strays", "2");
    Secret third = awaitNewToken("strays", tokenId(second));

    assertThat(amg.authenticates(key(third))).isTrue();
    assertThat(amg.tokensOf(ws, sa))
        .filteredOn(t -> t.name().equals(ours + "10") || t.name().equals(ours + "11"))
        .allSatisfy(t -> assertThat(t.deleted()).isNotNull());
  }

  @Test
  void aPendingIdAfterAWorkspaceChangeIsLeftToExpireAndNothingIsDeletedInTheNewWorkspace() {
    GrafanaServiceAccountToken r = amgToken("moving");
    r.getSpec().setSecondsToLive(3600L);
    r.getSpec().setRotation(Resources.rotation("20m", "5m"));
    apply(r);
    awaitReady("moving", "Issued");
    requestRotation("moving", "1");
    awaitReady("moving", "Rotated");
    String pending = get("moving").getStatus().getPendingRevocations().get(0).getTokenId();
    String ws2 = amg.createWorkspace();
    String sa2 = amg.createServiceAccount(ws2, "ci-bot", "VIEWER");
    edit(
        "moving",
        x -> {
          x.getSpec().getAmazonManagedGrafana().setWorkspaceId(ws2);
          x.getSpec().getAmazonManagedGrafana().setServiceAccountId(sa2);
          return x;
        });
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                amg.authenticates(key(secret("moving"))) && amg.liveTokensOf(ws2, sa2).size() == 1);

    advance(Duration.ofMinutes(6));
    nudge("moving");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get("moving").getStatus().getPendingRevocations() == null);

    assertThat(amg.token(ws, pending).orElseThrow().deleted())
        .as("never deleted in another workspace")
        .isNull();
    assertThat(amg.requests())
        .filteredOn(q -> q.operation() == AmgOperation.DELETE_TOKEN)
        .as("no delete call at all: the pending id belongs to the old workspace")
        .isEmpty();
    assertThat(amg.liveTokensOf(ws2, sa2)).hasSize(1);
  }

  @Test
  void aListLongerThanThreeHundredTokensIsPagedToTheEndForTheRealExpiry() {
    amg.tokenQuotaPerServiceAccount(1000);
    for (int i = 0; i < 320; i++) {
      amg.mintToken(ws, sa, "other-" + i, 86400);
    }
    apply(amgToken("paged"));
    GrafanaServiceAccountToken ready = awaitReady("paged", "Issued");
    AmgTokenSnapshot at = amg.token(ws, tokenId(secret("paged"))).orElseThrow();

    assertThat(Instant.parse(ready.getStatus().getExpiresAt()))
        .as("found on the last page")
        .isEqualTo(at.expires());
    assertThat(amg.requestCount(AmgOperation.LIST_TOKENS)).as("pages of 100").isEqualTo(4);
    assertThat(ready.getStatus().getConditions())
        .noneMatch(c -> c.getMessage() != null && c.getMessage().contains("expiry estimated"));
  }

  @Test
  void aWorkspaceGoneDuringTheDeleteLeavesNothingToRevokeAndReleasesTheResource() {
    apply(amgToken("orphaned"));
    awaitReady("orphaned", "Issued");
    amg.deleteWorkspace(ws);

    client.resource(get("orphaned")).delete();

    await().atMost(Duration.ofSeconds(20)).until(() -> get("orphaned") == null);
    assertThat(secret("orphaned")).isNull();
  }

  /** The connection's block: the workspace and the keys, no service account. */
  private AmazonManagedGrafanaProvider connectionBlock() {
    AmazonManagedGrafanaProvider block =
        AmgTokenResources.spec(amg, ws, sa).getAmazonManagedGrafana();
    block.setServiceAccountId(null);
    return block;
  }

  /** A token on the connection "amg" of this kind, for the service account. */
  private GrafanaServiceAccountToken throughConnection(String kind) {
    GrafanaServiceAccountTokenSpec token = new GrafanaServiceAccountTokenSpec();
    token.setConnectionRef(new ConnectionRef(kind, "amg"));
    TokenServiceAccount account = new TokenServiceAccount();
    account.setId(sa);
    token.setServiceAccount(account);
    return AmgTokenResources.token(NS, "via", token);
  }

  private void issuedThenRevokedOnDelete() {
    awaitReady("via", "Issued");
    assertThat(amg.authenticates(key(secret("via")))).isTrue();
    assertThat(amg.accessKeyIdsSeen()).containsExactly(AmgTokenResources.ACCESS_KEY_ID);

    client.resource(get("via")).delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> get("via") == null);
    assertThat(live()).as("revoked with the connection's keys on delete").isEmpty();
  }

  @Test
  void aTokenThroughAClusterConnectionUsesThePlatformsKeysAndIsRevokedOnDelete() {
    // the platform's AWS keys live in the operator's namespace, not the tenant's
    client.secrets().resource(AmgTokenResources.credentialsSecret(operatorNamespace())).create();
    client.secrets().inNamespace(NS).withName(AmgTokenResources.CREDENTIALS_SECRET).delete();
    ClusterGrafanaConnectionSpec spec = new ClusterGrafanaConnectionSpec();
    spec.setAmazonManagedGrafana(connectionBlock());
    clusterConnection("amg", spec);

    apply(throughConnection(ConnectionRef.CLUSTER));

    issuedThenRevokedOnDelete();
  }

  @Test
  void aTokenThroughANamespacedConnectionUsesItsKeysAndIsRevokedOnDelete() {
    GrafanaConnectionSpec spec = new GrafanaConnectionSpec();
    spec.setAmazonManagedGrafana(connectionBlock());
    namespacedConnection("amg", spec);

    apply(throughConnection(ConnectionRef.NAMESPACED));

    issuedThenRevokedOnDelete();
  }
}
