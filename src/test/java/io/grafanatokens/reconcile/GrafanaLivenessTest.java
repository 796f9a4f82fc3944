package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/reference.md#liveness-check: a token gone or revoked at Grafana is re-issued (TokenGone).
 */
class GrafanaLivenessTest extends LifecycleTestBase {

  @Override
  protected Map<String, String> env() {
    Map<String, String> env = super.env();
    env.put("TOKEN_CHECK_INTERVAL", "1m");
    return env;
  }

  @Test
  void tokenDeletedInGrafanaIsReissued() {
    apply(token("ui-deleted"));
    awaitReady("ui-deleted", "Issued");
    Secret first = secret("ui-deleted");
    grafana.deleteTokenOutOfBand(Long.parseLong(tokenId(first)));

    advance(Duration.ofSeconds(61));
    nudge("ui-deleted");
    Secret second = awaitNewToken("ui-deleted", tokenId(first));
    assertThat(grafana.authenticates(key(second))).isTrue();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(events("Rotated"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getNote()).contains("TokenGone")));
  }

  @Test
  void tokenRevokedBySecretScanningIsReissued() {
    apply(token("leaked"));
    awaitReady("leaked", "Issued");
    Secret first = secret("leaked");
    grafana.revokeBySecretScan(Long.parseLong(tokenId(first)));

    advance(Duration.ofSeconds(61));
    nudge("leaked");
    Secret second = awaitNewToken("leaked", tokenId(first));
    assertThat(grafana.authenticates(key(second))).isTrue();
  }

  @Test
  void resourcesOnOneServiceAccountShareOneListCall() {
    for (int i = 0; i < 5; i++) {
      apply(token("shared-" + i));
    }
    for (int i = 0; i < 5; i++) {
      awaitReady("shared-" + i, "Issued");
    }
    grafana.resetCounters();
    advance(Duration.ofSeconds(61));
    for (int i = 0; i < 5; i++) {
      nudge("shared-" + i);
    }
    org.awaitility.Awaitility.await()
        .during(Duration.ofMillis(700))
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> grafana.requestCount(io.grafanatokens.fakes.grafana.Operation.LIST_TOKENS) >= 1);
    assertThat(grafana.requestCount(io.grafanatokens.fakes.grafana.Operation.LIST_TOKENS))
        .isEqualTo(1);
    assertThat(liveTokens()).hasSize(5);
  }
}
