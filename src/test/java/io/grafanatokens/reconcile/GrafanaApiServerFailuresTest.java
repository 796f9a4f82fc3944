package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grafanatokens.fakes.grafana.Operation;
import io.grafanatokens.fakes.grafana.RecordedRequest;
import io.grafanatokens.status.StatusBuilder;
import io.grafanatokens.testing.ApiServerDispatcher;
import io.grafanatokens.testing.ApiServerDispatcher.FaultMode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Secret write and the status write fail in the ways a real API server can fail: refused, or
 * failed after acting (docs/reference.md#issuing-crash-safe: unknown outcomes are read back).
 */
class GrafanaApiServerFailuresTest extends LifecycleTestBase {

  private List<Operation> grafanaOps() {
    return grafana.requests().stream()
        .map(RecordedRequest::operation)
        .filter(o -> o == Operation.CREATE_TOKEN || o == Operation.DELETE_TOKEN)
        .toList();
  }

  @Test
  void refusedSecretWriteDeletesTheNewTokenAndMintsNothingFor10Minutes() {
    cluster
        .api()
        .failNext(ApiServerDispatcher.on("create", "secrets"), FaultMode.REFUSE, 422, "invalid", 1);
    apply(token("refused"));
    awaitCondition("refused", StatusBuilder.READY, "False", "SecretRejected");
    assertThat(condition("refused", StatusBuilder.READY).get().getMessage())
        .contains("422")
        .contains("invalid");
    assertThat(grafanaOps())
        .as("the unwritten token is deleted at once")
        .containsExactly(Operation.CREATE_TOKEN, Operation.DELETE_TOKEN);
    assertThat(liveTokens()).isEmpty();
    nudge("refused");
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> grafana.requestCount(Operation.CREATE_TOKEN) == 1);

    advance(Duration.ofMinutes(10));
    nudge("refused");
    awaitReady("refused", "Issued");
    assertThat(liveTokens())
        .extracting(t -> String.valueOf(t.id()))
        .containsExactly(tokenId(secret("refused")));
  }

  @Test
  void secretWriteWithUnknownOutcomeThatLandedKeepsTheToken() {
    // acts, answers 500; the client's own retry then meets 409 AlreadyExists: still ours
    cluster
        .api()
        .failNext(
            ApiServerDispatcher.on("create", "secrets"),
            FaultMode.FAIL_AFTER_APPLYING,
            500,
            "etcd timeout",
            1);
    apply(token("landed"));
    awaitReady("landed", "Issued");
    assertThat(grafana.requestCount(Operation.CREATE_TOKEN)).isEqualTo(1);
    assertThat(grafana.requestCount(Operation.DELETE_TOKEN)).isZero();
    assertThat(grafana.authenticates(key(secret("landed")))).isTrue();
  }

  @Test
  void secretWriteWithUnknownOutcomeLeavesTheTokenToTheNextSweep() {
    // the client retries once by itself: both attempts fail, and a 500 may still have landed
    cluster
        .api()
        .failNext(
            ApiServerDispatcher.on("create", "secrets"), FaultMode.REFUSE, 500, "etcd timeout", 2);
    apply(token("lost"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                grafana.requestCount(Operation.CREATE_TOKEN) == 1
                    && condition("lost", StatusBuilder.ISSUING)
                        .map(c -> "True".equals(c.getStatus()))
                        .orElse(false));
    assertThat(grafanaOps())
        .as("an unknown outcome is never rolled back")
        .containsExactly(Operation.CREATE_TOKEN);

    advance(Duration.ofSeconds(2));
    nudge("lost");
    awaitReady("lost", "Issued");
    // the stray holds the next name: the clash is answered by one list and a sweep of the stray,
    // then the retry takes the name above it
    assertThat(grafanaOps())
        .as("the clash sweeps the token that did not land")
        .containsExactly(
            Operation.CREATE_TOKEN,
            Operation.CREATE_TOKEN,
            Operation.DELETE_TOKEN,
            Operation.CREATE_TOKEN);
    assertThat(grafana.requests())
        .filteredOn(r -> r.operation() == Operation.CREATE_TOKEN)
        .hasSize(3);
    assertThat(liveTokens())
        .extracting(t -> String.valueOf(t.id()))
        .containsExactly(tokenId(secret("lost")));
  }

  @Test
  void lostStatusWriteConvergesFromTheSecretWithoutMintingAgain() {
    cluster
        .api()
        .failNext(
            ApiServerDispatcher.on("patch", "grafanaserviceaccounttokens/status"),
            FaultMode.REFUSE,
            500,
            "apiserver restarting",
            2);
    apply(token("cache"));
    awaitReady("cache", "Issued");
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> grafana.requestCount(Operation.CREATE_TOKEN) == 1);
    assertThat(get("cache").getStatus().getTokenId()).isEqualTo(tokenId(secret("cache")));
  }
}
