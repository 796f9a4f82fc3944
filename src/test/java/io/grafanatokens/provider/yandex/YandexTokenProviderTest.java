package io.grafanatokens.provider.yandex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.fakes.grafana.MutableClock;
import io.grafanatokens.fakes.yandex.AuthorizedKeyFile;
import io.grafanatokens.fakes.yandex.FakeYandexIam;
import io.grafanatokens.fakes.yandex.YandexFault;
import io.grafanatokens.fakes.yandex.YandexOperation;
import io.grafanatokens.provider.IssuedToken;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.ProviderKind;
import io.grafanatokens.provider.SecretLookup;
import io.grafanatokens.provider.SessionPurpose;
import io.grafanatokens.provider.TokenSession;
import io.grafanatokens.provider.TransientProviderException;
import io.grafanatokens.secret.Hashing;
import io.grafanatokens.testing.LogCapture;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The yandexCloud provider against the fake IAM: each auth option, caching, errors, revocation. */
class YandexTokenProviderTest {
  static final String OPERATOR = "ajeoperator000000000";
  static final String TARGET = "ajeprometheusreader0";
  static final String KEY_SECRET = "yc-sa-key";

  /** Days away from the system clock, which the fake's Date header runs on: a skewed IAM clock. */
  static final Instant START = Instant.parse("2026-11-22T10:00:00Z");

  @TempDir Path dir;

  MutableClock clock;
  FakeYandexIam iam;
  AuthorizedKeyFile key;
  Map<String, Map<String, String>> secrets;
  Path workloadToken;
  YandexTokenProvider provider;
  LogCapture logs;
  final List<String> messages = new ArrayList<>();

  @BeforeEach
  void setUp() {
    logs = LogCapture.install();
    clock = new MutableClock(START);
    iam = FakeYandexIam.builder().clock(clock).start();
    iam.addServiceAccount(OPERATOR).addServiceAccount(TARGET).grantTokenCreator(OPERATOR, TARGET);
    key = iam.createAuthorizedKey(OPERATOR);
    secrets = new HashMap<>();
    secrets.put(KEY_SECRET, Map.of(YandexTokenProvider.DEFAULT_KEY_DATA_KEY, key.json()));
    workloadToken = dir.resolve("yc-workload-identity");
    provider = provider(iam.iamEndpoint(), iam.metadataUrl());
  }

  @AfterEach
  void noTokenJwtOrKeyMaterialAnywhere() {
    try {
      List<String> secretsSeen = new ArrayList<>(iam.tokensMintedFor(TARGET));
      secretsSeen.addAll(iam.receivedJwts());
      List<String> texts = new ArrayList<>(logs.lines());
      texts.addAll(messages);
      for (String text : texts) {
        assertThat(text).doesNotContain("PRIVATE KEY").doesNotContain("t1.").doesNotContain("eyJ");
        secretsSeen.forEach(s -> assertThat(text).doesNotContain(s));
      }
    } finally {
      logs.close();
      iam.close();
    }
  }

  YandexTokenProvider provider(String iamEndpoint, String metadataUrl) {
    return new YandexTokenProvider(
        Duration.ofSeconds(2),
        clock,
        new YandexSettings(iamEndpoint, iam.tokenExchangeUrl(), metadataUrl, workloadToken));
  }

  SecretLookup lookup() {
    return name -> Optional.ofNullable(secrets.get(name));
  }

  TokenSession open(GrafanaServiceAccountTokenSpec spec) throws ProviderException {
    return provider.open(spec, lookup(), SessionPurpose.ISSUE);
  }

  TokenSession keySession() throws ProviderException {
    return open(YandexSpecs.authorizedKey(TARGET, KEY_SECRET));
  }

  <T extends ProviderException> T failure(Class<T> type, ThrowingCall call) {
    T e = catchThrowableOfType(type, call::run);
    assertThat(e).as("expected " + type.getSimpleName()).isNotNull();
    messages.add(e.getMessage());
    return e;
  }

  interface ThrowingCall {
    void run() throws Exception;
  }

  // ---- the SPI
  // ------------------------------------------------------------------------------------

  @Test
  void describesItselfToTheReconciler() {
    GrafanaServiceAccountTokenSpec key = YandexSpecs.authorizedKey(TARGET, KEY_SECRET);
    assertThat(provider.kind()).isEqualTo(ProviderKind.YANDEX_CLOUD);
    assertThat(provider.capabilities().canList()).isFalse();
    assertThat(provider.capabilities().tokensHaveIds()).isFalse();
    assertThat(provider.shapingFields(key)).isEqualTo("serviceAccountId=" + TARGET);
    assertThat(provider.baseUrl(key)).isEmpty();
    assertThat(provider.usesAmbientCredentials(key)).isFalse();
    assertThat(provider.usesAmbientCredentials(YandexSpecs.workloadIdentity(TARGET, OPERATOR)))
        .isTrue();
    assertThat(provider.usesAmbientCredentials(YandexSpecs.metadataService(TARGET))).isTrue();
  }

  @Test
  void listIsNotSupported() throws Exception {
    TokenSession s = keySession();
    assertThatThrownBy(s::list).isInstanceOf(UnsupportedOperationException.class);
  }

  // ---- minting
  // ------------------------------------------------------------------------------------

  @Test
  void mintsATokenWithAnAuthorizedKeyAndTakesTheLifetimeFromExpiresAtMinusDate() throws Exception {
    TokenSession s = keySession();
    IssuedToken t = s.create("prom-reader-00000000-1", Duration.ofMinutes(5));

    assertThat(iam.authenticates(t.key())).isTrue();
    assertThat(iam.tokensMintedFor(TARGET)).containsExactly(t.key());
    assertThat(t.id())
        .isEqualTo("sha256:" + Hashing.sha256Hex(t.key()).substring(0, 16))
        .matches("sha256:[0-9a-f]{16}")
        .doesNotContain(t.key());
    assertThat(t.name())
        .as("IAM tokens have no name: the requested one")
        .isEqualTo("prom-reader-00000000-1");
    assertThat(s.serviceAccountId()).isEqualTo(TARGET);
    assertThat(t.serviceAccountId()).isEqualTo(TARGET);
    assertThat(t.issuedAt()).isEqualTo(START);
    // the fake's Date and expiresAt run on the system clock, days from ours: only L = expiresAt -
    // Date (12 h, the requested 5 min ignored) on our clock gives this
    assertThat(t.expiresAt()).isEqualTo(START.plus(Duration.ofHours(12)));
    assertThat(t.lifetimeFromProvider()).isTrue();
    assertThat(t.toString()).doesNotContain(t.key());
    assertThat(iam.requestCount(YandexOperation.CREATE_TOKEN)).isEqualTo(1);
  }

  @Test
  void acceptsTheCamelCaseKeyOfTheRestApiUnderACustomDataKey() throws Exception {
    secrets.put("rest-key", Map.of("key.json", key.camelCaseJson()));
    GrafanaServiceAccountTokenSpec spec = YandexSpecs.authorizedKey(TARGET, "rest-key");
    spec.getYandexCloud().getAuth().getAuthorizedKeySecretRef().setKey("key.json");
    IssuedToken t = open(spec).create("a-1", Duration.ZERO);
    assertThat(iam.authenticates(t.key())).isTrue();
  }

  @Test
  void aRemainingLifetimeShorterThanTwelveHoursIsTakenFromTheAnswer() throws Exception {
    iam.reuseTokensYoungerThan(Duration.ofHours(1));
    IssuedToken first = keySession().create("a-1", Duration.ZERO);
    clock.advance(Duration.ofMinutes(20));
    IssuedToken again = keySession().create("a-2", Duration.ZERO);
    assertThat(again.key()).isEqualTo(first.key());
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.issuedAt()).isEqualTo(START.plus(Duration.ofMinutes(20)));
    assertThat(again.expiresAt()).isEqualTo(first.expiresAt());
  }

  // ---- the operator's own token
  // ---------------------------------------------------------------------

  @Test
  void cachesTheOperatorsTokenUntilShortlyBeforeItsExpiry() throws Exception {
    keySession().create("a-1", Duration.ZERO);
    keySession().create("a-2", Duration.ZERO);
    assertThat(iam.requestCount(YandexOperation.CREATE_TOKEN)).isEqualTo(1);

    clock.advance(Duration.ofHours(11).plusMinutes(54));
    keySession().create("a-3", Duration.ZERO);
    assertThat(iam.requestCount(YandexOperation.CREATE_TOKEN)).as("still 6 min left").isEqualTo(1);

    clock.advance(Duration.ofMinutes(2));
    keySession().create("a-4", Duration.ZERO);
    assertThat(iam.requestCount(YandexOperation.CREATE_TOKEN))
        .as("4 min left: renewed")
        .isEqualTo(2);
  }

  @Test
  void aCachedTokenBelongsToTheKeyNotToAKeyIdCopiedIntoAnotherSecret() throws Exception {
    keySession().create("a-1", Duration.ZERO);
    // same id and account, another private key: must not reuse the cached token of the real key
    AuthorizedKeyFile other = iam.createAuthorizedKey(OPERATOR);
    String forged = other.json().replace(other.keyId(), key.keyId());
    secrets.put("forged", Map.of(YandexTokenProvider.DEFAULT_KEY_DATA_KEY, forged));
    PermanentProviderException e =
        failure(
            PermanentProviderException.class,
            () -> open(YandexSpecs.authorizedKey(TARGET, "forged")).create("b-1", Duration.ZERO));
    assertThat(e.reason()).isEqualTo(Reasons.CREDENTIALS_REJECTED);
    assertThat(iam.requestCount(YandexOperation.CREATE_TOKEN)).isEqualTo(2);
  }

  @Test
  void on401TheOperatorsTokenIsRenewedOnceAndTheCallRepeated() throws Exception {
    keySession().create("a-1", Duration.ZERO);
    iam.revokeTokensOf(OPERATOR);
    IssuedToken t = keySession().create("a-2", Duration.ZERO);
    assertThat(iam.authenticates(t.key())).isTrue();
    assertThat(iam.requestCount(YandexOperation.CREATE_TOKEN)).isEqualTo(2);
    assertThat(iam.requestCount(YandexOperation.CREATE_FOR_SERVICE_ACCOUNT)).isEqualTo(3);
  }

  @Test
  void a401AfterTheRenewalIsCredentialsRejectedWithoutMoreAttempts() {
    iam.failNext(YandexOperation.CREATE_FOR_SERVICE_ACCOUNT, YandexFault.UNAUTHENTICATED_401, 2);
    PermanentProviderException e =
        failure(PermanentProviderException.class, () -> keySession().create("a-1", Duration.ZERO));
    assertThat(e.reason()).isEqualTo(Reasons.CREDENTIALS_REJECTED);
    assertThat(e.getMessage()).contains(OPERATOR).contains("UNAUTHENTICATED");
    assertThat(iam.requestCount(YandexOperation.CREATE_FOR_SERVICE_ACCOUNT)).isEqualTo(2);
    assertThat(iam.requestCount(YandexOperation.CREATE_TOKEN)).isEqualTo(2);
  }

  // ---- errors of createForServiceAccount
  // --------------------------------------------------------------

  @Test
  void withoutTheTokenCreatorRoleItTellsWhatToGrant() {
    iam.revokeTokenCreator(OPERATOR, TARGET);
    PermanentProviderException e =
        failure(PermanentProviderException.class, () -> keySession().create("a-1", Duration.ZERO));
    assertThat(e.reason()).isEqualTo(Reasons.PERMISSION_DENIED);
    assertThat(e.getMessage())
        .startsWith(
            "grant the role iam.serviceAccounts.tokenCreator on service account "
                + TARGET
                + " to service account "
                + OPERATOR
                + " (authorized key "
                + key.keyId());
  }

  @Test
  void anUnknownServiceAccountIsServiceAccountNotFound() {
    PermanentProviderException e =
        failure(
            PermanentProviderException.class,
            () ->
                open(YandexSpecs.authorizedKey("ajenosuchaccount0000", KEY_SECRET))
                    .create("a-1", Duration.ZERO));
    assertThat(e.reason()).isEqualTo(Reasons.SERVICE_ACCOUNT_NOT_FOUND);
    assertThat(e.getMessage())
        .contains("ajenosuchaccount0000")
        .contains("spec.yandexCloud.serviceAccountId");
  }

  @Test
  void anInvalidArgumentIsProviderRejectedWithIamsText() {
    PermanentProviderException e =
        failure(
            PermanentProviderException.class,
            () ->
                open(YandexSpecs.authorizedKey("Not_An_Id", KEY_SECRET))
                    .create("a-1", Duration.ZERO));
    assertThat(e.reason()).isEqualTo(Reasons.PROVIDER_REJECTED);
    assertThat(e.getMessage()).contains("400 INVALID_ARGUMENT: Illegal argument serviceAccountId");
  }

  @Test
  void resourceExhaustedIsRateLimitedWithRetryAfter() {
    iam.failNext(YandexOperation.CREATE_FOR_SERVICE_ACCOUNT, YandexFault.rateLimit429(7));
    TransientProviderException e =
        failure(TransientProviderException.class, () -> keySession().create("a-1", Duration.ZERO));
    assertThat(e.reason()).isEqualTo(Reasons.RATE_LIMITED);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
  }

  @Test
  void internalUnavailableAndDeadlineExceededAreTransientProviderErrors() {
    for (YandexFault fault :
        List.of(YandexFault.HTTP_500, YandexFault.HTTP_503, YandexFault.HTTP_504)) {
      iam.failNext(YandexOperation.CREATE_FOR_SERVICE_ACCOUNT, fault);
      TransientProviderException e =
          failure(
              TransientProviderException.class, () -> keySession().create("a-1", Duration.ZERO));
      assertThat(e.reason()).as(fault.kind().name()).isEqualTo(Reasons.PROVIDER_ERROR);
    }
    assertThat(iam.faultsInjected(YandexOperation.CREATE_FOR_SERVICE_ACCOUNT)).isEqualTo(3);
  }

  @Test
  void aTimeoutIsATransientProviderError() {
    provider =
        new YandexTokenProvider(
            Duration.ofMillis(300),
            clock,
            new YandexSettings(
                iam.iamEndpoint(), iam.tokenExchangeUrl(), iam.metadataUrl(), workloadToken));
    iam.failNext(
        YandexOperation.CREATE_FOR_SERVICE_ACCOUNT, YandexFault.timeout(Duration.ofSeconds(3)));
    TransientProviderException e =
        failure(TransientProviderException.class, () -> keySession().create("a-1", Duration.ZERO));
    assertThat(e.reason()).isEqualTo(Reasons.PROVIDER_ERROR);
    assertThat(e.getMessage()).contains("no answer within 300 ms");
  }

  @Test
  void aRefusedConnectionIsATransientProviderError() throws Exception {
    provider = provider("http://127.0.0.1:" + freePort(), iam.metadataUrl());
    TransientProviderException e =
        failure(TransientProviderException.class, () -> keySession().create("a-1", Duration.ZERO));
    assertThat(e.reason()).isEqualTo(Reasons.PROVIDER_ERROR);
  }

  // ---- credential problems
  // ------------------------------------------------------------------------------

  @Test
  void aMissingSecretOrDataKeyIsCredentialsNotFound() {
    PermanentProviderException noSecret =
        failure(
            PermanentProviderException.class,
            () -> open(YandexSpecs.authorizedKey(TARGET, "absent")));
    assertThat(noSecret.reason()).isEqualTo(Reasons.CREDENTIALS_NOT_FOUND);
    assertThat(noSecret.getMessage()).contains("absent");

    secrets.put("other-key", Map.of("something-else", "x"));
    PermanentProviderException noKey =
        failure(
            PermanentProviderException.class,
            () -> open(YandexSpecs.authorizedKey(TARGET, "other-key")));
    assertThat(noKey.reason()).isEqualTo(Reasons.CREDENTIALS_NOT_FOUND);
    assertThat(noKey.getMessage()).contains("has no key authorized-key.json");
    assertThat(iam.totalRequests()).isZero();
  }

  @Test
  void aMalformedKeyIsCredentialsNotFoundWithoutQuotingIt() {
    secrets.put(
        "broken", Map.of(YandexTokenProvider.DEFAULT_KEY_DATA_KEY, key.json().substring(0, 300)));
    PermanentProviderException e =
        failure(
            PermanentProviderException.class,
            () -> open(YandexSpecs.authorizedKey(TARGET, "broken")));
    assertThat(e.reason()).isEqualTo(Reasons.CREDENTIALS_NOT_FOUND);
    assertThat(e.getMessage())
        .contains("Secret broken key authorized-key.json is not JSON")
        .doesNotContain(key.keyId());
  }

  @Test
  void aDeletedKeyIsCredentialsRejected() {
    iam.deleteAuthorizedKey(key.keyId());
    PermanentProviderException e =
        failure(PermanentProviderException.class, () -> keySession().create("a-1", Duration.ZERO));
    assertThat(e.reason()).isEqualTo(Reasons.CREDENTIALS_REJECTED);
    assertThat(e.getMessage())
        .startsWith("check the authorized key " + key.keyId() + " in Secret " + KEY_SECRET);
    assertThat(iam.requestCount(YandexOperation.CREATE_FOR_SERVICE_ACCOUNT)).isZero();
  }

  @Test
  void anOutageOfTheTokenEndpointIsTransient() {
    iam.failNext(YandexOperation.CREATE_TOKEN, YandexFault.HTTP_503);
    TransientProviderException e =
        failure(TransientProviderException.class, () -> keySession().create("a-1", Duration.ZERO));
    assertThat(e.reason()).isEqualTo(Reasons.PROVIDER_ERROR);
  }

  // ---- workload identity and the metadata service
  // -------------------------------------------------------

  @Test
  void workloadIdentityExchangesTheProjectedTokenAndIgnoresSpecEndpoint() throws Exception {
    Files.writeString(workloadToken, "k8s-projected-jwt\n");
    iam.federateKubernetesToken("k8s-projected-jwt", OPERATOR);
    GrafanaServiceAccountTokenSpec spec = YandexSpecs.workloadIdentity(TARGET, OPERATOR);
    // a tenant-chosen endpoint never receives the operator's own token
    spec.getYandexCloud().setEndpoint("http://127.0.0.1:" + freePort());
    IssuedToken t = open(spec).create("a-1", Duration.ZERO);
    assertThat(iam.authenticates(t.key())).isTrue();
    assertThat(iam.requestCount(YandexOperation.TOKEN_EXCHANGE)).isEqualTo(1);
    assertThat(iam.requestCount(YandexOperation.CREATE_TOKEN)).isZero();
  }

  @Test
  void workloadIdentityWithoutTheTokenFileIsCredentialsNotFound() {
    PermanentProviderException e =
        failure(
            PermanentProviderException.class,
            () ->
                open(YandexSpecs.workloadIdentity(TARGET, OPERATOR)).create("a-1", Duration.ZERO));
    assertThat(e.reason()).isEqualTo(Reasons.CREDENTIALS_NOT_FOUND);
    assertThat(e.getMessage())
        .contains(workloadToken.toString())
        .contains("YC_WORKLOAD_TOKEN_PATH");
    assertThat(iam.totalRequests()).isZero();
  }

  @Test
  void anUnfederatedKubernetesTokenIsCredentialsRejected() throws Exception {
    Files.writeString(workloadToken, "k8s-projected-jwt");
    iam.federateKubernetesToken("k8s-projected-jwt", "ajesomeoneelse000000");
    PermanentProviderException e =
        failure(
            PermanentProviderException.class,
            () ->
                open(YandexSpecs.workloadIdentity(TARGET, OPERATOR)).create("a-1", Duration.ZERO));
    assertThat(e.reason()).isEqualTo(Reasons.CREDENTIALS_REJECTED);
    assertThat(e.getMessage()).contains("federated credential").contains("invalid_grant");
  }

  @Test
  void theMetadataServiceGivesTheVmsAccount() throws Exception {
    iam.addServiceAccount("ajevm0000000000000000")
        .attachToMetadataService("ajevm0000000000000000")
        .grantTokenCreator("ajevm0000000000000000", TARGET);
    IssuedToken t = open(YandexSpecs.metadataService(TARGET)).create("a-1", Duration.ZERO);
    assertThat(iam.authenticates(t.key())).isTrue();
    assertThat(iam.requestCount(YandexOperation.METADATA_TOKEN)).isEqualTo(1);
  }

  @Test
  void aMissingOrUnattachedMetadataServiceIsCredentialsNotFound() throws Exception {
    PermanentProviderException none =
        failure(
            PermanentProviderException.class,
            () -> open(YandexSpecs.metadataService(TARGET)).create("a-1", Duration.ZERO));
    assertThat(none.reason()).isEqualTo(Reasons.CREDENTIALS_NOT_FOUND);
    assertThat(none.getMessage()).contains("attach a service account");

    provider =
        provider(iam.iamEndpoint(), "http://127.0.0.1:" + freePort() + "/computeMetadata/v1/token");
    PermanentProviderException unreachable =
        failure(
            PermanentProviderException.class,
            () -> open(YandexSpecs.metadataService(TARGET)).create("a-1", Duration.ZERO));
    assertThat(unreachable.reason()).isEqualTo(Reasons.CREDENTIALS_NOT_FOUND);
    assertThat(unreachable.getMessage()).contains("unreachable");
  }

  // ---- endpoints
  // ---------------------------------------------------------------------------------------

  @Test
  void specEndpointIsHonouredWithAnAuthorizedKey() throws Exception {
    try (FakeYandexIam other = FakeYandexIam.builder().clock(clock).start()) {
      other
          .addServiceAccount(OPERATOR)
          .addServiceAccount(TARGET)
          .grantTokenCreator(OPERATOR, TARGET);
      AuthorizedKeyFile otherKey = other.createAuthorizedKey(OPERATOR);
      secrets.put("other", Map.of(YandexTokenProvider.DEFAULT_KEY_DATA_KEY, otherKey.json()));
      GrafanaServiceAccountTokenSpec spec = YandexSpecs.authorizedKey(TARGET, "other");
      spec.getYandexCloud().setEndpoint(other.iamEndpoint() + "/");
      IssuedToken t = open(spec).create("a-1", Duration.ZERO);
      assertThat(other.authenticates(t.key())).isTrue();
      assertThat(iam.totalRequests()).isZero();
    }
  }

  @Test
  void anInvalidSpecEndpointIsProviderRejected() {
    GrafanaServiceAccountTokenSpec spec = YandexSpecs.authorizedKey(TARGET, KEY_SECRET);
    spec.getYandexCloud().setEndpoint("https://user:pw@iam.example.com?x=1");
    PermanentProviderException e = failure(PermanentProviderException.class, () -> open(spec));
    assertThat(e.reason()).isEqualTo(Reasons.PROVIDER_REJECTED);
    assertThat(e.getMessage()).startsWith("spec.yandexCloud.endpoint");
  }

  // ---- revocation
  // ------------------------------------------------------------------------------------

  @Test
  void revokesByHandleWithTheValueKeptInMemory() throws Exception {
    IssuedToken t = keySession().create("a-1", Duration.ZERO);
    keySession().revoke(TARGET, t.id());
    assertThat(iam.wasRevoked(t.key())).isTrue();
    assertThat(iam.authenticates(t.key())).isFalse();
    // revoked values are forgotten: a second revoke is not sent
    keySession().revoke(TARGET, t.id());
    assertThat(iam.requestCount(YandexOperation.REVOKE)).isEqualTo(1);
  }

  @Test
  void revokeRenewsTheOperatorsTokenOnceOn401() throws Exception {
    IssuedToken t = keySession().create("a-1", Duration.ZERO);
    iam.failNext(YandexOperation.REVOKE, YandexFault.UNAUTHENTICATED_401);
    keySession().revoke(TARGET, t.id());
    assertThat(iam.wasRevoked(t.key())).isTrue();
    assertThat(iam.requestCount(YandexOperation.CREATE_TOKEN)).isEqualTo(2);
  }

  @Test
  void anUnknownHandleAfterARestartIsLeftToExpireWithoutError() throws Exception {
    IssuedToken t = keySession().create("a-1", Duration.ZERO);
    provider = provider(iam.iamEndpoint(), iam.metadataUrl());
    keySession().revoke(TARGET, t.id());
    assertThat(iam.requestCount(YandexOperation.REVOKE)).isZero();
    assertThat(iam.authenticates(t.key())).isTrue();
    assertThat(logs.lines()).anyMatch(l -> l.contains(t.id()) && l.contains("left to expire"));
  }

  @Test
  void anExpiredValueIsDroppedAndNotRevoked() throws Exception {
    IssuedToken t = keySession().create("a-1", Duration.ZERO);
    clock.advance(Duration.ofHours(12));
    keySession().revoke(TARGET, t.id());
    assertThat(iam.requestCount(YandexOperation.REVOKE)).isZero();
  }

  @Test
  void aValueIamHandedToTwoResourcesIsNeverRevoked() throws Exception {
    iam.reuseTokensYoungerThan(Duration.ofHours(1));
    IssuedToken a = keySession().create("dashboards-00000000-1", Duration.ZERO);
    IssuedToken b = keySession().create("alerts-00000000-1", Duration.ZERO);
    assertThat(b.key()).isEqualTo(a.key());
    keySession().revoke(TARGET, a.id());
    assertThat(iam.requestCount(YandexOperation.REVOKE)).isZero();
    assertThat(iam.authenticates(a.key())).isTrue();
  }

  @Test
  void aValueHandedTwiceToTheSameResourceCanBeRevoked() throws Exception {
    IssuedToken first = keySession().create("dashboards-00000000-1", Duration.ZERO);
    iam.returnSameTokenNext(1);
    IssuedToken again = keySession().create("dashboards-00000000-2", Duration.ZERO);
    assertThat(again.key()).isEqualTo(first.key());
    keySession().revoke(TARGET, first.id());
    assertThat(iam.wasRevoked(first.key())).isTrue();
  }

  @Test
  void aValueIsNeverSentToAnotherEndpointOrForAnotherAccount() throws Exception {
    IssuedToken t = keySession().create("a-1", Duration.ZERO);
    try (FakeYandexIam other = FakeYandexIam.start()) {
      GrafanaServiceAccountTokenSpec elsewhere = YandexSpecs.authorizedKey(TARGET, KEY_SECRET);
      elsewhere.getYandexCloud().setEndpoint(other.iamEndpoint());
      open(elsewhere).revoke(TARGET, t.id());
      assertThat(other.totalRequests()).isZero();
    }
    iam.addServiceAccount("ajeanotheraccount000")
        .grantTokenCreator(OPERATOR, "ajeanotheraccount000");
    open(YandexSpecs.authorizedKey("ajeanotheraccount000", KEY_SECRET))
        .revoke("ajeanotheraccount000", t.id());
    assertThat(iam.requestCount(YandexOperation.REVOKE)).isZero();
    assertThat(iam.authenticates(t.key())).isTrue();
  }

  @Test
  void aRevokeOutageIsTransientAndTheValueIsKeptForTheRetry() throws Exception {
    IssuedToken t = keySession().create("a-1", Duration.ZERO);
    iam.failNext(YandexOperation.REVOKE, YandexFault.HTTP_503);
    TransientProviderException e =
        failure(TransientProviderException.class, () -> keySession().revoke(TARGET, t.id()));
    assertThat(e.reason()).isEqualTo(Reasons.PROVIDER_ERROR);
    keySession().revoke(TARGET, t.id());
    assertThat(iam.wasRevoked(t.key())).isTrue();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
