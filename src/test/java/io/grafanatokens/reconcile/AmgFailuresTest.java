package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.fakes.amg.AmgFault;
import io.grafanatokens.fakes.amg.AmgOperation;
import io.grafanatokens.fakes.amg.AmgTokenResources;
import io.grafanatokens.fakes.amg.AmgTokenSnapshot;
import io.grafanatokens.fakes.amg.FakeAmg;
import io.grafanatokens.runtime.OperatorRuntime;
import io.grafanatokens.status.StatusBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * docs/reference.md#failures-and-retries for the amazonManagedGrafana provider: each AMG error
 * class, end to end.
 */
class AmgFailuresTest extends LifecycleTestBase {
  private final FakeAmg amg = FakeAmg.builder().region("eu-west-1").start();
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

  /** Ready=False and Issuing=True, both with the reason; returns the Ready message. */
  private String awaitFailure(String name, String reason) {
    awaitCondition(name, StatusBuilder.READY, "False", reason);
    awaitCondition(name, StatusBuilder.ISSUING, "True", reason);
    assertThat(events(reason))
        .as("a Warning event " + reason)
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));
    return condition(name, StatusBuilder.READY).map(Condition::getMessage).orElse("");
  }

  @Test
  void accessDeniedIsPermissionDeniedNamingTheIamActions() {
    amg.failNext(AmgOperation.CREATE_TOKEN, AmgFault.ACCESS_DENIED);
    apply(amgToken("denied"));
    assertThat(awaitFailure("denied", "PermissionDenied"))
        .contains("grafana:CreateWorkspaceServiceAccountToken")
        .contains("arn:aws:grafana:eu-west-1:");
    assertThat(secret("denied")).isNull();
  }

  @Test
  void aMissingServiceAccountOrWorkspaceIsServiceAccountNotFound() {
    GrafanaServiceAccountToken noAccount = amgToken("no-sa");
    noAccount.getSpec().getAmazonManagedGrafana().setServiceAccountId("999");
    apply(noAccount);
    assertThat(awaitFailure("no-sa", "ServiceAccountNotFound")).contains("no service account 999");
    GrafanaServiceAccountToken noWorkspace = amgToken("no-ws");
    noWorkspace.getSpec().getAmazonManagedGrafana().setWorkspaceId("g-0000000000");
    apply(noWorkspace);
    assertThat(awaitFailure("no-ws", "ServiceAccountNotFound"))
        .contains("no workspace g-0000000000");
    // docs/reference.md#issuing-crash-safe: nothing is called before the create, which answers 404
    // itself
    assertThat(amg.requestCount(AmgOperation.CREATE_TOKEN)).isEqualTo(2);
    assertThat(amg.requestCount(AmgOperation.LIST_TOKENS)).isZero();
  }

  @Test
  void aValidationErrorIsProviderRejectedWithTheFieldList() {
    amg.failNext(
        AmgOperation.CREATE_TOKEN,
        AmgFault.validation("name", "Member must satisfy regular expression"));
    apply(amgToken("invalid"));
    assertThat(awaitFailure("invalid", "ProviderRejected"))
        .contains("name: Member must satisfy regular expression");
  }

  @Test
  void aQuotaFullOfOtherTokensIsQuotaExceededAfterTheSweepFoundNothingOfOurs() {
    amg.tokenQuotaPerServiceAccount(2);
    amg.mintToken(ws, sa, "someone-else-1", 60);
    amg.mintToken(ws, sa, "someone-else-2", 60);
    apply(amgToken("full"));
    assertThat(awaitFailure("full", "QuotaExceeded")).contains("expired ones count");
    assertThat(amg.requestCount(AmgOperation.CREATE_TOKEN))
        .as("one create, one after the sweep")
        .isEqualTo(2);
    assertThat(amg.tokensOf(ws, sa)).allSatisfy(t -> assertThat(t.deleted()).isNull());
  }

  @Test
  void rejectedKeysAreNotRetriedUntilTheCredentialsSecretChanges() {
    amg.acceptOnlyAccessKeys("AKIANEWKEY0000001");
    apply(amgToken("locked"));
    assertThat(awaitFailure("locked", "CredentialsRejected")).contains("Secret aws-creds");
    long calls = amg.totalRequests();
    advance(Duration.ofMinutes(5));
    nudge("locked");
    await()
        .during(Duration.ofMillis(700))
        .atMost(Duration.ofSeconds(5))
        .until(() -> amg.totalRequests() == calls);

    client
        .secrets()
        .inNamespace(NS)
        .withName(AmgTokenResources.CREDENTIALS_SECRET)
        .edit(
            s -> {
              s.setData(null);
              s.setStringData(
                  AmgTokenResources.credentials("AKIANEWKEY0000001", "new-secret", null));
              return s;
            });
    advance(Duration.ofMinutes(1));
    nudge("locked");
    awaitReady("locked", "Issued");
    assertThat(amg.authenticates(key(secret("locked")))).isTrue();
  }

  @Test
  void aMissingCredentialsSecretIsCredentialsNotFound() {
    GrafanaServiceAccountToken r = amgToken("nocreds");
    r.getSpec().getAmazonManagedGrafana().getCredentialsSecretRef().setName("absent");
    apply(r);
    GrafanaServiceAccountToken failed =
        awaitCondition("nocreds", StatusBuilder.READY, "False", "CredentialsNotFound");
    assertThat(failed.getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getMessage()).contains("absent"));
    assertThat(amg.totalRequests()).isZero();
  }

  @Test
  void aServerErrorIsRetriedWithBackoffAndLeavesOneToken() {
    amg.failNext(AmgOperation.CREATE_TOKEN, AmgFault.INTERNAL_SERVER);
    apply(amgToken("flaky"));
    awaitFailure("flaky", "ProviderError");
    assertThat(amg.requestCount(AmgOperation.CREATE_TOKEN))
        .as("the SDK did not retry the create")
        .isEqualTo(1);
    advance(Duration.ofSeconds(3));
    nudge("flaky");
    awaitReady("flaky", "Issued");
    assertThat(live()).hasSize(1);
  }

  @Test
  void throttlingIsRateLimitedAndTheAdvisedWaitIsHonoured() {
    amg.failNext(AmgOperation.CREATE_TOKEN, AmgFault.throttling(30));
    apply(amgToken("slow"));
    awaitFailure("slow", "RateLimited");
    long creates = amg.requestCount(AmgOperation.CREATE_TOKEN);
    advance(Duration.ofSeconds(10));
    nudge("slow");
    await()
        .during(Duration.ofMillis(700))
        .atMost(Duration.ofSeconds(5))
        .until(() -> amg.requestCount(AmgOperation.CREATE_TOKEN) == creates);
    advance(Duration.ofSeconds(21));
    nudge("slow");
    awaitReady("slow", "Issued");
  }

  @Test
  void aCreateWhoseAnswerWasLostLeavesNoLiveStrayToken() {
    amg.failNext(AmgOperation.CREATE_TOKEN, AmgFault.DROP_AFTER_CREATE);
    apply(amgToken("lossy"));
    awaitFailure("lossy", "ProviderError");
    assertThat(amg.requestCount(AmgOperation.CREATE_TOKEN)).isEqualTo(1);
    assertThat(amg.tokensOf(ws, sa)).as("created, but the answer was lost").hasSize(1);
    advance(Duration.ofSeconds(3));
    nudge("lossy");
    awaitReady("lossy", "Issued");
    Secret s = secret("lossy");
    await().atMost(Duration.ofSeconds(20)).until(() -> live().size() == 1);
    assertThat(live())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.id()).isEqualTo(tokenId(s));
              assertThat(t.name()).endsWith("-2");
            });
  }

  @Test
  void aNameTakenInTheWorkspaceTakesTheNextCounterAndLeavesTheClashAlone() {
    // token names are unique per workspace, so a token of another service account can be in the
    // way;
    // the CRUD mock's uids all start with 00000000, which makes the first name predictable
    String other = amg.createServiceAccount(ws, "other-bot", "VIEWER");
    amg.mintToken(ws, other, "clash-00000000-1", 3600);
    GrafanaServiceAccountToken created = apply(amgToken("clash"));
    assertThat(created.getMetadata().getUid()).startsWith("00000000");
    awaitReady("clash", "Issued");
    assertThat(secret("clash").getMetadata().getAnnotations().get("grafanatokens.io/token-name"))
        .isEqualTo("clash-00000000-2");
    assertThat(amg.liveTokensOf(ws, other))
        .extracting(AmgTokenSnapshot::name)
        .containsExactly("clash-00000000-1");
    assertThat(live()).hasSize(1);
  }

  @Test
  void aLifetimeAboveThirtyDaysIsAnInvalidSpecWithoutACall() {
    GrafanaServiceAccountToken r = amgToken("long");
    r.getSpec().setSecondsToLive(2_592_001L);
    apply(r);
    GrafanaServiceAccountToken failed =
        awaitCondition("long", StatusBuilder.READY, "False", "InvalidSpec");
    assertThat(failed.getStatus().getConditions())
        .anySatisfy(
            c -> assertThat(c.getMessage()).contains("spec.secondsToLive").contains("2592000"));
    assertThat(amg.totalRequests()).isZero();
  }

  @Test
  void rejectedAmbientCredentialsAreRecheckedEveryMinute() {
    Map<String, String> saved = new HashMap<>();
    Map.of("aws.accessKeyId", "ASIAOPERATORIDENT1", "aws.secretAccessKey", "operator-secret")
        .forEach((k, v) -> saved.put(k, System.setProperty(k, v)));
    amg.acceptOnlyAccessKeys("ASIASOMEONEELSE01");
    cluster.stopOperator();
    OperatorRuntime ambient =
        cluster.newOperator("ambient", Map.of("AMBIENT_CREDENTIALS_NAMESPACES", NS));
    try {
      ambient.start();
      apply(AmgTokenResources.token(NS, "ambient", AmgTokenResources.ambientSpec(amg, ws, sa)));
      assertThat(awaitFailure("ambient", "CredentialsRejected"))
          .contains("the operator's AWS identity");
      long calls = amg.totalRequests();
      amg.acceptOnlyAccessKeys();
      // no credentials Secret whose change could unblock it: the next look comes a minute later
      advance(Duration.ofSeconds(61));
      nudge("ambient");
      awaitReady("ambient", "Issued");
      assertThat(amg.totalRequests()).isGreaterThan(calls);
    } finally {
      ambient.close();
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
}
