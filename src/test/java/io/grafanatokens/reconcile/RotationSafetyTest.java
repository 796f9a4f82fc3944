package io.grafanatokens.reconcile;

import static io.grafanatokens.reconcile.PassHarness.GRAFANA_A;
import static io.grafanatokens.reconcile.PassHarness.GRAFANA_B;
import static io.grafanatokens.reconcile.PassHarness.NS;
import static io.grafanatokens.reconcile.PassHarness.key;
import static io.grafanatokens.reconcile.PassHarness.tokenId;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.fakes.memory.MemoryTokenProvider;
import io.grafanatokens.fakes.memory.MemoryTokenProvider.Call;
import io.grafanatokens.fakes.memory.MemoryTokenProvider.Op;
import io.grafanatokens.secret.SecretAnnotations;
import io.grafanatokens.status.StatusBuilder;
import io.grafanatokens.testing.ApiServerDispatcher;
import io.grafanatokens.testing.ApiServerDispatcher.FaultMode;
import io.grafanatokens.testing.Resources;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The failures a rotation must make impossible, one pass at a time with the in-memory provider:
 * each test injects the fault or the kill at the exact point between two calls.
 */
class RotationSafetyTest {
  private final PassHarness h = new PassHarness();

  @AfterEach
  void close() {
    h.close();
  }

  /**
   * An issued resource with one-hour tokens renewed 20 minutes before expiry, previous keys kept 5
   * minutes.
   */
  private GrafanaServiceAccountToken issued(String name, String url) {
    GrafanaServiceAccountToken r = h.token(name, url);
    r.getSpec().setSecondsToLive(3600L);
    r.getSpec().setRotation(Resources.rotation("20m", "5m"));
    h.apply(r);
    h.settle(name);
    assertThat(ready(name)).isEqualTo("True/Issued");
    return h.get(name);
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

  private String ready(String name) {
    return condition(name, StatusBuilder.READY)
        .map(c -> c.getStatus() + "/" + c.getReason())
        .orElse("-");
  }

  private String issuing(String name) {
    return condition(name, StatusBuilder.ISSUING)
        .map(c -> c.getStatus() + "/" + c.getReason())
        .orElse("-");
  }

  private Optional<Condition> condition(String name, String type) {
    var st = h.get(name).getStatus();
    return st == null
        ? Optional.empty()
        : st.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private List<Event> events(String reason) {
    return h.client.events().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  private List<Call> revocations(String instance) {
    return h.provider.calls().stream()
        .filter(c -> c.op() == Op.REVOKE && c.instance().equals(instance))
        .toList();
  }

  // ---- 1. a pending id is revoked only at the instance it was issued at

  @Test
  void aPendingTokenIsNeverRevokedAtAnotherGrafanaItIsLeftToExpireWithAWarning() {
    issued("moving", GRAFANA_A);
    requestRotation("moving", "1");
    h.settle("moving");
    String pending = h.get("moving").getStatus().getPendingRevocations().get(0).getTokenId();
    // at Grafana B the same small id belongs to some other tool's token
    MemoryTokenProvider.Token theirs =
        h.provider.mint(GRAFANA_B, "2", "someone-else", Duration.ofDays(1));
    h.provider.mint(GRAFANA_B, "2", "someone-else-2", Duration.ofDays(1));
    assertThat(theirs.id()).isEqualTo(pending);

    h.edit(
        "moving",
        x -> {
          x.getSpec().getGrafana().setUrl(GRAFANA_B);
          return x;
        });
    h.settle("moving");
    assertThat(h.provider.live(GRAFANA_B))
        .extracting(MemoryTokenProvider.Token::key)
        .contains(key(h.secret("moving")));
    h.advance(Duration.ofMinutes(6));
    h.settle("moving");

    assertThat(revocations(GRAFANA_B)).as("nothing recorded at A is ever deleted at B").isEmpty();
    assertThat(h.provider.live(GRAFANA_B)).contains(theirs);
    assertThat(h.get("moving").getStatus().getPendingRevocations())
        .as("dropped, not retried")
        .isNull();
    assertThat(events("TokenLeftToExpire"))
        .extracting(Event::getNote)
        .anyMatch(n -> n.contains("token " + pending) && n.contains("left to expire"));
  }

  // ---- 2. the restart is durable, and holds the previous token's revocation

  @Test
  void aKillBetweenTheKeySwapAndTheRestartIsRestartedByTheNextProcess() {
    issued("env", GRAFANA_A);
    h.withRestartTarget("env");
    assertThat(h.restartedAt()).as("a first issue restarts nothing").isNull();
    requestRotation("env", "1");
    h.api.killOperatorAfter(ApiServerDispatcher.on("update", "secrets"));

    assertThat(h.pass("env")).as("killed right after the swap").isNull();
    String swapped = tokenId(h.secret("env"));
    assertThat(h.restartedAt()).isNull();
    assertThat(h.get("env").getStatus().getRestartedFor()).isNotEqualTo(swapped);

    h.settle("env");
    assertThat(h.restartedAt()).as("the next process redoes the restart").isNotNull();
    assertThat(h.get("env").getStatus().getRestartedFor()).isEqualTo(swapped);
  }

  @Test
  void aFailedRestartHoldsThePreviousTokenUntilItIsDoneThenGivesItItsFullGrace() {
    issued("held", GRAFANA_A);
    h.withRestartTarget("held");
    String firstKey = key(h.secret("held"));
    requestRotation("held", "1");
    h.api.failNext(
        ApiServerDispatcher.on("patch", "deployments"), FaultMode.REFUSE, 500, "etcd timeout", 2);
    h.settle("held");
    assertThat(ready("held")).isEqualTo("True/Rotated");
    assertThat(h.restartedAt()).isNull();

    h.advance(Duration.ofMinutes(6));
    h.pass("held");
    assertThat(h.restartedAt()).as("restarted on the next pass").isNotNull();
    assertThat(h.provider.works(firstKey))
        .as("the grace starts over after the late restart")
        .isTrue();
    assertThat(h.get("held").getStatus().getPendingRevocations())
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.getRevokeAt())
                    .isEqualTo(h.now().plus(Duration.ofMinutes(5)).toString()));

    h.advance(Duration.ofMinutes(5));
    h.settle("held");
    assertThat(h.provider.works(firstKey)).isFalse();
    assertThat(h.get("held").getStatus().getRestartedFor()).isEqualTo(tokenId(h.secret("held")));
  }

  // ---- 3. Kubernetes refusals end in a truthful status and no mint loop

  @Test
  void anInvalidLabelValueIsAnInvalidSpecAndNothingIsMinted() {
    GrafanaServiceAccountToken r = h.token("labels", GRAFANA_A);
    io.grafanatokens.api.v1alpha1.SecretTemplate st =
        new io.grafanatokens.api.v1alpha1.SecretTemplate();
    st.setLabels(Map.of("owner", "team a"));
    r.getSpec().setSecret(st);
    h.apply(r);
    h.settle("labels");
    assertThat(ready("labels")).isEqualTo("False/InvalidSpec");
    assertThat(condition("labels", StatusBuilder.READY).get().getMessage())
        .contains("spec.secret.labels[owner]");
    assertThat(h.provider.calls()).isEmpty();
  }

  @Test
  void aRefusedKeySwapKeepsTheValidKeyMintsNothingAgainFor10MinutesAndTurnsExpiredOnTime() {
    issued("immutable", GRAFANA_A);
    String firstKey = key(h.secret("immutable"));
    h.advance(Duration.ofMinutes(45));
    h.api.failNext(
        ApiServerDispatcher.on("update", "secrets"),
        FaultMode.REFUSE,
        422,
        "Secret \\\"immutable\\\" is invalid: data: Forbidden: field is immutable when `immutable` is set",
        100);

    h.pass("immutable");
    assertThat(ready("immutable")).as("the key in place is still valid").isEqualTo("True/Issued");
    assertThat(issuing("immutable")).isEqualTo("True/SecretRejected");
    assertThat(condition("immutable", StatusBuilder.ISSUING).get().getMessage())
        .contains("immutable");
    assertThat(h.provider.count(Op.CREATE)).isEqualTo(2);
    assertThat(h.provider.live(GRAFANA_A))
        .as("the token that could not be written is deleted")
        .hasSize(1);

    for (int i = 0; i < 5; i++) {
      h.advance(Duration.ofMinutes(1));
      h.pass("immutable");
    }
    assertThat(h.provider.count(Op.CREATE)).as("no mint loop").isEqualTo(2);
    h.advance(Duration.ofMinutes(10));
    h.pass("immutable");
    assertThat(ready("immutable"))
        .as("status says the truth once the key expired")
        .isEqualTo("False/Expired");
    assertThat(key(h.secret("immutable"))).isEqualTo(firstKey);
  }

  @Test
  void aMissingRbacVerbIsSecretRejectedWithTheApiServersMessage() {
    h.api.failNext(
        ApiServerDispatcher.on("create", "secrets"),
        FaultMode.REFUSE,
        403,
        "secrets is forbidden: User cannot create resource secrets",
        100);
    h.apply(h.token("rbac", GRAFANA_A));
    h.settle("rbac");
    assertThat(ready("rbac")).isEqualTo("False/SecretRejected");
    assertThat(condition("rbac", StatusBuilder.READY).get().getMessage()).contains("forbidden");
    assertThat(h.provider.live(GRAFANA_A)).isEmpty();
    h.advance(Duration.ofMinutes(3));
    h.pass("rbac");
    assertThat(h.provider.count(Op.CREATE)).isEqualTo(1);
  }

  // ---- 4. a dead key is never reported healthy

  @Test
  void aTokenFoundGoneStaysTheTriggerThroughFailedAttemptsAndReadyIsFalse() {
    h.tokenCheckInterval = Duration.ofMinutes(10);
    h.restart();
    issued("dead", GRAFANA_A);
    h.provider.delete(GRAFANA_A, tokenId(h.secret("dead")));
    h.advance(Duration.ofMinutes(10));
    h.provider.failNext(Op.CREATE, MemoryTokenProvider.unavailable(), 2);

    h.pass("dead");
    assertThat(ready("dead")).isEqualTo("False/TokenGone");
    assertThat(issuing("dead")).isEqualTo("True/ProviderError");
    h.advance(Duration.ofSeconds(2));
    h.pass("dead");
    assertThat(ready("dead")).as("not forgotten until the next check").isEqualTo("False/TokenGone");
    h.advance(Duration.ofSeconds(4));
    h.pass("dead");
    assertThat(ready("dead"))
        .as("the pass that issues reports the new token")
        .isEqualTo("True/Rotated");
    h.settle("dead");
    assertThat(ready("dead")).isEqualTo("True/Rotated");
    assertThat(h.provider.works(key(h.secret("dead")))).isTrue();
  }

  // ---- 5. an attempt costs one provider call, not three

  @Test
  void aRotationCallsCreateThenOneListAndLaterOneDelete() {
    issued("budget", GRAFANA_A);
    assertThat(h.provider.calls())
        .extracting(Call::op)
        .as("first issue")
        .containsExactly(Op.CREATE, Op.LIST);
    h.provider.clearCalls();

    h.advance(Duration.ofMinutes(41));
    h.settle("budget");
    assertThat(h.provider.calls())
        .extracting(Call::op)
        .as("rotation")
        .containsExactly(Op.CREATE, Op.LIST);
    h.advance(Duration.ofMinutes(5));
    h.settle("budget");
    assertThat(h.provider.calls())
        .extracting(Call::op)
        .containsExactly(Op.CREATE, Op.LIST, Op.REVOKE);

    h.provider.clearCalls();
    h.advance(Duration.ofMinutes(10));
    h.settle("budget");
    assertThat(h.provider.calls()).as("nothing due: no call").isEmpty();
  }

  @Test
  void underProviderFaultsEachAttemptIsOneCallAndTheKeyNeverExpires() {
    issued("faults", GRAFANA_A);
    h.advance(Duration.ofMinutes(41));
    // every other create fails: with a call before each create, attempts would fail twice as often
    for (int i = 0; i < 6; i++) {
      h.provider.failNext(Op.CREATE, MemoryTokenProvider.unavailable(), 1);
      h.pass("faults");
      assertThat(ready("faults")).isEqualTo("True/Issued");
      h.advance(Duration.ofSeconds(2L << i));
    }
    h.settle("faults");
    assertThat(ready("faults")).isEqualTo("True/Rotated");
    assertThat(h.provider.calls())
        .filteredOn(c -> c.op() != Op.REVOKE)
        .extracting(Call::op)
        .as("no lookup or list before any create")
        .containsExactly(
            Op.CREATE, Op.LIST, Op.CREATE, Op.CREATE, Op.CREATE, Op.CREATE, Op.CREATE, Op.CREATE,
            Op.CREATE, Op.LIST);
  }
}
