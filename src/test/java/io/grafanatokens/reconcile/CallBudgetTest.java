package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.fakes.grafana.Operation;
import io.grafanatokens.fakes.grafana.RecordedRequest;
import io.grafanatokens.testing.ApiServerDispatcher.Call;
import io.grafanatokens.testing.Resources;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The call budget of docs/benchmarks.md, counted by the fake Grafana and the mock API server with
 * the real operator: a first issue, a rotation and an idle hour make exactly the calls the goal
 * lists. Kubernetes calls are the operator's own, for the resource's namespace; watches are not
 * calls.
 */
class CallBudgetTest extends LifecycleTestBase {

  @Override
  protected Map<String, String> env() {
    Map<String, String> env = super.env();
    env.put("TOKEN_CHECK_INTERVAL", "1h");
    return env;
  }

  private int mark;

  @BeforeEach
  void settleStartup() {
    // the operator's start-up lists and watches are not a resource's calls
    await().atMost(Duration.ofSeconds(10)).until(() -> cluster.runtime().ready());
    mark = cluster.api().operatorCalls().size();
  }

  /** The operator's Kubernetes calls since the last look, as "verb resource", without watches. */
  private List<String> kubernetesCalls() {
    List<Call> all = cluster.api().operatorCalls();
    List<String> out =
        all.subList(mark, all.size()).stream()
            .filter(c -> !c.verb().equals("watch"))
            .map(c -> c.verb() + " " + c.resource())
            .toList();
    mark = all.size();
    return out;
  }

  private List<Operation> grafanaCalls() {
    List<Operation> ops = grafana.requests().stream().map(RecordedRequest::operation).toList();
    grafana.resetCounters();
    return ops;
  }

  private GrafanaServiceAccountToken budgeted(String name) {
    GrafanaServiceAccountToken r = token(name);
    r.getSpec().setSecondsToLive(3600L);
    r.getSpec().setRotation(Resources.rotation("20m", "5m"));
    return r;
  }

  /**
   * Waits until the operator has been quiet for a moment: its pass and the passes its writes cause
   * are over.
   */
  private void quiet() {
    int[] seen = {-1};
    await()
        .pollDelay(Duration.ofMillis(300))
        .pollInterval(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              int now = cluster.api().operatorCalls().size() + grafana.requests().size();
              boolean same = now == seen[0];
              seen[0] = now;
              return same;
            });
  }

  @Test
  void aFirstIssueIsOneCreateOneListAndFourWritesWithTwoReads() {
    apply(budgeted("first"));
    awaitReady("first", "Issued");
    quiet();
    assertThat(grafanaCalls()).containsExactly(Operation.CREATE_TOKEN, Operation.LIST_TOKENS);
    assertThat(kubernetesCalls())
        .containsExactlyInAnyOrder(
            "patch grafanaserviceaccounttokens", // the finalizer
            "get secrets", // the credentials Secret
            "get secrets", // is the Secret free? (docs/reference.md#issuing-crash-safe)
            "create secrets",
            "patch grafanaserviceaccounttokens/status",
            "create events"); // Issued

    apply(budgeted("second"));
    awaitReady("second", "Issued");
    quiet();
    assertThat(kubernetesCalls())
        .as("the credentials Secret read moments ago is not read again")
        .containsExactlyInAnyOrder(
            "patch grafanaserviceaccounttokens",
            "get secrets",
            "create secrets",
            "patch grafanaserviceaccounttokens/status",
            "create events");
  }

  @Test
  void aRotationIsOneCreateOneListAndLaterOneDelete() {
    apply(budgeted("rot"));
    awaitReady("rot", "Issued");
    quiet();
    grafanaCalls();
    kubernetesCalls();

    advance(Duration.ofMinutes(41));
    nudge("rot");
    awaitReady("rot", "Rotated");
    quiet();
    assertThat(grafanaCalls()).containsExactly(Operation.CREATE_TOKEN, Operation.LIST_TOKENS);
    assertThat(kubernetesCalls())
        .containsExactlyInAnyOrder(
            "get secrets", // the credentials Secret (the clock moved past its 10 s)
            "get secrets", // the Secret, fresh, right before the create
            "update secrets", // the key swap
            "patch grafanaserviceaccounttokens/status",
            "create events"); // Rotated

    advance(Duration.ofMinutes(5));
    nudge("rot");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get("rot").getStatus().getPendingRevocations() == null);
    quiet();
    assertThat(grafanaCalls()).containsExactly(Operation.DELETE_TOKEN);
    assertThat(kubernetesCalls())
        .containsExactlyInAnyOrder(
            "get secrets",
            "update secrets",
            "patch grafanaserviceaccounttokens/status",
            "create events");
  }

  @Test
  void anIdleHourIsOneListForTheLivenessCheckAndNoKubernetesCall() {
    apply(token("idle"));
    awaitReady("idle", "Issued");
    quiet();
    grafanaCalls();
    kubernetesCalls();

    for (int minute = 1; minute <= 30; minute++) {
      advance(Duration.ofSeconds(59));
      nudgeQuietly("idle");
    }
    quiet();
    assertThat(grafanaCalls()).as("nothing due for half an hour").isEmpty();
    assertThat(kubernetesCalls()).isEmpty();

    advance(Duration.ofMinutes(31));
    nudgeQuietly("idle");
    quiet();
    assertThat(grafanaCalls())
        .as("the hourly liveness check")
        .containsExactly(Operation.LIST_TOKENS);
    assertThat(kubernetesCalls())
        .as("the credentials Secret, for the check's session")
        .containsExactly("get secrets");
  }

  /**
   * A nudge through a label, so that no annotation or generation moves: the pass has nothing to
   * write.
   */
  private void nudgeQuietly(String name) {
    edit(
        name,
        r -> {
          if (r.getMetadata().getLabels() == null) {
            r.getMetadata().setLabels(new HashMap<>());
          }
          r.getMetadata().getLabels().put("nudge", String.valueOf(System.nanoTime()));
          return r;
        });
  }
}
