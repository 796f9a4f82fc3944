package io.grafanatokens.provider.amg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.fakes.amg.AmgFault;
import io.grafanatokens.fakes.amg.AmgOperation;
import io.grafanatokens.fakes.amg.AmgRecordedRequest;
import io.grafanatokens.fakes.amg.AmgTokenResources;
import io.grafanatokens.fakes.amg.AmgTokenSnapshot;
import io.grafanatokens.fakes.amg.FakeAmg;
import io.grafanatokens.fakes.grafana.MutableClock;
import io.grafanatokens.provider.IssuedToken;
import io.grafanatokens.provider.NameConflictException;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.ProviderKind;
import io.grafanatokens.provider.SessionPurpose;
import io.grafanatokens.provider.TokenInfo;
import io.grafanatokens.provider.TokenSession;
import io.grafanatokens.provider.TransientProviderException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * The amazonManagedGrafana provider against the fake AMG: the TokenProvider contract and every
 * error class.
 */
class AmgTokenProviderTest {
  /** Generous: the first SDK call of a JVM loads many classes inside the attempt's timer. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final Instant T0 = Instant.parse("2026-03-10T10:00:00.700Z");
  private static final Duration HOUR = Duration.ofHours(1);

  private MutableClock clock;
  private FakeAmg amg;
  private String ws;
  private String sa;
  private AmgTokenProvider provider;
  private MapSecretLookup secrets;

  /** Production settings, except that the SDK's one list/delete retry comes at once. */
  static AmgSdkSettings fastRetries() {
    return AmgSdkSettings.production()
        .withCallRetries(() -> AmgRetryPolicy.forCalls(BackoffStrategy.retryImmediately()));
  }

  @BeforeEach
  void start() {
    clock = new MutableClock(T0);
    amg = FakeAmg.builder().clock(clock).region("eu-west-1").start();
    ws = amg.createWorkspace();
    sa = amg.createServiceAccount(ws, "ci-bot", "VIEWER");
    provider = new AmgTokenProvider(TIMEOUT, clock, Optional.empty(), fastRetries());
    secrets =
        new MapSecretLookup()
            .with(
                AmgTokenResources.CREDENTIALS_SECRET,
                AmgTokenResources.credentials("AKIAFAKE0001", "secret-1", null));
  }

  @AfterEach
  void stop() {
    provider.close();
    amg.close();
  }

  private GrafanaServiceAccountTokenSpec spec() {
    return AmgTokenResources.spec(amg, ws, sa);
  }

  private TokenSession session() throws ProviderException {
    return provider.open(spec(), secrets, SessionPurpose.ISSUE);
  }

  // ---- the SPI's pure parts

  @Test
  void describesItselfAndItsShapingFields() {
    GrafanaServiceAccountTokenSpec s = spec();
    assertThat(provider.kind()).isEqualTo(ProviderKind.AMAZON_MANAGED_GRAFANA);
    assertThat(provider.capabilities().canList()).isTrue();
    assertThat(provider.capabilities().tokensHaveIds()).isTrue();
    assertThat(provider.shapingFields(s))
        .isEqualTo("workspaceId=" + ws + "\nregion=eu-west-1\nserviceAccountId=" + sa);
    assertThat(provider.baseUrl(s))
        .hasValue("https://" + ws + ".grafana-workspace.eu-west-1.amazonaws.com");
    assertThat(provider.usesAmbientCredentials(s)).isFalse();
    assertThat(provider.usesAmbientCredentials(AmgTokenResources.ambientSpec(amg, ws, sa)))
        .isTrue();

    GrafanaServiceAccountTokenSpec moved = spec();
    moved.getAmazonManagedGrafana().setEndpoint("https://vpce.example");
    moved.getAmazonManagedGrafana().setCredentialsSecretRef(null);
    assertThat(provider.shapingFields(moved))
        .as("endpoint and credentials shape no token")
        .isEqualTo(provider.shapingFields(s));
  }

  // ---- issue, list, revoke

  @Test
  void issuesATokenWhoseKeyWorksAndEstimatesItsExpiryFromTheSendTime() throws Exception {
    IssuedToken t = session().create("dash-00000000-1", HOUR);
    assertThat(t.name()).isEqualTo("dash-00000000-1");
    assertThat(t.serviceAccountId()).isEqualTo(sa);
    assertThat(t.issuedAt()).isEqualTo(Instant.parse("2026-03-10T10:00:00Z"));
    assertThat(t.expiresAt()).isEqualTo(t.issuedAt().plus(HOUR));
    assertThat(t.lifetimeFromProvider()).isFalse();
    assertThat(amg.authenticates(t.key())).isTrue();
    assertThat(t.toString()).doesNotContain(t.key()).contains("key=***");
    AmgTokenSnapshot at = amg.token(ws, t.id()).orElseThrow();
    assertThat(at.name()).isEqualTo("dash-00000000-1");
    assertThat(amg.requests())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.operation()).isEqualTo(AmgOperation.CREATE_TOKEN);
              assertThat(r.accessKeyId()).isEqualTo("AKIAFAKE0001");
              assertThat(r.region()).isEqualTo("eu-west-1");
              assertThat(r.sdkRequest()).as("SDK retries are off for creates").endsWith("max=1");
            });
  }

  @Test
  void listsTheRealTimestampsAndMarksExpiredTokens() throws Exception {
    TokenSession s = session();
    IssuedToken t = s.create("a", HOUR);
    amg.mintToken(ws, sa, "short", 60);
    List<TokenInfo> listed = s.list().tokens();
    assertThat(listed).extracting(TokenInfo::name).containsExactly("a", "short");
    TokenInfo a = listed.get(0);
    assertThat(a.id()).isEqualTo(t.id());
    assertThat(a.createdAt()).isEqualTo(amg.token(ws, t.id()).orElseThrow().created());
    assertThat(a.expiresAt()).isEqualTo(amg.token(ws, t.id()).orElseThrow().expires());
    assertThat(a.revoked()).isFalse();
    assertThat(a.expired()).isFalse();

    clock.advance(Duration.ofSeconds(60));
    assertThat(s.list().tokens())
        .extracting(TokenInfo::name, TokenInfo::expired)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", false),
            org.assertj.core.groups.Tuple.tuple("short", true));
  }

  @Test
  void pagesThroughMoreThanAHundredTokens() throws Exception {
    for (int i = 0; i < 150; i++) {
      amg.mintToken(ws, sa, "t-" + i, 3600);
    }
    amg.resetCounters();
    assertThat(session().list().tokens()).hasSize(150);
    assertThat(amg.requestCount(AmgOperation.LIST_TOKENS)).isEqualTo(2);
    assertThat(amg.requests())
        .extracting(AmgRecordedRequest::path)
        .allSatisfy(p -> assertThat(p).contains("maxResults=100"));
  }

  @Test
  void revokesAndCountsATokenAlreadyGoneAsDone() throws Exception {
    TokenSession s = session();
    IssuedToken t = s.create("a", HOUR);
    s.revoke(sa, t.id());
    assertThat(amg.authenticates(t.key())).isFalse();
    assertThat(amg.token(ws, t.id()).orElseThrow().deleted()).isNotNull();
    s.revoke(sa, t.id());
    assertThat(amg.requestCount(AmgOperation.DELETE_TOKEN)).isEqualTo(2);

    IssuedToken other = s.create("b", HOUR);
    amg.deleteServiceAccountOutOfBand(ws, sa);
    s.revoke(sa, other.id());
    assertThatThrownBy(() -> s.revoke(sa, " "))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("token id is empty");
  }

  @Test
  void revokesOnTheServiceAccountRecordedWithTheToken() throws Exception {
    String old = amg.createServiceAccount(ws, "old-bot", "VIEWER");
    String key = amg.mintToken(ws, old, "old-token", 3600);
    String id = amg.tokensOf(ws, old).get(0).id();
    session().revoke(old, id);
    assertThat(amg.authenticates(key)).isFalse();
  }

  // ---- creates are not retried by the SDK

  @Test
  void aFailedCreateIsSentExactlyOnce() {
    amg.failNext(AmgOperation.CREATE_TOKEN, AmgFault.INTERNAL_SERVER, 5);
    assertThatThrownBy(() -> session().create("a", HOUR))
        .isInstanceOfSatisfying(
            TransientProviderException.class,
            e -> assertThat(e.reason()).isEqualTo("ProviderError"));
    assertThat(amg.requestCount(AmgOperation.CREATE_TOKEN)).isEqualTo(1);
  }

  @Test
  void aCreateWhoseAnswerIsLostIsSentExactlyOnceAndLeavesOneToken() {
    amg.failNext(AmgOperation.CREATE_TOKEN, AmgFault.DROP_AFTER_CREATE);
    assertThatThrownBy(() -> session().create("lost", HOUR))
        .isInstanceOfSatisfying(
            TransientProviderException.class,
            e -> assertThat(e.getMessage()).contains("may still have taken effect"));
    assertThat(amg.requestCount(AmgOperation.CREATE_TOKEN)).isEqualTo(1);
    assertThat(amg.tokensOf(ws, sa)).extracting(AmgTokenSnapshot::name).containsExactly("lost");
  }

  @Test
  void aCreateWithoutAnAnswerInTimeIsATransientFailureSentOnce() throws Exception {
    AmgTokenProvider quick =
        new AmgTokenProvider(Duration.ofMillis(300), clock, Optional.empty(), fastRetries());
    try {
      // classes loaded first, so that the short timer measures only the wait for the answer
      session().list().tokens();
      amg.resetCounters();
      amg.failNext(AmgOperation.CREATE_TOKEN, AmgFault.hold(Duration.ofSeconds(5)));
      long started = System.nanoTime();
      assertThatThrownBy(
              () -> quick.open(spec(), secrets, SessionPurpose.ISSUE).create("slow", HOUR))
          .isInstanceOfSatisfying(
              TransientProviderException.class,
              e -> {
                assertThat(e.reason()).isEqualTo("ProviderError");
                assertThat(e.getMessage()).contains("no answer in time");
              });
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
      assertThat(amg.requestCount(AmgOperation.CREATE_TOKEN)).isEqualTo(1);
    } finally {
      quick.close();
    }
  }

  @Test
  void listsAndDeletesAreRetriedOnceOnAQuickBlipButNeverOnThrottling() throws Exception {
    amg.failNext(AmgOperation.LIST_TOKENS, AmgFault.INTERNAL_SERVER);
    assertThat(session().list().tokens()).isEmpty();
    assertThat(amg.requestCount(AmgOperation.LIST_TOKENS)).isEqualTo(2);

    amg.resetCounters();
    amg.failNext(AmgOperation.LIST_TOKENS, AmgFault.throttling(1), 3);
    assertThatThrownBy(() -> session().list().tokens())
        .isInstanceOf(TransientProviderException.class);
    assertThat(amg.requestCount(AmgOperation.LIST_TOKENS))
        .as("the reconciler honours Retry-After")
        .isEqualTo(1);

    amg.clearFaults();
    amg.resetCounters();
    amg.failNext(AmgOperation.DELETE_TOKEN, AmgFault.internalServer(3));
    assertThatThrownBy(() -> session().revoke(sa, "1"))
        .isInstanceOfSatisfying(
            TransientProviderException.class,
            e -> assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(3)));
    assertThat(amg.requestCount(AmgOperation.DELETE_TOKEN))
        .as("an advised wait is the reconciler's")
        .isEqualTo(1);
  }

  // ---- errors

  @Test
  void throttlingIsRateLimitedWithTheAdvisedWait() {
    amg.failNext(AmgOperation.CREATE_TOKEN, AmgFault.throttling(7));
    assertThatThrownBy(() -> session().create("a", HOUR))
        .isInstanceOfSatisfying(
            TransientProviderException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("RateLimited");
              assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(7));
            });
  }

  @Test
  void serverErrorsAreTransientAndHonourRetryAfter() {
    amg.failNext(AmgOperation.CREATE_TOKEN, AmgFault.internalServer(4));
    amg.failNext(
        AmgOperation.CREATE_TOKEN, AmgFault.error(503, "ServiceUnavailableException", "down"));
    assertThatThrownBy(() -> session().create("a", HOUR))
        .isInstanceOfSatisfying(
            TransientProviderException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("ProviderError");
              assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(4));
              assertThat(e.getMessage()).contains("500 InternalServerException").contains("sweep");
            });
    assertThatThrownBy(() -> session().create("a", HOUR))
        .isInstanceOfSatisfying(
            TransientProviderException.class, e -> assertThat(e.getMessage()).contains("503"));
  }

  @Test
  void aFullQuotaIsQuotaExceededAndSaysWhatCounts() {
    amg.tokenQuotaPerServiceAccount(1);
    amg.mintToken(ws, sa, "expired", 60);
    clock.advance(Duration.ofMinutes(2));
    assertThatThrownBy(() -> session().create("a", HOUR))
        .isInstanceOfSatisfying(
            PermanentProviderException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("QuotaExceeded");
              assertThat(e.getMessage())
                  .contains("service account " + sa)
                  .contains("expired ones count");
            });
  }

  @Test
  void accessDeniedIsPermissionDeniedNamingTheIamActionsAndTheWorkspaceArn() {
    amg.failNext(AmgOperation.CREATE_TOKEN, AmgFault.ACCESS_DENIED);
    assertThatThrownBy(() -> session().create("a", HOUR))
        .isInstanceOfSatisfying(
            PermanentProviderException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("PermissionDenied");
              assertThat(e.getMessage())
                  .contains("grafana:CreateWorkspaceServiceAccountToken")
                  .contains("grafana:ListWorkspaceServiceAccountTokens")
                  .contains("grafana:DeleteWorkspaceServiceAccountToken")
                  .contains("arn:aws:grafana:eu-west-1:<account>:/workspaces/" + ws)
                  .contains("Secret aws-creds");
            });
  }

  @Test
  void aMissingServiceAccountOrWorkspaceIsServiceAccountNotFound() throws Exception {
    GrafanaServiceAccountTokenSpec noAccount = spec();
    noAccount.getAmazonManagedGrafana().setServiceAccountId("404");
    assertThatThrownBy(
            () -> provider.open(noAccount, secrets, SessionPurpose.ISSUE).create("a", HOUR))
        .isInstanceOfSatisfying(
            PermanentProviderException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("ServiceAccountNotFound");
              assertThat(e.getMessage())
                  .contains("no service account 404")
                  .contains("serviceAccountId");
            });
    GrafanaServiceAccountTokenSpec noWorkspace = spec();
    noWorkspace.getAmazonManagedGrafana().setWorkspaceId("g-0000000000");
    assertThatThrownBy(
            () -> provider.open(noWorkspace, secrets, SessionPurpose.ISSUE).list().tokens())
        .isInstanceOfSatisfying(
            PermanentProviderException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("ServiceAccountNotFound");
              assertThat(e.getMessage()).contains("no workspace g-0000000000 in eu-west-1");
            });
  }

  @Test
  void aValidationErrorIsProviderRejectedWithItsFieldList() {
    assertThatThrownBy(() -> session().create("n".repeat(129), HOUR))
        .isInstanceOfSatisfying(
            PermanentProviderException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("ProviderRejected");
              assertThat(e.getMessage())
                  .contains("ValidationException FIELD_VALIDATION_FAILED")
                  .contains("[name: Member must have length between 1 and 128]");
            });
    assertThatThrownBy(() -> session().create("a", Duration.ofSeconds(2_592_001)))
        .isInstanceOfSatisfying(
            PermanentProviderException.class,
            e -> assertThat(e.getMessage()).contains("spec.secondsToLive"));
    assertThat(amg.requestCount(AmgOperation.CREATE_TOKEN))
        .as("the lifetime is checked before sending")
        .isEqualTo(1);
  }

  @Test
  void aNameTakenInTheWorkspaceIsANameConflict() throws Exception {
    String other = amg.createServiceAccount(ws, "other", "VIEWER");
    amg.mintToken(ws, other, "taken", 60);
    assertThatThrownBy(() -> session().create("taken", HOUR))
        .isInstanceOfSatisfying(
            NameConflictException.class,
            e -> assertThat(e.getMessage()).contains(ws).contains("409"));
  }

  @Test
  void rejectedAccessKeysAreCredentialsRejectedNamingTheSecret() {
    amg.acceptOnlyAccessKeys("AKIASOMEONEELSE");
    assertThatThrownBy(() -> session().list().tokens())
        .isInstanceOfSatisfying(
            PermanentProviderException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("CredentialsRejected");
              assertThat(e.getMessage())
                  .contains("UnrecognizedClientException")
                  .contains("access key AKIAFAKE0001 in Secret aws-creds")
                  .contains("update the keys");
            });
    amg.acceptOnlyAccessKeys();
    amg.failNext(AmgOperation.CREATE_TOKEN, AmgFault.EXPIRED_TOKEN);
    assertThatThrownBy(() -> session().create("a", HOUR))
        .isInstanceOfSatisfying(
            PermanentProviderException.class,
            e -> assertThat(e.reason()).isEqualTo("CredentialsRejected"));
  }

  @Test
  void anUnreachableEndpointIsATransientProviderError() {
    int port = amg.endpoint().lastIndexOf(':');
    String endpoint = amg.endpoint();
    amg.close();
    GrafanaServiceAccountTokenSpec s = spec();
    s.getAmazonManagedGrafana().setEndpoint(endpoint);
    assertThat(port).isPositive();
    assertThatThrownBy(() -> provider.open(s, secrets, SessionPurpose.ISSUE).list().tokens())
        .isInstanceOfSatisfying(
            TransientProviderException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("ProviderError");
              assertThat(e.getMessage()).contains("cannot connect to AMG");
            });
  }

  @Test
  void badRegionsAndEndpointsAreRejectedBeforeAnyCall() {
    GrafanaServiceAccountTokenSpec badRegion = spec();
    badRegion.getAmazonManagedGrafana().setRegion("eu west/1");
    assertThatThrownBy(() -> provider.open(badRegion, secrets, SessionPurpose.ISSUE))
        .isInstanceOfSatisfying(
            PermanentProviderException.class,
            e -> assertThat(e.getMessage()).contains("spec.amazonManagedGrafana.region"));
    GrafanaServiceAccountTokenSpec badEndpoint = spec();
    badEndpoint.getAmazonManagedGrafana().setEndpoint("ftp://user@host/x?y");
    assertThatThrownBy(() -> provider.open(badEndpoint, secrets, SessionPurpose.ISSUE))
        .isInstanceOfSatisfying(
            PermanentProviderException.class,
            e -> assertThat(e.getMessage()).contains("spec.amazonManagedGrafana.endpoint"));
    assertThat(amg.totalRequests()).isZero();
  }

  @Test
  void warnsThatAPlainHttpEndpointCarriesKeysInClear() throws Exception {
    assertThat(session().warnings()).singleElement().asString().contains("http://");
  }
}
