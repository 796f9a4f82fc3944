package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grafanatokens.fakes.grafana.Operation;
import io.grafanatokens.fakes.grafana.RecordedRequest;
import io.grafanatokens.testing.ApiServerDispatcher;
import io.grafanatokens.testing.ApiServerDispatcher.FaultMode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Secret write and the status write fail in the ways a real API server can fail: refused,
 * or failed after acting (docs/reference.md#issuing-crash-safe: unknown outcomes are read back).
 */
class GrafanaApiServerFailuresTest extends LifecycleTestBase {

  private List<Operation> grafanaOps() {
    return grafana.requests().stream().map(RecordedRequest::operation)
        .filter(o -> o == Operation.CREATE_TOKEN || o == Operation.DELETE_TOKEN).toList();
  }

  @Test
  void refusedSecretWriteDeletesTheNewTokenAtOnce() {
    cluster.api().failNext(ApiServerDispatcher.on("create", "secrets"), FaultMode.REFUSE, 422, "invalid", 1);
    apply(token("refused"));
    awaitReady("refused", "Issued");
    assertThat(grafanaOps()).as("the unwritten token is deleted before the next create")
        .startsWith(Operation.CREATE_TOKEN, Operation.DELETE_TOKEN, Operation.CREATE_TOKEN);
    assertThat(liveTokens()).extracting(t -> String.valueOf(t.id())).containsExactly(tokenId(secret("refused")));
  }

  @Test
  void secretWriteWithUnknownOutcomeThatLandedKeepsTheToken() {
    // acts, answers 500; the client's own retry then meets 409 AlreadyExists: still ours
    cluster.api().failNext(ApiServerDispatcher.on("create", "secrets"), FaultMode.FAIL_AFTER_APPLYING, 500,
        "etcd timeout", 1);
    apply(token("landed"));
    awaitReady("landed", "Issued");
    assertThat(grafana.requestCount(Operation.CREATE_TOKEN)).isEqualTo(1);
    assertThat(grafana.requestCount(Operation.DELETE_TOKEN)).isZero();
    assertThat(grafana.authenticates(key(secret("landed")))).isTrue();
  }

  @Test
  void secretWriteWithUnknownOutcomeThatDidNotLandDeletesTheToken() {
    // the client retries once by itself: both attempts fail
    cluster.api().failNext(ApiServerDispatcher.on("create", "secrets"), FaultMode.REFUSE, 500, "etcd timeout", 2);
    apply(token("lost"));
    awaitReady("lost", "Issued");
    assertThat(grafanaOps()).startsWith(Operation.CREATE_TOKEN, Operation.DELETE_TOKEN, Operation.CREATE_TOKEN);
    assertThat(liveTokens()).hasSize(1);
  }

  @Test
  void lostStatusWriteConvergesFromTheSecretWithoutMintingAgain() {
    cluster.api().failNext(ApiServerDispatcher.on("patch", "grafanaserviceaccounttokens/status"), FaultMode.REFUSE,
        500, "apiserver restarting", 2);
    apply(token("cache"));
    awaitReady("cache", "Issued");
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
        .until(() -> grafana.requestCount(Operation.CREATE_TOKEN) == 1);
    assertThat(get("cache").getStatus().getTokenId()).isEqualTo(tokenId(secret("cache")));
  }
}
