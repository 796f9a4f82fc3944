package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.fakes.yandex.AuthorizedKeyFile;
import io.grafanatokens.fakes.yandex.YandexFault;
import io.grafanatokens.fakes.yandex.YandexOperation;
import io.grafanatokens.provider.yandex.YandexSpecs;
import io.grafanatokens.status.StatusBuilder;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Each error class of docs/provider-apis.md#yandex-errors as Ready / Issuing reasons, and recovery
 * (docs/reference.md#failures-and-retries).
 */
class YandexFailuresTest extends YandexEndToEndBaseTest {

  @Test
  void withoutTheTokenCreatorRoleItIsPermissionDeniedUntilGranted() {
    iam.revokeTokenCreator(OPERATOR, TARGET);
    apply(yandexToken("denied"));
    awaitFailure("denied", "PermissionDenied");
    assertThat(condition("denied", StatusBuilder.READY).get().getMessage())
        .contains(
            "grant the role iam.serviceAccounts.tokenCreator on service account "
                + TARGET
                + " to service account "
                + OPERATOR);
    assertThat(events("PermissionDenied")).isNotEmpty();

    iam.grantTokenCreator(OPERATOR, TARGET);
    advance(Duration.ofMinutes(10).plusSeconds(1));
    nudge("denied");
    awaitReady("denied", "Issued");
  }

  @Test
  void anUnknownServiceAccountIsServiceAccountNotFound() {
    apply(
        YandexSpecs.resource(
            NS, "missing", YandexSpecs.authorizedKey("ajenosuchaccount0000", KEY_SECRET)));
    awaitFailure("missing", "ServiceAccountNotFound");
    assertThat(condition("missing", StatusBuilder.READY).get().getMessage())
        .contains("ajenosuchaccount0000");
  }

  @Test
  void anInvalidArgumentIsProviderRejected() {
    apply(YandexSpecs.resource(NS, "bad-id", YandexSpecs.authorizedKey("Not_An_Id", KEY_SECRET)));
    awaitFailure("bad-id", "ProviderRejected");
    assertThat(condition("bad-id", StatusBuilder.READY).get().getMessage())
        .contains("INVALID_ARGUMENT");
  }

  @Test
  void aDeletedKeyIsCredentialsRejectedUntilTheSecretHoldsANewKey() {
    iam.deleteAuthorizedKey(key.keyId());
    apply(yandexToken("rejected"));
    awaitFailure("rejected", "CredentialsRejected");
    long exchanges = iam.requestCount(YandexOperation.CREATE_TOKEN);

    advance(Duration.ofMinutes(2));
    nudge("rejected");
    awaitFailure("rejected", "CredentialsRejected");
    assertThat(iam.requestCount(YandexOperation.CREATE_TOKEN))
        .as("not retried with the same Secret")
        .isEqualTo(exchanges);

    AuthorizedKeyFile fresh = iam.createAuthorizedKey(OPERATOR);
    keySecret(NS, KEY_SECRET, fresh);
    advance(Duration.ofMinutes(1).plusSeconds(1));
    nudge("rejected");
    awaitReady("rejected", "Issued");
  }

  @Test
  void aMissingKeySecretIsCredentialsNotFoundUntilItExists() {
    apply(YandexSpecs.resource(NS, "nokey", YandexSpecs.authorizedKey(TARGET, "not-yet")));
    awaitFailure("nokey", "CredentialsNotFound");
    assertThat(iam.requestCount(YandexOperation.CREATE_FOR_SERVICE_ACCOUNT)).isZero();

    keySecret(NS, "not-yet", key);
    advance(Duration.ofMinutes(1).plusSeconds(1));
    nudge("nokey");
    awaitReady("nokey", "Issued");
  }

  @Test
  void resourceExhaustedIsRateLimitedAndRetried() {
    iam.failNext(YandexOperation.CREATE_FOR_SERVICE_ACCOUNT, YandexFault.rateLimit429(5));
    apply(yandexToken("limited"));
    awaitFailure("limited", "RateLimited");

    advance(Duration.ofSeconds(6));
    nudge("limited");
    awaitReady("limited", "Issued");
  }

  @Test
  void anOutageIsProviderErrorAndRetried() {
    iam.failNext(YandexOperation.CREATE_FOR_SERVICE_ACCOUNT, YandexFault.HTTP_503);
    apply(yandexToken("flaky"));
    awaitFailure("flaky", "ProviderError");

    advance(Duration.ofSeconds(3));
    nudge("flaky");
    awaitReady("flaky", "Issued");
    assertThat(iam.faultsInjected(YandexOperation.CREATE_FOR_SERVICE_ACCOUNT)).isEqualTo(1);
  }

  @Test
  void aFailedRenewalKeepsTheValidTokenThenTurnsExpired() {
    apply(yandexToken("stuck"));
    GrafanaServiceAccountToken ready = awaitReady("stuck", "Issued");
    Secret first = secret("stuck");
    iam.failNext(YandexOperation.CREATE_FOR_SERVICE_ACCOUNT, YandexFault.HTTP_500, 1000);

    advance(
        Duration.between(clock.instant(), Instant.parse(ready.getStatus().getRenewalTime()))
            .plusSeconds(1));
    nudge("stuck");
    awaitCondition("stuck", StatusBuilder.ISSUING, "True", "ProviderError");
    assertThat(condition("stuck", StatusBuilder.READY))
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
    assertThat(key(secret("stuck"))).isEqualTo(key(first));

    advance(Duration.ofHours(5));
    nudge("stuck");
    awaitCondition("stuck", StatusBuilder.READY, "False", "Expired");
    assertThat(key(secret("stuck"))).isEqualTo(key(first));
  }

  /** Before any token exists a failure is Ready=False and Issuing=True, both with its reason. */
  @Test
  void aTokenWhoseSecretWriteDidNotLandIsRevokedOnceTheSecretShowsItNotLeftAliveForHours() {
    apply(yandexToken("lost"));
    awaitReady("lost", "Issued");
    String held = key(secret("lost"));
    // the swap fails with an unknown outcome (the client retries once by itself, and fails again)
    cluster
        .api()
        .failNext(
            io.grafanatokens.testing.ApiServerDispatcher.on("update", "secrets"),
            io.grafanatokens.testing.ApiServerDispatcher.FaultMode.REFUSE,
            500,
            "etcd timeout",
            2);
    // older than IAM's reuse window, so the next answer is a new token
    advance(Duration.ofMinutes(10));
    edit(
        "lost",
        x -> {
          x.getMetadata()
              .setAnnotations(
                  new java.util.HashMap<>(java.util.Map.of("grafanatokens.io/rotate", "1")));
          return x;
        });
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> iam.tokensMintedFor(TARGET).size() == 2);
    String unwritten = iam.tokensMintedFor(TARGET).get(1);
    assertThat(key(secret("lost"))).isEqualTo(held);

    advance(Duration.ofSeconds(3));
    nudge("lost");

    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> iam.wasRevoked(unwritten));
    awaitReady("lost", "Rotated");
    assertThat(iam.authenticates(key(secret("lost")))).isTrue();
    assertThat(key(secret("lost"))).isNotEqualTo(unwritten);
  }

  private void awaitFailure(String name, String reason) {
    awaitCondition(name, StatusBuilder.READY, "False", reason);
    awaitCondition(name, StatusBuilder.ISSUING, "True", reason);
  }
}
