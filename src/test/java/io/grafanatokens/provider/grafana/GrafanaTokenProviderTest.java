package io.grafanatokens.provider.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grafanatokens.api.v1alpha1.CredentialsSecretRef;
import io.grafanatokens.api.v1alpha1.GrafanaProvider;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.api.v1alpha1.ServiceAccountRef;
import io.grafanatokens.fakes.grafana.FakeGrafana;
import io.grafanatokens.fakes.grafana.Fault;
import io.grafanatokens.fakes.grafana.GrafanaKeys;
import io.grafanatokens.fakes.grafana.MutableClock;
import io.grafanatokens.fakes.grafana.Operation;
import io.grafanatokens.fakes.grafana.RecordedRequest;
import io.grafanatokens.fakes.grafana.TokenSnapshot;
import io.grafanatokens.provider.IssuedToken;
import io.grafanatokens.provider.NameConflictException;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.ProviderKind;
import io.grafanatokens.provider.SecretLookup;
import io.grafanatokens.provider.SessionPurpose;
import io.grafanatokens.provider.TokenInfo;
import io.grafanatokens.provider.TokenSession;
import io.grafanatokens.provider.TransientProviderException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GrafanaTokenProviderTest {
  private static final Instant T0 = Instant.parse("2026-03-10T10:00:00.750Z");
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final Duration SHORT_TIMEOUT = Duration.ofMillis(500);

  private final Map<String, Map<String, String>> secrets = new HashMap<>();
  private final SecretLookup lookup = name -> Optional.ofNullable(secrets.get(name));
  private MutableClock grafanaClock;
  private MutableClock operatorClock;
  private FakeGrafana grafana;
  private GrafanaTokenProvider provider;

  @BeforeEach
  void start() {
    grafanaClock = new MutableClock(T0);
    // The operator's clock runs 20 s behind Grafana's, so estimates and real expiry differ.
    operatorClock = new MutableClock(T0.minusSeconds(20));
    grafana = FakeGrafana.builder().clock(grafanaClock).start();
    provider = new GrafanaTokenProvider(TIMEOUT, operatorClock, 2);
    secrets.put("grafana-admin", Map.of("token", grafana.mintAdminToken(1) + "\n"));
  }

  @AfterEach
  void stop() {
    grafana.close();
  }

  @Test
  void describesItself() {
    assertThat(provider.kind()).isEqualTo(ProviderKind.GRAFANA);
    assertThat(provider.capabilities().canList()).isTrue();
    assertThat(provider.capabilities().tokensHaveIds()).isTrue();
    assertThat(provider.usesAmbientCredentials(spec(byId(2)))).isFalse();
  }

  @Test
  void anIdIsUsedAsGivenSoTheCreateIsTheFirstCall() throws Exception {
    long sa = grafana.createServiceAccount(1, "ci", "Viewer");
    GrafanaServiceAccountTokenSpec spec = spec(byId(sa));
    spec.getGrafana().setOrgId(1L);
    TokenSession session = provider.open(spec, lookup, SessionPurpose.ISSUE);
    assertThat(session.accountResolved()).isTrue();
    assertThat(session.serviceAccountId()).isEqualTo(Long.toString(sa));
    assertThat(grafana.requests()).as("opening a session calls nothing").isEmpty();
    session.create("t", Duration.ofHours(1));

    assertThat(grafana.requests())
        .extracting(RecordedRequest::operation)
        .containsExactly(Operation.CREATE_TOKEN);
    RecordedRequest create = request(Operation.CREATE_TOKEN);
    assertThat(create.path()).isEqualTo("/api/serviceaccounts/" + sa + "/tokens");
    assertThat(create.authScheme()).isEqualTo("Bearer");
    assertThat(create.orgIdHeader()).isEqualTo("1");
    assertThat(create.accept()).isEqualTo("application/json");
    assertThat(create.contentType()).isEqualTo("application/json");
  }

  @Test
  void omitsTheOrgHeaderWhenOrgIdIsUnset() throws Exception {
    long sa = grafana.createServiceAccount(1, "ci", "Viewer");
    provider.open(spec(byId(sa)), lookup, SessionPurpose.ISSUE).create("t", Duration.ofHours(1));
    assertThat(request(Operation.CREATE_TOKEN).orgIdHeader()).isNull();
  }

  @Test
  void aNameIsLookedUpOnceAndRemembered() throws Exception {
    long sa = grafana.createServiceAccount(1, "ci", "Viewer");
    TokenSession first =
        provider.open(spec(byName("ci", null, null)), lookup, SessionPurpose.ISSUE);
    assertThat(first.accountResolved()).isFalse();
    first.create("t1", Duration.ofHours(1));
    TokenSession second =
        provider.open(spec(byName("ci", null, null)), lookup, SessionPurpose.ISSUE);
    assertThat(second.accountResolved()).isTrue();
    second.create("t2", Duration.ofHours(1));
    assertThat(grafana.requests())
        .extracting(RecordedRequest::operation)
        .containsExactly(Operation.SEARCH, Operation.CREATE_TOKEN, Operation.CREATE_TOKEN);
    assertThat(second.serviceAccountId()).isEqualTo(Long.toString(sa));
  }

  @Test
  void aRememberedNameWhoseAccountWasDeletedIsLookedUpAgain() throws Exception {
    long sa = grafana.createServiceAccount(1, "ci", "Viewer");
    provider
        .open(spec(byName("ci", null, null)), lookup, SessionPurpose.ISSUE)
        .create("t1", Duration.ofHours(1));
    grafana.deleteServiceAccountOutOfBand(sa);
    long again = grafana.createServiceAccount(1, "ci", "Viewer");
    TokenSession session =
        provider.open(spec(byName("ci", null, null)), lookup, SessionPurpose.ISSUE);
    assertThat(
            catchThrowableOfType(
                    PermanentProviderException.class,
                    () -> session.create("t2", Duration.ofHours(1)))
                .reason())
        .isEqualTo(Reasons.SERVICE_ACCOUNT_NOT_FOUND);
    IssuedToken t =
        provider
            .open(spec(byName("ci", null, null)), lookup, SessionPurpose.ISSUE)
            .create("t3", Duration.ofHours(1));
    assertThat(t.serviceAccountId()).isEqualTo(Long.toString(again));
  }

  @Test
  void cleanupNeverCreatesAServiceAccount() throws Exception {
    TokenSession session =
        provider.open(spec(byName("new-bot", true, "Editor")), lookup, SessionPurpose.CLEANUP);
    PermanentProviderException e =
        catchThrowableOfType(PermanentProviderException.class, session::serviceAccountId);
    assertThat(e.reason()).isEqualTo(Reasons.SERVICE_ACCOUNT_NOT_FOUND);
    assertThat(grafana.requests())
        .extracting(RecordedRequest::operation)
        .doesNotContain(Operation.CREATE_SA);
  }

  @Test
  void findsTheExactNameAmongSubstringMatchesOnALaterPage() throws Exception {
    // Logins sort as a-ci, b-ci, c-ci, ca-ci, cb-ci, ci, d-ci: "ci" is on page 3 of 4 (page size
    // 2).
    for (String name : List.of("a-ci", "b-ci", "c-ci", "ca-ci", "cb-ci", "d-ci")) {
      grafana.createServiceAccount(1, name, "Viewer");
    }
    long ci = grafana.createServiceAccount(1, "ci", "Viewer");
    TokenSession session =
        provider.open(spec(byName("ci", null, null)), lookup, SessionPurpose.ISSUE);
    assertThat(session.serviceAccountId()).isEqualTo(Long.toString(ci));
    assertThat(grafana.requestCount(Operation.SEARCH)).isEqualTo(4);
    assertThat(grafana.requests())
        .filteredOn(r -> r.operation() == Operation.SEARCH)
        .extracting(RecordedRequest::path)
        .containsExactly(
            "/api/serviceaccounts/search?query=ci&perpage=2&page=1",
            "/api/serviceaccounts/search?query=ci&perpage=2&page=2",
            "/api/serviceaccounts/search?query=ci&perpage=2&page=3",
            "/api/serviceaccounts/search?query=ci&perpage=2&page=4");
  }

  @Test
  void encodesTheSearchQuery() throws Exception {
    long sa = grafana.createServiceAccount(1, "deploy bot&co", "Viewer");
    assertThat(
            provider
                .open(spec(byName("deploy bot&co", null, null)), lookup, SessionPurpose.ISSUE)
                .serviceAccountId())
        .isEqualTo(Long.toString(sa));
  }

  @Test
  void missingNameWithoutCreateIfMissingIsServiceAccountNotFound() {
    grafana.createServiceAccount(1, "ci-prod", "Viewer");
    PermanentProviderException e =
        catchThrowableOfType(
            PermanentProviderException.class,
            () ->
                provider
                    .open(spec(byName("ci", null, null)), lookup, SessionPurpose.ISSUE)
                    .serviceAccountId());
    assertThat(e.reason()).isEqualTo(Reasons.SERVICE_ACCOUNT_NOT_FOUND);
    assertThat(e.getMessage()).contains("ci").contains("createIfMissing");
    assertThat(grafana.requestCount(Operation.CREATE_SA)).isZero();
  }

  @Test
  void createIfMissingCreatesWithTheRole() throws Exception {
    TokenSession session =
        provider.open(spec(byName("new-bot", true, "Editor")), lookup, SessionPurpose.ISSUE);
    assertThat(grafana.serviceAccount(Long.parseLong(session.serviceAccountId())).orElseThrow())
        .satisfies(
            sa -> {
              assertThat(sa.name()).isEqualTo("new-bot");
              assertThat(sa.role()).isEqualTo("Editor");
            });
    // Found the second time, not created again.
    provider
        .open(spec(byName("new-bot", true, "Admin")), lookup, SessionPurpose.ISSUE)
        .serviceAccountId();
    assertThat(grafana.requestCount(Operation.CREATE_SA)).isEqualTo(1);
  }

  @Test
  void aRoleThatDiffersFromTheAccountsIsReportedNotApplied() throws Exception {
    grafana.createServiceAccount(1, "shared-bot", "Editor");
    GrafanaServiceAccountTokenSpec spec = spec(byName("shared-bot", true, "Viewer"));
    assertThat(provider.notes(spec))
        .as("unknown before the name is resolved: no call to find out")
        .isEmpty();
    provider.open(spec, lookup, SessionPurpose.ISSUE).serviceAccountId();
    assertThat(provider.notes(spec))
        .singleElement()
        .satisfies(
            n ->
                assertThat(n)
                    .contains("has role Editor")
                    .contains("Viewer is applied only when the operator creates it"));
    assertThat(
            grafana
                .serviceAccount(
                    Long.parseLong(
                        provider.open(spec, lookup, SessionPurpose.ISSUE).serviceAccountId()))
                .orElseThrow()
                .role())
        .as("never modified")
        .isEqualTo("Editor");
  }

  @Test
  void aBearerTokenWithCharactersAHeaderCannotCarryIsRefusedNamingTheKeyNotTheValue()
      throws Exception {
    secrets.put("curly", Map.of("token", "glsa_\u201cs3cr3t\u201d"));
    PermanentProviderException e =
        catchThrowableOfType(
            PermanentProviderException.class,
            () -> provider.open(spec("curly", byId(2)), lookup, SessionPurpose.ISSUE));
    assertThat(e.reason()).isEqualTo(Reasons.CREDENTIALS_NOT_FOUND);
    assertThat(e.getMessage()).contains("key token of Secret curly").doesNotContain("s3cr3t");
    assertThat(grafana.requests()).isEmpty();
  }

  @Test
  void createIfMissingDefaultsToViewer() throws Exception {
    TokenSession session =
        provider.open(spec(byName("plain", true, null)), lookup, SessionPurpose.ISSUE);
    assertThat(
            grafana.serviceAccount(Long.parseLong(session.serviceAccountId())).orElseThrow().role())
        .isEqualTo("Viewer");
  }

  @Test
  void alreadyExistsRaceLooksTheNameUpAgain() throws Exception {
    long[] raced = new long[1];
    grafana.beforeNext(
        Operation.CREATE_SA, () -> raced[0] = grafana.createServiceAccount(1, "racer", "Viewer"));
    TokenSession session =
        provider.open(spec(byName("racer", true, "Viewer")), lookup, SessionPurpose.ISSUE);
    assertThat(session.serviceAccountId()).isEqualTo(Long.toString(raced[0]));
    assertThat(grafana.serviceAccounts(1)).filteredOn(sa -> sa.name().equals("racer")).hasSize(1);
  }

  @Test
  void renamedAccountHoldingTheLoginGivesAHint() {
    long old = grafana.createServiceAccount(1, "old", "Viewer");
    grafana.renameServiceAccount(old, "renamed");
    PermanentProviderException e =
        catchThrowableOfType(
            PermanentProviderException.class,
            () ->
                provider
                    .open(spec(byName("old", true, "Viewer")), lookup, SessionPurpose.ISSUE)
                    .serviceAccountId());
    assertThat(e.reason()).isEqualTo(Reasons.SERVICE_ACCOUNT_NOT_FOUND);
    assertThat(e.getMessage()).contains("renamed account keeps its old login");
    assertThat(grafana.serviceAccount(old).orElseThrow().name()).isEqualTo("renamed");
  }

  @Test
  void unknownIdIsServiceAccountNotFound() {
    PermanentProviderException e =
        catchThrowableOfType(
            PermanentProviderException.class,
            () ->
                provider
                    .open(spec(byId(4242)), lookup, SessionPurpose.ISSUE)
                    .create("t", Duration.ofHours(1)));
    assertThat(e.reason()).isEqualTo(Reasons.SERVICE_ACCOUNT_NOT_FOUND);
    assertThat(e.getMessage()).contains("4242");
  }

  @Test
  void createdKeyAuthenticatesAndCarriesTheEstimate() throws Exception {
    long sa = grafana.createServiceAccount(1, "ci", "Viewer");
    TokenSession session = provider.open(spec(byId(sa)), lookup, SessionPurpose.ISSUE);
    IssuedToken token = session.create("ci-abcdefgh-1", Duration.ofSeconds(86400));

    assertThat(grafana.authenticates(token.key())).isTrue();
    assertThat(token.name()).isEqualTo("ci-abcdefgh-1");
    assertThat(token.serviceAccountId()).isEqualTo(Long.toString(sa));
    assertThat(token.id()).isEqualTo(Long.toString(grafana.tokensOf(sa).get(0).id()));
    Instant issuedAt = Instant.parse("2026-03-10T09:59:40Z");
    assertThat(token.issuedAt()).isEqualTo(issuedAt);
    assertThat(token.expiresAt()).isEqualTo(issuedAt.plusSeconds(86400));
    assertThat(token.lifetimeFromProvider()).isFalse();
    assertThat(token.toString()).doesNotContain(token.key());
  }

  @Test
  void listParsesTheRealExpiryFromExpiration() throws Exception {
    long sa = grafana.createServiceAccount(1, "ci", "Viewer");
    TokenSession session = provider.open(spec(byId(sa)), lookup, SessionPurpose.ISSUE);
    IssuedToken day = session.create("day", Duration.ofDays(1));
    // Beyond seven days Grafana's secondsUntilExpiration is 0: only "expiration" tells the truth.
    IssuedToken month = session.create("month", Duration.ofDays(30));
    grafana.mintToken(sa, "forever", 0);

    Map<String, TokenInfo> byName = new HashMap<>();
    session.list().tokens().forEach(t -> byName.put(t.name(), t));
    assertThat(byName).containsOnlyKeys("day", "month", "forever");
    Instant grafanaNow = Instant.parse("2026-03-10T10:00:00Z");
    assertThat(byName.get("day").expiresAt()).isEqualTo(grafanaNow.plus(Duration.ofDays(1)));
    assertThat(byName.get("month").expiresAt()).isEqualTo(grafanaNow.plus(Duration.ofDays(30)));
    assertThat(byName.get("month").expiresAt()).isNotEqualTo(month.expiresAt());
    assertThat(byName.get("day").id()).isEqualTo(day.id());
    assertThat(byName.get("day").createdAt()).isEqualTo(grafanaNow);
    assertThat(byName.get("forever").expiresAt()).isNull();
    assertThat(byName.values())
        .allSatisfy(
            t -> {
              assertThat(t.expired()).isFalse();
              assertThat(t.revoked()).isFalse();
            });

    grafana.revokeBySecretScan(Long.parseLong(day.id()));
    grafanaClock.advance(Duration.ofDays(2));
    TokenInfo revoked =
        session.list().tokens().stream()
            .filter(t -> t.name().equals("day"))
            .findFirst()
            .orElseThrow();
    assertThat(revoked.revoked()).isTrue();
    assertThat(revoked.expired()).isTrue();
  }

  @Test
  void parsesExpirationWithItsOffset() {
    assertThat(GrafanaSession.instant("2026-03-10T12:00:00+02:00"))
        .isEqualTo(Instant.parse("2026-03-10T10:00:00Z"));
    assertThat(GrafanaSession.instant("2026-03-10T10:00:00.5Z"))
        .isEqualTo(Instant.parse("2026-03-10T10:00:00.5Z"));
    assertThat(GrafanaSession.instant(null)).isNull();
  }

  @Test
  void revokeStopsTheKeyAndIsIdempotent() throws Exception {
    long sa = grafana.createServiceAccount(1, "ci", "Viewer");
    TokenSession session = provider.open(spec(byId(sa)), lookup, SessionPurpose.ISSUE);
    IssuedToken token = session.create("t", Duration.ofHours(1));
    session.revoke(token.serviceAccountId(), token.id());
    assertThat(grafana.authenticates(token.key())).isFalse();
    session.revoke(token.serviceAccountId(), token.id());
    assertThat(grafana.requestCount(Operation.DELETE_TOKEN)).isEqualTo(2);
  }

  @Test
  void revokeOnAGoneServiceAccountIsDone() throws Exception {
    long sa = grafana.createServiceAccount(1, "ci", "Viewer");
    long other = grafana.createServiceAccount(1, "other", "Viewer");
    TokenSession session = provider.open(spec(byId(sa)), lookup, SessionPurpose.ISSUE);
    IssuedToken token = session.create("t", Duration.ofHours(1));
    grafana.deleteServiceAccountOutOfBand(other);
    session.revoke(Long.toString(other), "99");
    session.revoke(token.serviceAccountId(), token.id());
    assertThat(grafana.tokensOf(sa)).isEmpty();
  }

  @Test
  void revokeRefusesIdsThatAreNotNumbers() throws Exception {
    long sa = grafana.createServiceAccount(1, "ci", "Viewer");
    TokenSession session = provider.open(spec(byId(sa)), lookup, SessionPurpose.ISSUE);
    PermanentProviderException e =
        catchThrowableOfType(
            PermanentProviderException.class,
            () -> session.revoke(Long.toString(sa), "../../../admin/users/1"));
    assertThat(e.reason()).isEqualTo(Reasons.PROVIDER_REJECTED);
    assertThat(
            grafana.requestCount(Operation.DELETE_TOKEN) + grafana.requestCount(Operation.UNKNOWN))
        .isZero();
  }

  // ---- error mapping ------------------------------------------------------------------------

  @Test
  void duplicateNameIsANameConflict() throws Exception {
    long sa = grafana.createServiceAccount(1, "ci", "Viewer");
    long other = grafana.createServiceAccount(1, "other", "Viewer");
    grafana.mintToken(other, "taken", 0);
    TokenSession session = provider.open(spec(byId(sa)), lookup, SessionPurpose.ISSUE);
    NameConflictException e =
        catchThrowableOfType(
            NameConflictException.class, () -> session.create("taken", Duration.ofHours(1)));
    assertThat(e.getMessage()).contains("already exists");
  }

  @Test
  void legacy409IsANameConflict() throws Exception {
    long sa = grafana.createServiceAccount(1, "ci", "Viewer");
    grafana.legacyDuplicate409(true);
    TokenSession session = provider.open(spec(byId(sa)), lookup, SessionPurpose.ISSUE);
    session.create("taken", Duration.ofHours(1));
    assertThatThrownBy(() -> session.create("taken", Duration.ofHours(1)))
        .isInstanceOf(NameConflictException.class);
  }

  @Test
  void unknownTokenIsCredentialsRejectedNamingTheSecret() {
    long sa = grafana.createServiceAccount(1, "ci", "Viewer");
    String unknown = GrafanaKeys.newKey(new SecureRandom());
    secrets.put("grafana-admin", Map.of("token", unknown));
    PermanentProviderException e =
        catchThrowableOfType(
            PermanentProviderException.class,
            () -> provider.open(spec(byId(sa)), lookup, SessionPurpose.ISSUE).list());
    assertThat(e.reason()).isEqualTo(Reasons.CREDENTIALS_REJECTED);
    assertThat(e.getMessage())
        .contains("grafana-admin")
        .contains("api-key.invalid")
        .doesNotContain(unknown);
  }

  @Test
  void wrongPasswordIsCredentialsRejected() {
    grafana.addAdminUser("admin", "right");
    secrets.put("basic", Map.of("username", "admin", "password", "wrong"));
    PermanentProviderException e =
        catchThrowableOfType(
            PermanentProviderException.class,
            () -> provider.open(spec("basic", byId(2)), lookup, SessionPurpose.ISSUE).list());
    assertThat(e.reason()).isEqualTo(Reasons.CREDENTIALS_REJECTED);
    assertThat(e.getMessage()).contains("basic").doesNotContain("wrong");
  }

  @Test
  void viewerCredentialIsPermissionDeniedWithTheMissingPermission() throws Exception {
    long viewer = grafana.createServiceAccount(1, "viewer", "Viewer");
    secrets.put("viewer", Map.of("token", grafana.mintToken(viewer, "viewer", 0)));
    PermanentProviderException e =
        catchThrowableOfType(
            PermanentProviderException.class,
            () ->
                provider
                    .open(spec("viewer", byId(viewer)), lookup, SessionPurpose.ISSUE)
                    .create("t", Duration.ofHours(1)));
    assertThat(e.reason()).isEqualTo(Reasons.PERMISSION_DENIED);
    assertThat(e.getMessage()).contains("serviceaccounts:write");
  }

  @Test
  void lifetimeLimitsAreProviderRejectedWithAHint() throws Exception {
    long sa = grafana.createServiceAccount(1, "ci", "Viewer");
    TokenSession session = provider.open(spec(byId(sa)), lookup, SessionPurpose.ISSUE);
    grafana.tokenExpirationDayLimit(7);
    PermanentProviderException dayLimit =
        catchThrowableOfType(
            PermanentProviderException.class, () -> session.create("t", Duration.ofDays(30)));
    assertThat(dayLimit.reason()).isEqualTo(Reasons.PROVIDER_REJECTED);
    assertThat(dayLimit.getMessage()).contains("exceeds the limit").contains("secondsToLive");

    grafana.tokenExpirationDayLimit(-1).apiKeyMaxSecondsToLive(3600);
    PermanentProviderException maxTtl =
        catchThrowableOfType(
            PermanentProviderException.class, () -> session.create("t", Duration.ofHours(2)));
    assertThat(maxTtl.reason()).isEqualTo(Reasons.PROVIDER_REJECTED);
    assertThat(maxTtl.getMessage())
        .contains("greater than the global limit")
        .contains("secondsToLive");
  }

  @Test
  void serverErrorsAreTransient() throws Exception {
    long sa = grafana.createServiceAccount(1, "ci", "Viewer");
    TokenSession session = provider.open(spec(byId(sa)), lookup, SessionPurpose.ISSUE);
    grafana
        .failNext(Operation.CREATE_TOKEN, Fault.HTTP_500)
        .failNext(Operation.LIST_TOKENS, Fault.HTTP_503);
    TransientProviderException e500 =
        catchThrowableOfType(
            TransientProviderException.class, () -> session.create("t", Duration.ofHours(1)));
    assertThat(e500.reason()).isEqualTo(Reasons.PROVIDER_ERROR);
    assertThat(e500.getMessage()).contains("500");
    TransientProviderException e503 =
        catchThrowableOfType(TransientProviderException.class, session::list);
    assertThat(e503.reason()).isEqualTo(Reasons.PROVIDER_ERROR);
    assertThat(grafana.tokensOf(sa)).isEmpty();
  }

  @Test
  void timeoutIsTransientAndQuick() throws Exception {
    long sa = grafana.createServiceAccount(1, "ci", "Viewer");
    GrafanaTokenProvider impatient = new GrafanaTokenProvider(SHORT_TIMEOUT, operatorClock);
    TokenSession session = impatient.open(spec(byId(sa)), lookup, SessionPurpose.ISSUE);
    grafana.failNext(Operation.CREATE_TOKEN, Fault.timeout(Duration.ofSeconds(10)));
    long started = System.nanoTime();
    TransientProviderException e =
        catchThrowableOfType(
            TransientProviderException.class, () -> session.create("t", Duration.ofHours(1)));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(e.reason()).isEqualTo(Reasons.PROVIDER_ERROR);
    assertThat(e.getMessage()).contains("500 ms");
  }

  @Test
  void droppedConnectionIsTransientAndTheTokenMayExist() throws Exception {
    long sa = grafana.createServiceAccount(1, "ci", "Viewer");
    TokenSession session = provider.open(spec(byId(sa)), lookup, SessionPurpose.ISSUE);
    grafana.failNext(Operation.CREATE_TOKEN, Fault.DROP_AFTER_CREATE);
    TransientProviderException e =
        catchThrowableOfType(
            TransientProviderException.class, () -> session.create("lost", Duration.ofHours(1)));
    assertThat(e.reason()).isEqualTo(Reasons.PROVIDER_ERROR);
    assertThat(e.getMessage()).contains("may still have taken effect");
    assertThat(grafana.tokensOf(sa)).extracting(TokenSnapshot::name).containsExactly("lost");
  }

  @Test
  void refusedConnectionIsTransient() {
    FakeGrafana gone = FakeGrafana.start();
    String url = gone.baseUrl();
    gone.close();
    GrafanaServiceAccountTokenSpec spec = spec(byId(2));
    spec.getGrafana().setUrl(url);
    TransientProviderException e =
        catchThrowableOfType(
            TransientProviderException.class,
            () -> provider.open(spec, lookup, SessionPurpose.ISSUE).list());
    assertThat(e.reason()).isEqualTo(Reasons.PROVIDER_ERROR);
  }

  @Test
  void rateLimitIsTransientWithRetryAfter() throws Exception {
    long sa = grafana.createServiceAccount(1, "ci", "Viewer");
    TokenSession session = provider.open(spec(byId(sa)), lookup, SessionPurpose.ISSUE);
    grafana.failNext(Operation.LIST_TOKENS, Fault.rateLimit429(7));
    TransientProviderException e =
        catchThrowableOfType(TransientProviderException.class, session::list);
    assertThat(e.reason()).isEqualTo(Reasons.RATE_LIMITED);
    assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(7));
  }

  @Test
  void injected401IsCredentialsRejected() throws Exception {
    long sa = grafana.createServiceAccount(1, "ci", "Viewer");
    TokenSession session = provider.open(spec(byId(sa)), lookup, SessionPurpose.ISSUE);
    grafana.failNext(Operation.DELETE_TOKEN, Fault.UNAUTHORIZED_401);
    PermanentProviderException e =
        catchThrowableOfType(
            PermanentProviderException.class, () -> session.revoke(Long.toString(sa), "5"));
    assertThat(e.reason()).isEqualTo(Reasons.CREDENTIALS_REJECTED);
  }

  @Test
  void aWrongSubPathIsReportedAsSuch() {
    long sa = grafana.createServiceAccount(1, "ci", "Viewer");
    GrafanaServiceAccountTokenSpec wrong = spec(byId(sa));
    wrong.getGrafana().setUrl(grafana.baseUrl() + "/grafana");
    PermanentProviderException e =
        catchThrowableOfType(
            PermanentProviderException.class,
            () ->
                provider
                    .open(wrong, lookup, SessionPurpose.ISSUE)
                    .create("t", Duration.ofHours(1)));
    assertThat(e.reason()).isEqualTo(Reasons.SERVICE_ACCOUNT_NOT_FOUND);
    assertThat(e.getMessage()).contains("no such API route");
  }

  @Test
  void aFailedRevokeIsNotDone() throws Exception {
    long sa = grafana.createServiceAccount(1, "ci", "Viewer");
    TokenSession session = provider.open(spec(byId(sa)), lookup, SessionPurpose.ISSUE);
    IssuedToken token = session.create("t", Duration.ofHours(1));
    grafana.failNext(Operation.DELETE_TOKEN, Fault.HTTP_500);
    assertThatThrownBy(() -> session.revoke(token.serviceAccountId(), token.id()))
        .isInstanceOf(TransientProviderException.class);
    assertThat(grafana.authenticates(token.key())).isTrue();
  }

  // ---- credentials ----------------------------------------------------------------------------

  @Test
  void basicAuthWhenTheSecretHasNoToken() throws Exception {
    grafana.addAdminUser("admin", "pw");
    long sa = grafana.createServiceAccount(1, "ci", "Viewer");
    secrets.put("basic", Map.of("username", "admin", "password", "pw"));
    IssuedToken token =
        provider
            .open(spec("basic", byId(sa)), lookup, SessionPurpose.ISSUE)
            .create("t", Duration.ofHours(1));
    assertThat(grafana.authenticates(token.key())).isTrue();
    assertThat(request(Operation.CREATE_TOKEN).authScheme()).isEqualTo("Basic");
  }

  @Test
  void tokenWinsOverBasicAndCustomKeysAreHonoured() throws Exception {
    long sa = grafana.createServiceAccount(1, "ci", "Viewer");
    String key = secrets.get("grafana-admin").get("token");
    secrets.put("custom", Map.of("api-token", key, "user", "nobody", "pass", "nothing"));
    GrafanaServiceAccountTokenSpec spec = spec("custom", byId(sa));
    CredentialsSecretRef ref = spec.getGrafana().getCredentialsSecretRef();
    ref.setTokenKey("api-token");
    ref.setUsernameKey("user");
    ref.setPasswordKey("pass");
    provider.open(spec, lookup, SessionPurpose.ISSUE).list();
    assertThat(request(Operation.LIST_TOKENS).authScheme()).isEqualTo("Bearer");
  }

  @Test
  void secretWithoutUsableKeysIsCredentialsNotFoundNamingThem() {
    secrets.put("half", Map.of("username", "admin"));
    PermanentProviderException e =
        catchThrowableOfType(
            PermanentProviderException.class,
            () -> provider.open(spec("half", byId(2)), lookup, SessionPurpose.ISSUE));
    assertThat(e.reason()).isEqualTo(Reasons.CREDENTIALS_NOT_FOUND);
    assertThat(e.getMessage())
        .contains("half")
        .contains("token")
        .contains("username")
        .contains("password");
    assertThat(grafana.requestCount(Operation.GET_SA)).isZero();
  }

  @Test
  void missingSecretIsCredentialsNotFound() {
    PermanentProviderException e =
        catchThrowableOfType(
            PermanentProviderException.class,
            () -> provider.open(spec("nowhere", byId(2)), lookup, SessionPurpose.ISSUE));
    assertThat(e.reason()).isEqualTo(Reasons.CREDENTIALS_NOT_FOUND);
    assertThat(e.getMessage()).contains("nowhere");
  }

  @Test
  void orgIdSelectsTheOrgOfAServiceAccountToken() throws Exception {
    // Grafana main scopes the token lookup by org: without the header an org-2 token fails.
    grafana.orgScopedTokenLookup(true);
    long org2 = grafana.createOrg("second");
    secrets.put("org2-admin", Map.of("token", grafana.mintAdminToken(org2)));
    GrafanaServiceAccountTokenSpec spec = spec("org2-admin", byName("bot", true, "Viewer"));
    assertThat(
            catchThrowableOfType(
                    PermanentProviderException.class,
                    () -> provider.open(spec, lookup, SessionPurpose.ISSUE).serviceAccountId())
                .reason())
        .isEqualTo(Reasons.CREDENTIALS_REJECTED);

    spec.getGrafana().setOrgId(org2);
    TokenSession session = provider.open(spec, lookup, SessionPurpose.ISSUE);
    IssuedToken token = session.create("t", Duration.ofHours(1));
    assertThat(
            grafana
                .serviceAccount(Long.parseLong(session.serviceAccountId()))
                .orElseThrow()
                .orgId())
        .isEqualTo(org2);
    assertThat(grafana.tokens(org2)).extracting(TokenSnapshot::name).contains("t");
    assertThat(grafana.tokens(1)).extracting(TokenSnapshot::name).doesNotContain("t");
    assertThat(grafana.authenticates(token.key())).isTrue();
  }

  @Test
  void worksUnderASubPath() throws Exception {
    try (FakeGrafana sub = FakeGrafana.builder().basePath("/grafana").clock(grafanaClock).start()) {
      long sa = sub.createServiceAccount(1, "ci", "Viewer");
      secrets.put("sub", Map.of("token", sub.mintAdminToken(1)));
      GrafanaServiceAccountTokenSpec spec = spec("sub", byId(sa));
      spec.getGrafana().setUrl(sub.baseUrl() + "/");
      IssuedToken token =
          provider.open(spec, lookup, SessionPurpose.ISSUE).create("t", Duration.ofHours(1));
      assertThat(sub.authenticates(token.key())).isTrue();
      assertThat(provider.baseUrl(spec)).hasValue(sub.baseUrl());
    }
  }

  @Test
  void noMessageEverCarriesAMintedKey() throws Exception {
    long sa = grafana.createServiceAccount(1, "ci", "Viewer");
    TokenSession session = provider.open(spec(byId(sa)), lookup, SessionPurpose.ISSUE);
    IssuedToken token = session.create("t", Duration.ofHours(1));
    // A key-shaped token name comes back in Grafana's messages and ours; it must be masked.
    String keyShapedName = GrafanaKeys.newKey(new SecureRandom());
    session.create(keyShapedName, Duration.ofHours(1));
    NameConflictException conflict =
        catchThrowableOfType(
            NameConflictException.class, () -> session.create(keyShapedName, Duration.ofHours(1)));
    grafana.failNext(Operation.CREATE_TOKEN, Fault.DROP_AFTER_CREATE);
    ProviderException dropped =
        catchThrowableOfType(
            ProviderException.class, () -> session.create("u", Duration.ofHours(1)));
    for (Throwable t : List.of(conflict, dropped)) {
      assertThat(t.getMessage()).doesNotContain(token.key()).doesNotContain(keyShapedName);
      assertThat(t.toString()).doesNotContain(token.key()).doesNotContain(keyShapedName);
    }
    assertThat(token.toString()).doesNotContain(token.key());
    assertThat(session.toString()).doesNotContain(token.key());
    String adminKey = secrets.get("grafana-admin").get("token").strip();
    assertThat(List.of(conflict.getMessage(), dropped.getMessage(), session.toString()))
        .allSatisfy(m -> assertThat(m).doesNotContain(adminKey));
  }

  // ---- helpers --------------------------------------------------------------------------------

  private RecordedRequest request(Operation op) {
    return grafana.requests().stream().filter(r -> r.operation() == op).findFirst().orElseThrow();
  }

  private static ServiceAccountRef byId(long id) {
    ServiceAccountRef ref = new ServiceAccountRef();
    ref.setId(id);
    return ref;
  }

  private static ServiceAccountRef byName(String name, Boolean createIfMissing, String role) {
    ServiceAccountRef ref = new ServiceAccountRef();
    ref.setName(name);
    ref.setCreateIfMissing(createIfMissing);
    ref.setRole(role);
    return ref;
  }

  private GrafanaServiceAccountTokenSpec spec(ServiceAccountRef account) {
    return spec("grafana-admin", account);
  }

  private GrafanaServiceAccountTokenSpec spec(String secretName, ServiceAccountRef account) {
    CredentialsSecretRef credentials = new CredentialsSecretRef();
    credentials.setName(secretName);
    GrafanaProvider grafanaBlock = new GrafanaProvider();
    grafanaBlock.setUrl(grafana.baseUrl());
    grafanaBlock.setCredentialsSecretRef(credentials);
    grafanaBlock.setServiceAccount(account);
    GrafanaServiceAccountTokenSpec spec = new GrafanaServiceAccountTokenSpec();
    spec.setGrafana(grafanaBlock);
    return spec;
  }
}
