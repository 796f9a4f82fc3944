package io.grafanatokens.reconcile;

import static io.grafanatokens.reconcile.PassHarness.GRAFANA_A;
import static io.grafanatokens.reconcile.PassHarness.key;
import static io.grafanatokens.reconcile.PassHarness.tokenId;
import static org.assertj.core.api.Assertions.assertThat;

import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.secret.SecretAnnotations;
import io.grafanatokens.testing.ApiServerDispatcher;
import io.grafanatokens.testing.ApiServerDispatcher.FaultMode;
import io.grafanatokens.testing.Resources;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/reference.md#restart-targets: a restart is owed whenever consumers held a key that was
 * replaced, and the previous key waits for it — also through a failed write of its extended grace.
 */
class RestartOwedTest {
  private final PassHarness h = new PassHarness();

  @AfterEach
  void close() {
    h.close();
  }

  private void requestRotation(String name, String value) {
    h.edit(
        name,
        x -> {
          if (x.getMetadata().getAnnotations() == null) {
            x.getMetadata().setAnnotations(new HashMap<>());
          }
          x.getMetadata().getAnnotations().put(SecretAnnotations.ROTATE, value);
          return x;
        });
  }

  @Test
  void aLateRestartWhoseGraceExtensionFailsStillHoldsThePreviousKey() {
    GrafanaServiceAccountToken r = h.token("env", GRAFANA_A);
    r.getSpec().setSecondsToLive(3600L);
    r.getSpec().setRotation(Resources.rotation("20m", "5m"));
    h.apply(r);
    h.settle("env");
    h.withRestartTarget("env");
    String firstKey = key(h.secret("env"));
    requestRotation("env", "1");
    h.api.failNext(
        ApiServerDispatcher.on("patch", "deployments"), FaultMode.REFUSE, 500, "etcd timeout", 2);
    h.settle("env");
    assertThat(h.restartedAt()).isNull();

    // past the previous key's revokeAt: the late restart succeeds, the write extending its grace
    // does not
    h.advance(Duration.ofMinutes(6));
    h.api.failNext(
        ApiServerDispatcher.on("update", "secrets"), FaultMode.REFUSE, 500, "etcd timeout", 1);
    h.pass("env");
    assertThat(h.restartedAt()).isNotNull();
    assertThat(h.provider.works(firstKey)).as("not revoked in the middle of the rollout").isTrue();

    h.settle("env");
    assertThat(h.provider.works(firstKey)).as("its grace counts from the restart").isTrue();
    h.advance(Duration.ofMinutes(5));
    h.settle("env");
    assertThat(h.provider.works(firstKey)).isFalse();
  }

  @Test
  void aKeyReplacedBeforeAnyStatusWasWrittenIsStillARotationWithItsRestart() {
    h.deployment();
    GrafanaServiceAccountToken r = h.token("env", GRAFANA_A);
    r.getSpec().setRestartTargets(List.of(PassHarness.app()));
    h.apply(r);
    // the first issue's Secret lands, its status write never happens
    h.api.killOperatorAfter(ApiServerDispatcher.on("create", "secrets"));
    assertThat(h.pass("env")).isNull();
    assertThat(h.get("env").getStatus()).isNull();
    String consumed = tokenId(h.secret("env"));

    requestRotation("env", "1");
    h.settle("env");

    assertThat(tokenId(h.secret("env"))).isNotEqualTo(consumed);
    assertThat(h.restartedAt()).as("consumers held the first key: they are restarted").isNotNull();
  }
}
