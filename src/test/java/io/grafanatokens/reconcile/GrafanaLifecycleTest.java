package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenStatus;
import io.grafanatokens.fakes.grafana.TokenSnapshot;
import io.grafanatokens.secret.SecretAnnotations;
import io.grafanatokens.status.StatusBuilder;
import io.grafanatokens.testing.Resources;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Issue and rotation for the grafana provider, end to end (docs/reference.md#behaviour). */
class GrafanaLifecycleTest extends LifecycleTestBase {

  @Test
  void issuesTokenIntoSecretAndReportsReady() {
    GrafanaServiceAccountToken created = apply(token("dashboards-ci"));
    GrafanaServiceAccountToken r = awaitReady("dashboards-ci", "Issued");
    Secret s = secret("dashboards-ci");

    String uid8 = created.getMetadata().getUid().substring(0, 8);
    assertThat(grafana.authenticates(key(s))).as("the key in the Secret works at Grafana").isTrue();
    assertThat(s.getType()).isEqualTo("Opaque");
    assertThat(s.getMetadata().getLabels())
        .containsEntry(SecretAnnotations.MANAGED_BY_LABEL, SecretAnnotations.MANAGED_BY_VALUE);
    assertThat(s.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getUid()).isEqualTo(created.getMetadata().getUid());
              assertThat(o.getController()).isTrue();
            });
    assertThat(s.getMetadata().getAnnotations())
        .containsEntry(SecretAnnotations.TOKEN_NAME, "dashboards-ci-" + uid8 + "-1")
        .containsEntry(SecretAnnotations.SERVICE_ACCOUNT_ID, String.valueOf(serviceAccountId))
        .containsKeys(
            SecretAnnotations.TOKEN_ID,
            SecretAnnotations.ISSUED_AT,
            SecretAnnotations.EXPIRES_AT,
            SecretAnnotations.KEY_SHA256,
            SecretAnnotations.TARGET_HASH,
            SecretAnnotations.APPLIED_METADATA);

    TokenSnapshot atGrafana = grafana.token(Long.parseLong(tokenId(s))).orElseThrow();
    assertThat(atGrafana.name()).isEqualTo("dashboards-ci-" + uid8 + "-1");
    assertThat(Instant.parse(s.getMetadata().getAnnotations().get(SecretAnnotations.EXPIRES_AT)))
        .as("expires-at is the provider's real expiry")
        .isEqualTo(atGrafana.expires());

    GrafanaServiceAccountTokenStatus st = r.getStatus();
    assertThat(st.getProvider()).isEqualTo("grafana");
    assertThat(st.getTokenId()).isEqualTo(tokenId(s));
    assertThat(st.getTokenName()).isEqualTo(atGrafana.name());
    assertThat(st.getSecretName()).isEqualTo("dashboards-ci");
    assertThat(st.getServiceAccountId()).isEqualTo(String.valueOf(serviceAccountId));
    assertThat(st.getRotationCount()).isEqualTo(1L);
    assertThat(st.getObservedGeneration()).isEqualTo(r.getMetadata().getGeneration());
    assertThat(Instant.parse(st.getExpiresAt())).isEqualTo(atGrafana.expires());
    Instant renewal = Instant.parse(st.getRenewalTime());
    // default renewBefore: a third of 24h, minus a jitter below min(L/10, 15 min)
    assertThat(renewal)
        .isBetween(
            atGrafana.expires().minus(Duration.ofHours(8)).minus(Duration.ofMinutes(15)),
            atGrafana.expires().minus(Duration.ofHours(8)));
    assertThat(condition("dashboards-ci", StatusBuilder.ISSUING))
        .hasValueSatisfying(
            c -> assertThat(c.getStatus() + "/" + c.getReason()).isEqualTo("False/Idle"));
    assertThat(events("Issued")).hasSize(1);
    assertThat(liveTokens()).hasSize(1);
  }

  @Test
  void rotatesAtRenewalTimeKeepsPreviousKeyForGraceThenRevokesIt() {
    GrafanaServiceAccountToken r = token("rot");
    r.getSpec().setSecondsToLive(3600L);
    r.getSpec().setRotation(Resources.rotation("20m", "5m"));
    apply(r);
    GrafanaServiceAccountToken ready = awaitReady("rot", "Issued");
    Secret first = secret("rot");
    String firstKey = key(first);
    Instant renewal = Instant.parse(ready.getStatus().getRenewalTime());

    // not yet due: a nudge changes nothing
    advance(Duration.between(clock.instant(), renewal).minusSeconds(5));
    nudge("rot");
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> tokenId(first).equals(tokenId(secret("rot"))));

    advance(Duration.ofSeconds(10));
    nudge("rot");
    Secret second = awaitNewToken("rot", tokenId(first));
    GrafanaServiceAccountToken rotated = awaitReady("rot", "Rotated");
    assertThat(rotated.getStatus().getRotationCount()).isEqualTo(2L);
    assertThat(grafana.authenticates(key(second))).isTrue();
    assertThat(grafana.authenticates(firstKey))
        .as("previous key valid during the grace period")
        .isTrue();
    assertThat(rotated.getStatus().getPendingRevocations())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getTokenId()).isEqualTo(tokenId(first));
              assertThat(Instant.parse(p.getRevokeAt()))
                  .isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
            });
    assertThat(second.getMetadata().getAnnotations().get(SecretAnnotations.PENDING_REVOCATIONS))
        .contains("\"tokenId\":\"" + tokenId(first) + "\"");

    advance(Duration.ofMinutes(5));
    nudge("rot");
    await().atMost(Duration.ofSeconds(20)).until(() -> !grafana.authenticates(firstKey));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get("rot").getStatus().getPendingRevocations() == null);
    assertThat(grafana.authenticates(key(secret("rot"))))
        .as("the Secret never holds a revoked key")
        .isTrue();
    assertThat(secret("rot").getMetadata().getAnnotations())
        .doesNotContainKey(SecretAnnotations.PENDING_REVOCATIONS);
    assertThat(events("Rotated")).hasSize(1);
    assertThat(events("Revoked")).hasSize(1);
    assertThat(liveTokens()).hasSize(1);
  }

  @Test
  void reconcileWithNothingDueIsANoOpAcrossOperatorRestart() {
    apply(token("steady"));
    awaitReady("steady", "Issued");
    String id = tokenId(secret("steady"));
    long creates = grafana.requestCount(io.grafanatokens.fakes.grafana.Operation.CREATE_TOKEN);

    cluster.stopOperator();
    cluster.startOperator();
    nudge("steady");
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> id.equals(tokenId(secret("steady"))));
    assertThat(grafana.requestCount(io.grafanatokens.fakes.grafana.Operation.CREATE_TOKEN))
        .isEqualTo(creates);
    assertThat(liveTokens()).hasSize(1);
  }
}
