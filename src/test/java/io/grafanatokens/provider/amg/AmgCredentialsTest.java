package io.grafanatokens.provider.amg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.fakes.amg.AmgOperation;
import io.grafanatokens.fakes.amg.AmgRecordedRequest;
import io.grafanatokens.fakes.amg.AmgTokenResources;
import io.grafanatokens.fakes.amg.FakeAmg;
import io.grafanatokens.fakes.amg.FakeContainerCredentials;
import io.grafanatokens.fakes.amg.FakeSts;
import io.grafanatokens.fakes.grafana.MutableClock;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.SessionPurpose;
import io.grafanatokens.provider.TokenSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Where the provider's AWS credentials come from: static keys in a Secret, and the operator's own
 * identity through the SDK's default chain (IRSA web identity, EKS Pod Identity) against loopback
 * fakes. The chain reads system properties where a pod has environment variables.
 */
class AmgCredentialsTest {
  private static final String ROLE_ARN = "arn:aws:iam::111122223333:role/grafana-token-operator";
  private static final String WEB_IDENTITY_TOKEN =
      "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvcGVyYXRvciJ9.c2lnbmF0dXJl";

  @TempDir Path tmp;
  private final Map<String, String> savedProperties = new HashMap<>();
  private final Clock clock = new MutableClock(Instant.parse("2026-03-10T10:00:00Z"));
  private FakeAmg amg;
  private String ws;
  private String sa;
  private AmgTokenProvider provider;

  @BeforeEach
  void start() {
    amg = FakeAmg.builder().clock(clock).region("eu-west-1").start();
    ws = amg.createWorkspace();
    sa = amg.createServiceAccount(ws, "ci-bot", "VIEWER");
    // nothing of the developer's machine may leak into the chain, and IMDS is never asked
    setProperty("aws.disableEc2Metadata", "true");
    setProperty("aws.sharedCredentialsFile", tmp.resolve("no-credentials").toString());
    setProperty("aws.configFile", tmp.resolve("no-config").toString());
  }

  @AfterEach
  void stop() {
    if (provider != null) {
      provider.close();
    }
    amg.close();
    savedProperties.forEach(
        (k, v) -> {
          if (v == null) {
            System.clearProperty(k);
          } else {
            System.setProperty(k, v);
          }
        });
  }

  private void setProperty(String key, String value) {
    savedProperties.putIfAbsent(key, System.getProperty(key));
    System.setProperty(key, value);
  }

  /** A provider whose ambient identity is the real default chain, sending to the fake. */
  private AmgTokenProvider ambientProvider() {
    return new AmgTokenProvider(
        AmgTokenProviderTest.TIMEOUT,
        clock,
        Optional.of(amg.endpoint()),
        AmgTokenProviderTest.fastRetries());
  }

  private static void assumeNoAmbientAwsEnvironment() {
    assumeTrue(
        Stream.of(
                "AWS_ACCESS_KEY_ID",
                "AWS_WEB_IDENTITY_TOKEN_FILE",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                "AWS_ENDPOINT_URL_GRAFANA",
                "AWS_ENDPOINT_URL")
            .allMatch(v -> System.getenv(v) == null),
        "the test JVM has AWS credentials in its environment");
  }

  // ---- static keys from a Secret

  @Test
  void signsWithTheSecretsKeysAndSendsItsSessionToken() throws Exception {
    provider =
        new AmgTokenProvider(
            AmgTokenProviderTest.TIMEOUT,
            clock,
            Optional.empty(),
            AmgTokenProviderTest.fastRetries());
    MapSecretLookup secrets =
        new MapSecretLookup()
            .with(
                AmgTokenResources.CREDENTIALS_SECRET,
                AmgTokenResources.credentials(
                    "ASIASESSIONKEY01\n", "secret\n", "session-token-1\n"));
    provider
        .open(AmgTokenResources.spec(amg, ws, sa), secrets, SessionPurpose.ISSUE)
        .list()
        .tokens();
    assertThat(amg.requests())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.accessKeyId())
                  .as("trailing newlines are dropped")
                  .isEqualTo("ASIASESSIONKEY01");
              assertThat(r.securityToken()).isEqualTo("session-token-1");
              assertThat(r.rejected()).isNull();
            });
  }

  @Test
  void newKeysInTheSecretTakeEffectAtTheNextCall() throws Exception {
    provider =
        new AmgTokenProvider(
            AmgTokenProviderTest.TIMEOUT,
            clock,
            Optional.empty(),
            AmgTokenProviderTest.fastRetries());
    GrafanaServiceAccountTokenSpec spec = AmgTokenResources.spec(amg, ws, sa);
    MapSecretLookup secrets =
        new MapSecretLookup()
            .with(
                AmgTokenResources.CREDENTIALS_SECRET,
                AmgTokenResources.credentials("AKIAFIRSTKEY", "one", null));
    provider.open(spec, secrets, SessionPurpose.ISSUE).list().tokens();
    provider.open(spec, secrets, SessionPurpose.ISSUE).list().tokens();
    secrets.with(
        AmgTokenResources.CREDENTIALS_SECRET,
        AmgTokenResources.credentials("AKIASECONDKEY", "two", null));
    provider.open(spec, secrets, SessionPurpose.ISSUE).list().tokens();
    assertThat(amg.requests())
        .extracting(AmgRecordedRequest::accessKeyId)
        .containsExactly("AKIAFIRSTKEY", "AKIAFIRSTKEY", "AKIASECONDKEY");
    assertThat(amg.requests()).allSatisfy(r -> assertThat(r.securityToken()).isNull());
  }

  @Test
  void aMissingSecretOrKeyIsCredentialsNotFoundNamingThem() {
    provider =
        new AmgTokenProvider(
            AmgTokenProviderTest.TIMEOUT,
            clock,
            Optional.empty(),
            AmgTokenProviderTest.fastRetries());
    GrafanaServiceAccountTokenSpec spec = AmgTokenResources.spec(amg, ws, sa);
    assertThatThrownBy(() -> provider.open(spec, new MapSecretLookup(), SessionPurpose.ISSUE))
        .isInstanceOfSatisfying(
            PermanentProviderException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("CredentialsNotFound");
              assertThat(e.getMessage()).contains("Secret aws-creds").contains("not found");
            });
    assertThatThrownBy(
            () ->
                provider.open(
                    spec,
                    new MapSecretLookup().with("aws-creds", Map.of("sessionToken", "x")),
                    SessionPurpose.ISSUE))
        .isInstanceOfSatisfying(
            PermanentProviderException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("CredentialsNotFound");
              assertThat(e.getMessage()).contains("no key accessKeyId and no key secretAccessKey");
            });
    assertThatThrownBy(
            () ->
                provider.open(
                    spec,
                    new MapSecretLookup()
                        .with("aws-creds", AmgTokenResources.credentials("AKIA KEY", "s", null)),
                    SessionPurpose.ISSUE))
        .isInstanceOfSatisfying(
            PermanentProviderException.class,
            e -> assertThat(e.getMessage()).contains("key accessKeyId of Secret aws-creds"));
    assertThat(amg.totalRequests()).isZero();
  }

  // ---- the operator's own identity

  /** An issue session for a resource that names no credentials: the operator's own identity. */
  private TokenSession openAmbient() throws ProviderException {
    return provider.open(
        AmgTokenResources.ambientSpec(amg, ws, sa), new MapSecretLookup(), SessionPurpose.ISSUE);
  }

  @Test
  void ambientCredentialsGoOnlyToTheOperatorsEndpointNeverToTheResourcesOne() throws Exception {
    FakeAmg tenantPicked = FakeAmg.builder().clock(clock).region("eu-west-1").start();
    try {
      provider =
          new AmgTokenProvider(
              AmgTokenProviderTest.TIMEOUT,
              clock,
              Optional.of(amg.endpoint()),
              AmgTokenProviderTest.fastRetries()
                  .withAmbientCredentials(
                      () ->
                          StaticCredentialsProvider.create(
                              AwsSessionCredentials.create(
                                  "ASIAOPERATOR0001", "operator-secret", "operator-session"))));
      GrafanaServiceAccountTokenSpec spec = AmgTokenResources.ambientSpec(amg, ws, sa);
      spec.getAmazonManagedGrafana().setEndpoint(tenantPicked.endpoint());
      TokenSession session = provider.open(spec, new MapSecretLookup(), SessionPurpose.ISSUE);
      session.list().tokens();
      assertThat(tenantPicked.totalRequests()).isZero();
      assertThat(amg.requests())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.accessKeyId()).isEqualTo("ASIAOPERATOR0001");
                assertThat(r.securityToken()).isEqualTo("operator-session");
              });
      assertThat(session.warnings()).singleElement().asString().contains("endpoint is ignored");
    } finally {
      tenantPicked.close();
    }
  }

  @Test
  void irsaWebIdentityIsExchangedAtStsAndItsSessionCredentialsSignTheCalls() throws Exception {
    assumeNoAmbientAwsEnvironment();
    try (FakeSts sts = FakeSts.start(WEB_IDENTITY_TOKEN, ROLE_ARN)) {
      Path tokenFile = tmp.resolve("token");
      // no trailing newline: the SDK does not trim the file
      // (docs/provider-apis.md#amg-credentials),
      // nor does EKS write one
      Files.writeString(tokenFile, WEB_IDENTITY_TOKEN);
      setProperty("aws.webIdentityTokenFile", tokenFile.toString());
      setProperty("aws.roleArn", ROLE_ARN);
      setProperty("aws.roleSessionName", "grafana-token-operator");
      setProperty("aws.endpointUrlSts", sts.endpoint());
      setProperty("aws.region", "eu-west-1");
      provider = ambientProvider();

      TokenSession session = openAmbient();
      String key = session.create("irsa", Duration.ofHours(1)).key();
      assertThat(amg.authenticates(key)).isTrue();
      assertThat(sts.calls())
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.get("Action")).isEqualTo("AssumeRoleWithWebIdentity");
                assertThat(c.get("RoleArn")).isEqualTo(ROLE_ARN);
                assertThat(c.get("WebIdentityToken")).isEqualTo(WEB_IDENTITY_TOKEN);
              });
      FakeSts.SessionCredentials issued = sts.issued().get(0);
      assertThat(amg.requests())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.operation()).isEqualTo(AmgOperation.CREATE_TOKEN);
                assertThat(r.accessKeyId()).isEqualTo(issued.accessKeyId());
                assertThat(r.securityToken()).isEqualTo(issued.sessionToken());
              });
      provider
          .open(
              AmgTokenResources.ambientSpec(amg, ws, sa),
              new MapSecretLookup(),
              SessionPurpose.ISSUE)
          .list()
          .tokens();
      assertThat(sts.calls())
          .as("session credentials are cached until near their expiry")
          .hasSize(1);
    }
  }

  @Test
  void aWebIdentityStsRefusesIsCredentialsRejectedPointingAtTheTrustPolicy() throws Exception {
    assumeNoAmbientAwsEnvironment();
    try (FakeSts sts = FakeSts.start("another-token", ROLE_ARN)) {
      Path tokenFile = tmp.resolve("token");
      Files.writeString(tokenFile, WEB_IDENTITY_TOKEN);
      setProperty("aws.webIdentityTokenFile", tokenFile.toString());
      setProperty("aws.roleArn", ROLE_ARN);
      setProperty("aws.endpointUrlSts", sts.endpoint());
      setProperty("aws.region", "eu-west-1");
      provider = ambientProvider();
      assertThatThrownBy(this::openAmbient)
          .isInstanceOfSatisfying(
              PermanentProviderException.class,
              e -> {
                assertThat(e.reason()).isEqualTo("CredentialsRejected");
                assertThat(e.getMessage())
                    .contains("IRSA")
                    .contains("trust policy")
                    .contains("Not authorized to perform sts:AssumeRoleWithWebIdentity")
                    .doesNotContain(WEB_IDENTITY_TOKEN);
              });
      assertThat(amg.totalRequests()).isZero();
    }
  }

  @Test
  void podIdentityContainerCredentialsSignTheCalls() throws Exception {
    assumeNoAmbientAwsEnvironment();
    try (FakeContainerCredentials agent = FakeContainerCredentials.start("pod-identity-token")) {
      setProperty("aws.containerCredentialsFullUri", agent.fullUri());
      setProperty("aws.containerAuthorizationToken", "pod-identity-token");
      provider = ambientProvider();
      provider
          .open(
              AmgTokenResources.ambientSpec(amg, ws, sa),
              new MapSecretLookup(),
              SessionPurpose.ISSUE)
          .list()
          .tokens();
      assertThat(agent.authorizationsSeen()).containsExactly("pod-identity-token");
      assertThat(amg.requests())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.accessKeyId()).isEqualTo(FakeContainerCredentials.ACCESS_KEY_ID);
                assertThat(r.securityToken()).isEqualTo(FakeContainerCredentials.SESSION_TOKEN);
              });
    }
  }

  @Test
  void aPodIdentityAgentThatRefusesIsCredentialsNotFound() throws Exception {
    assumeNoAmbientAwsEnvironment();
    try (FakeContainerCredentials agent = FakeContainerCredentials.start("pod-identity-token")) {
      setProperty("aws.containerCredentialsFullUri", agent.fullUri());
      setProperty("aws.containerAuthorizationToken", "stale-token");
      provider = ambientProvider();
      assertThatThrownBy(this::openAmbient)
          .isInstanceOfSatisfying(
              PermanentProviderException.class,
              e -> {
                assertThat(e.reason()).isEqualTo("CredentialsNotFound");
                assertThat(e.getMessage()).contains("EKS Pod Identity");
              });
      assertThat(amg.totalRequests()).isZero();
    }
  }

  @Test
  void noAmbientIdentityAtAllIsCredentialsNotFoundSayingHowToSetOneUp() {
    assumeNoAmbientAwsEnvironment();
    provider = ambientProvider();
    assertThatThrownBy(this::openAmbient)
        .isInstanceOfSatisfying(
            PermanentProviderException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("CredentialsNotFound");
              assertThat(e.getMessage())
                  .contains("no AWS identity")
                  .contains("IRSA")
                  .contains("Pod Identity")
                  .contains("credentialsSecretRef");
            });
    assertThat(amg.totalRequests()).isZero();
  }
}
