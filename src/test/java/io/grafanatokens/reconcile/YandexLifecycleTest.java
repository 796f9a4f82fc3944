package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.grafanatokens.api.v1alpha1.ClusterGrafanaConnectionSpec;
import io.grafanatokens.api.v1alpha1.ConnectionRef;
import io.grafanatokens.api.v1alpha1.GrafanaConnectionSpec;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenStatus;
import io.grafanatokens.api.v1alpha1.TokenServiceAccount;
import io.grafanatokens.api.v1alpha1.YandexCloudProvider;
import io.grafanatokens.fakes.yandex.YandexOperation;
import io.grafanatokens.provider.yandex.YandexSpecs;
import io.grafanatokens.secret.SecretAnnotations;
import io.grafanatokens.status.StatusBuilder;
import io.grafanatokens.testing.ApiServerDispatcher;
import io.grafanatokens.testing.ApiServerDispatcher.FaultMode;
import io.grafanatokens.testing.Resources;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Issue, renewal, same-token answers, grace-period revocation and delete for yandexCloud, end to
 * end.
 */
class YandexLifecycleTest extends YandexEndToEndBaseTest {

  @Test
  void issuesAnIamTokenIntoTheSecretWithItsShaHandleAndTheExpiryOfTheAnswer() {
    Instant issuedAt = clock.instant();
    GrafanaServiceAccountToken created = apply(yandexToken("prom"));
    GrafanaServiceAccountToken r = awaitReady("prom", "Issued");
    Secret s = secret("prom");
    String token = key(s);

    assertThat(iam.authenticates(token)).as("the token in the Secret works at IAM").isTrue();
    assertThat(iam.tokensMintedFor(TARGET)).containsExactly(token);
    assertThat(s.getData()).containsOnlyKeys("token");
    String uid8 = created.getMetadata().getUid().substring(0, 8);
    assertThat(s.getMetadata().getAnnotations())
        .containsEntry(SecretAnnotations.TOKEN_ID, handleOf(token))
        .containsEntry(SecretAnnotations.TOKEN_NAME, "prom-" + uid8 + "-1")
        .containsEntry(SecretAnnotations.SERVICE_ACCOUNT_ID, TARGET);
    Instant expiresAt =
        Instant.parse(s.getMetadata().getAnnotations().get(SecretAnnotations.EXPIRES_AT));
    // the fake's expiresAt is two days off our clock; expiresAt - Date gives 12 h (less 1 s when
    // the
    // fake's second ticks between writing the body and stamping Date)
    assertThat(Duration.between(issuedAt, expiresAt))
        .isBetween(IAM_LIFETIME.minusSeconds(1), IAM_LIFETIME);

    GrafanaServiceAccountTokenStatus st = r.getStatus();
    assertThat(st.getProvider()).isEqualTo("yandexCloud");
    assertThat(st.getTokenId()).isEqualTo(handleOf(token)).matches("sha256:[0-9a-f]{16}");
    assertThat(st.getServiceAccountId()).isEqualTo(TARGET);
    assertThat(st.getRotationCount()).isEqualTo(1L);
    assertThat(Instant.parse(st.getExpiresAt())).isEqualTo(expiresAt);
    // default renewBefore: L/3 = 4 h, minus a jitter below min(L/10, 15 min)
    assertThat(Instant.parse(st.getRenewalTime()))
        .isBetween(
            expiresAt.minus(Duration.ofHours(4)).minus(Duration.ofMinutes(15)),
            expiresAt.minus(Duration.ofHours(4)));
    assertThat(condition("prom", StatusBuilder.ISSUING))
        .hasValueSatisfying(
            c -> assertThat(c.getStatus() + "/" + c.getReason()).isEqualTo("False/Idle"));
    assertThat(events("Issued")).hasSize(1);
  }

  @Test
  void renewsAtRenewalTimeAndLeavesThePreviousTokenToExpireByDefault() {
    apply(yandexToken("renew"));
    GrafanaServiceAccountToken ready = awaitReady("renew", "Issued");
    Secret first = secret("renew");
    Instant renewal = Instant.parse(ready.getStatus().getRenewalTime());

    advance(Duration.between(clock.instant(), renewal).minusSeconds(5));
    nudge("renew");
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> tokenId(first).equals(tokenId(secret("renew"))));

    advance(Duration.ofSeconds(10));
    nudge("renew");
    Secret second = awaitNewToken("renew", tokenId(first));
    GrafanaServiceAccountToken rotated = awaitReady("renew", "Rotated");
    assertThat(iam.authenticates(key(second))).isTrue();
    assertThat(rotated.getStatus().getRotationCount()).isEqualTo(2L);
    assertThat(rotated.getStatus().getPendingRevocations())
        .as("no gracePeriod: nothing to revoke")
        .isNull();
    assertThat(iam.authenticates(key(first))).as("the previous token is left to expire").isTrue();
    assertThat(iam.requestCount(YandexOperation.REVOKE)).isZero();
    assertThat(events("Rotated")).hasSize(1);
    assertThat(events("Revoked")).isEmpty();
    assertThat(iam.requestCount(YandexOperation.CREATE_TOKEN))
        .as("the operator's own token is cached")
        .isEqualTo(1);
  }

  @Test
  void aSameTokenAnswerIsNotARotationAndARealOneFollowsAfterTheBackoff() {
    apply(yandexToken("same"));
    awaitReady("same", "Issued");
    Secret first = secret("same");

    iam.returnSameTokenNext(1);
    requestRotationAMinuteLater("same", "first");
    awaitCondition("same", StatusBuilder.ISSUING, "True", "SameTokenReturned");
    assertThat(condition("same", StatusBuilder.READY))
        .hasValueSatisfying(
            c -> assertThat(c.getStatus() + "/" + c.getReason()).isEqualTo("True/Issued"));
    assertThat(secret("same").getMetadata().getResourceVersion())
        .as("no write")
        .isEqualTo(first.getMetadata().getResourceVersion());
    assertThat(events("Rotated")).isEmpty();
    assertThat(events("SameTokenReturned")).isNotEmpty();
    assertThat(iam.requestCount(YandexOperation.REVOKE)).isZero();

    advance(Duration.ofSeconds(61));
    nudge("same");
    Secret second = awaitNewToken("same", tokenId(first));
    awaitReady("same", "Rotated");
    assertThat(key(second)).isNotEqualTo(key(first));
    assertThat(condition("same", StatusBuilder.ISSUING))
        .hasValueSatisfying(
            c -> assertThat(c.getStatus() + "/" + c.getReason()).isEqualTo("False/Idle"));
    assertThat(iam.authenticates(key(first))).isTrue();
  }

  @Test
  void anExplicitGracePeriodRevokesThePreviousTokenOnceItIsOver() {
    GrafanaServiceAccountToken r = yandexToken("grace");
    r.getSpec().setRotation(Resources.rotation(null, "10m"));
    apply(r);
    awaitReady("grace", "Issued");
    Secret first = secret("grace");

    requestRotationAMinuteLater("grace", "now");
    Secret second = awaitNewToken("grace", tokenId(first));
    GrafanaServiceAccountToken rotated = awaitReady("grace", "Rotated");
    assertThat(rotated.getStatus().getPendingRevocations())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getTokenId()).isEqualTo(handleOf(key(first)));
              assertThat(Instant.parse(p.getRevokeAt()))
                  .isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
            });
    assertThat(iam.authenticates(key(first))).as("valid during the grace period").isTrue();

    advance(Duration.ofMinutes(10));
    nudge("grace");
    await().atMost(Duration.ofSeconds(20)).until(() -> iam.wasRevoked(key(first)));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get("grace").getStatus().getPendingRevocations() == null);
    assertThat(iam.authenticates(key(first))).isFalse();
    assertThat(iam.authenticates(key(secret("grace"))))
        .as("the Secret never holds a revoked token")
        .isTrue();
    assertThat(key(secret("grace"))).isEqualTo(key(second));
    assertThat(events("Revoked")).hasSize(1);
  }

  @Test
  void deleteWithRevokeRevokesTheCurrentAndPendingTokens() {
    GrafanaServiceAccountToken r = yandexToken("bye");
    r.getSpec().setRotation(Resources.rotation(null, "30m"));
    apply(r);
    awaitReady("bye", "Issued");
    Secret first = secret("bye");
    requestRotationAMinuteLater("bye", "now");
    Secret second = awaitNewToken("bye", tokenId(first));
    awaitReady("bye", "Rotated");

    client.resource(get("bye")).delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> get("bye") == null);
    assertThat(iam.wasRevoked(key(first))).isTrue();
    assertThat(iam.wasRevoked(key(second))).isTrue();
    assertThat(secret("bye")).isNull();
  }

  @Test
  void deleteWithRetainKeepsTheSecretAndItsToken() {
    GrafanaServiceAccountToken r = yandexToken("keep");
    r.getSpec().setDeletionPolicy("Retain");
    apply(r);
    awaitReady("keep", "Issued");
    String token = key(secret("keep"));

    client.resource(get("keep")).delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> get("keep") == null);
    Secret left = secret("keep");
    assertThat(left).isNotNull();
    assertThat(left.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(key(left)).isEqualTo(token);
    assertThat(iam.authenticates(token)).isTrue();
    assertThat(iam.requestCount(YandexOperation.REVOKE)).isZero();
  }

  @Test
  void afterARestartTheCurrentTokenIsLeftToExpireOnDelete() {
    apply(yandexToken("restart"));
    awaitReady("restart", "Issued");
    String token = key(secret("restart"));

    cluster.stopOperator();
    cluster.startOperator();
    client.resource(get("restart")).delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> get("restart") == null);
    assertThat(iam.requestCount(YandexOperation.REVOKE)).isZero();
    assertThat(iam.authenticates(token)).isTrue();
    assertThat(logs.lines())
        .anyMatch(l -> l.contains(handleOf(token)) && l.contains("left to expire"));
  }

  @Test
  void deletingOneHolderOfATokenIamHandedToTwoResourcesNeverRevokesItForTheOther() {
    apply(yandexToken("first"));
    awaitReady("first", "Issued");
    String shared = key(secret("first"));
    // after a restart the operator no longer knows it handed this value to "first"
    cluster.stopOperator();
    cluster.startOperator();
    iam.returnSameTokenNext(1);
    apply(yandexToken("second"));
    awaitReady("second", "Issued");
    assertThat(key(secret("second"))).isEqualTo(shared);

    client.resource(get("second")).delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> get("second") == null);
    assertThat(iam.wasRevoked(shared)).as("Secret first still holds it").isFalse();
    assertThat(iam.authenticates(key(secret("first")))).isTrue();
  }

  @Test
  void aTokenAnotherSecretHoldsIsNotRevokedWhenTheSecretWriteOfItsSecondHolderFails() {
    apply(yandexToken("first"));
    awaitReady("first", "Issued");
    String shared = key(secret("first"));
    // after a restart the operator no longer knows it handed this value out before
    cluster.stopOperator();
    cluster.startOperator();

    iam.returnSameTokenNext(1);
    cluster
        .api()
        .failNext(ApiServerDispatcher.on("create", "secrets"), FaultMode.REFUSE, 422, "invalid", 1);
    apply(yandexToken("second"));
    // a refused write mints nothing again for 10 minutes (docs/reference.md#issuing-crash-safe)
    awaitCondition("second", StatusBuilder.READY, "False", "SecretRejected");
    assertThat(iam.wasRevoked(shared)).as("Secret first still holds it").isFalse();
    advance(Duration.ofMinutes(10));
    nudge("second");
    awaitReady("second", "Issued");
    assertThat(key(secret("second"))).as("the retry got a token of its own").isNotEqualTo(shared);
    assertThat(iam.wasRevoked(shared)).as("Secret first still holds it").isFalse();
    assertThat(iam.authenticates(key(secret("first")))).isTrue();
  }

  /**
   * Requests a rotation a minute later: a new token must expire later than the held one, or
   * docs/reference.md#yandexcloud-specifics counts the answer as the same token (expiries are whole
   * seconds).
   */
  private void requestRotationAMinuteLater(String name, String value) {
    advance(Duration.ofMinutes(1));
    requestRotation(name, value);
  }

  /** The connection's block: the operator's authorized key, no target account. */
  private static YandexCloudProvider connectionBlock() {
    YandexCloudProvider block = YandexSpecs.authorizedKey(TARGET, KEY_SECRET).getYandexCloud();
    block.setServiceAccountId(null);
    return block;
  }

  /** A token minted for TARGET through the connection "yc" of this kind. */
  private GrafanaServiceAccountToken throughConnection(String kind) {
    GrafanaServiceAccountToken r = yandexToken("via");
    r.getSpec().setYandexCloud(null);
    r.getSpec().setConnectionRef(new ConnectionRef(kind, "yc"));
    TokenServiceAccount account = new TokenServiceAccount();
    account.setId(TARGET);
    r.getSpec().setServiceAccount(account);
    return r;
  }

  private void issuedForTheTarget() {
    awaitReady("via", "Issued");
    assertThat(iam.authenticates(key(secret("via")))).isTrue();
    assertThat(iam.tokensMintedFor(TARGET)).contains(key(secret("via")));
  }

  @Test
  void aTokenThroughANamespacedConnectionUsesItsAuthorizedKey() {
    GrafanaConnectionSpec spec = new GrafanaConnectionSpec();
    spec.setYandexCloud(connectionBlock());
    namespacedConnection("yc", spec);

    apply(throughConnection(ConnectionRef.NAMESPACED));

    issuedForTheTarget();
  }

  @Test
  void aTokenThroughAClusterConnectionUsesTheKeyInTheOperatorsNamespace() {
    keySecret(operatorNamespace(), KEY_SECRET, key);
    client.secrets().inNamespace(NS).withName(KEY_SECRET).delete();
    ClusterGrafanaConnectionSpec spec = new ClusterGrafanaConnectionSpec();
    spec.setYandexCloud(connectionBlock());
    clusterConnection("yc", spec);

    apply(throughConnection(ConnectionRef.CLUSTER));

    issuedForTheTarget();
  }
}
