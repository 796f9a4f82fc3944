package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.fakes.grafana.Fault;
import io.grafanatokens.fakes.grafana.Operation;
import io.grafanatokens.fakes.grafana.TokenSnapshot;
import io.grafanatokens.status.StatusBuilder;
import io.grafanatokens.testing.EmbeddedCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/reference.md#failures-and-retries and docs/reference.md#issuing-crash-safe for the grafana
 * provider.
 */
class GrafanaFailuresTest extends LifecycleTestBase {

  @Test
  void responseLostAfterCreateLeavesNoLiveStrayToken() {
    grafana.failNext(Operation.CREATE_TOKEN, Fault.DROP_AFTER_CREATE);
    apply(token("lossy"));
    awaitCondition("lossy", StatusBuilder.ISSUING, "True", "ProviderError");
    assertThat(grafana.tokensOf(serviceAccountId))
        .as("created, but the answer was lost")
        .hasSize(1);
    advance(Duration.ofSeconds(3));
    nudge("lossy");
    awaitReady("lossy", "Issued");
    Secret s = secret("lossy");
    List<TokenSnapshot> live = liveTokens();
    assertThat(live).extracting(TokenSnapshot::id).containsExactly(Long.parseLong(tokenId(s)));
    assertThat(live.get(0).name()).endsWith("-2");
    assertThat(grafana.authenticates(key(s))).isTrue();
  }

  @Test
  void transientFailureRetriesWithBackoffAndReportsIssuing() {
    grafana.failNext(Operation.CREATE_TOKEN, Fault.HTTP_500, 1);
    apply(token("flaky"));
    awaitCondition("flaky", StatusBuilder.ISSUING, "True", "ProviderError");
    assertThat(condition("flaky", StatusBuilder.READY))
        .hasValueSatisfying(
            c -> assertThat(c.getStatus() + "/" + c.getReason()).isEqualTo("False/ProviderError"));
    // the first retry comes 2 s later on the operator's clock
    advance(Duration.ofSeconds(3));
    nudge("flaky");
    awaitReady("flaky", "Issued");
    assertThat(liveTokens()).hasSize(1);
    assertThat(events("ProviderError")).isNotEmpty();
  }

  @Test
  void failedRotationKeepsTheValidKeyThenTurnsExpired() {
    GrafanaServiceAccountToken r = token("stuck");
    r.getSpec().setSecondsToLive(3600L);
    apply(r);
    GrafanaServiceAccountToken ready = awaitReady("stuck", "Issued");
    Secret first = secret("stuck");
    grafana.failNext(Operation.CREATE_TOKEN, Fault.HTTP_503, 1000);
    advance(
        Duration.between(clock.instant(), Instant.parse(ready.getStatus().getRenewalTime()))
            .plusSeconds(1));
    nudge("stuck");
    awaitCondition("stuck", StatusBuilder.ISSUING, "True", "ProviderError");
    assertThat(condition("stuck", StatusBuilder.READY))
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
    assertThat(key(secret("stuck"))).isEqualTo(key(first));
    assertThat(grafana.authenticates(key(first))).isTrue();

    advance(Duration.ofHours(1));
    nudge("stuck");
    awaitCondition("stuck", StatusBuilder.READY, "False", "Expired");
    assertThat(key(secret("stuck"))).isEqualTo(key(first));
  }

  @Test
  void rejectedCredentialsAreNotRetriedUntilTheirSecretChanges() {
    client
        .secrets()
        .inNamespace(NS)
        .withName(EmbeddedCluster.CREDENTIALS_SECRET)
        .edit(
            s -> {
              s.setData(null);
              s.setStringData(java.util.Map.of("username", "admin", "password", "wrong"));
              return s;
            });
    grafana.addAdminUser("admin", "right");
    apply(token("locked"));
    awaitCondition("locked", StatusBuilder.READY, "False", "CredentialsRejected");
    long calls = grafana.requests().size();
    // inside Grafana's lockout window: a first 401 is tried once more only after it (LockoutTest)
    advance(Duration.ofMinutes(4));
    nudge("locked");
    await()
        .during(Duration.ofMillis(700))
        .atMost(Duration.ofSeconds(5))
        .until(() -> grafana.requests().size() == calls);

    client
        .secrets()
        .inNamespace(NS)
        .withName(EmbeddedCluster.CREDENTIALS_SECRET)
        .edit(
            s -> {
              s.setStringData(java.util.Map.of("username", "admin", "password", "right"));
              return s;
            });
    advance(Duration.ofMinutes(1));
    nudge("locked");
    awaitReady("locked", "Issued");
    assertThat(events("InsecureCredentials"))
        .as("basic auth over http is accepted with a Warning")
        .hasSize(1)
        .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));
  }

  @Test
  void missingCredentialsNameTheKeysLookedFor() {
    GrafanaServiceAccountToken r = token("nocreds");
    r.getSpec().getGrafana().getCredentialsSecretRef().setName("absent");
    apply(r);
    GrafanaServiceAccountToken failed =
        awaitCondition("nocreds", StatusBuilder.READY, "False", "CredentialsNotFound");
    assertThat(failed.getStatus().getConditions().get(0).getMessage()).contains("absent");
    assertThat(grafana.requestCount(Operation.CREATE_TOKEN)).isZero();
  }

  @Test
  void invalidSpecIsRejectedWithoutAProviderCall() {
    GrafanaServiceAccountToken r = token("bad");
    r.getSpec().setSecondsToLive(30L);
    r.getSpec().setRotation(io.grafanatokens.testing.Resources.rotation("1d", null));
    apply(r);
    GrafanaServiceAccountToken failed =
        awaitCondition("bad", StatusBuilder.READY, "False", "InvalidSpec");
    assertThat(failed.getStatus().getConditions().get(0).getMessage())
        .contains("spec.secondsToLive")
        .contains("spec.rotation.renewBefore");
    assertThat(grafana.requests()).isEmpty();
    assertThat(secret("bad")).isNull();
  }

  @Test
  void nameClashTakesTheNextCounterAndLeavesTheClashToTheSweep() {
    GrafanaServiceAccountToken created = apply(token("clash"));
    String taken = "clash-" + created.getMetadata().getUid().substring(0, 8) + "-1";
    // a token of that name on another service account of the org: names are unique per org
    long other = grafana.createServiceAccount(1, "other", "Viewer");
    grafana.mintToken(other, taken, 3600);
    awaitReady("clash", "Issued");
    assertThat(secret("clash").getMetadata().getAnnotations().get("grafanatokens.io/token-name"))
        .endsWith("-2");
    assertThat(grafana.tokensOf(other)).extracting(TokenSnapshot::name).containsExactly(taken);
  }

  @Test
  void twentyResourcesAtOnceGetTwentyTokens() {
    for (int i = 0; i < 20; i++) {
      apply(token("many-" + i));
    }
    for (int i = 0; i < 20; i++) {
      awaitReady("many-" + i, "Issued");
    }
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(10))
        .until(() -> liveTokens().size() == 20);
    assertThat(grafana.tokensOf(serviceAccountId)).hasSize(20);
  }
}
