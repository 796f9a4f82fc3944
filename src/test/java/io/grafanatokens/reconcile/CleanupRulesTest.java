package io.grafanatokens.reconcile;

import static io.grafanatokens.reconcile.PassHarness.GRAFANA_A;
import static io.grafanatokens.reconcile.PassHarness.NS;
import static io.grafanatokens.reconcile.PassHarness.key;
import static io.grafanatokens.reconcile.PassHarness.tokenId;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.fakes.memory.MemoryTokenProvider;
import io.grafanatokens.fakes.memory.MemoryTokenProvider.Call;
import io.grafanatokens.fakes.memory.MemoryTokenProvider.Op;
import io.grafanatokens.secret.SecretAnnotations;
import io.grafanatokens.status.StatusBuilder;
import io.grafanatokens.testing.Resources;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The finalizer's rules, one cleanup pass at a time (docs/reference.md#delete). */
class CleanupRulesTest {
  private final PassHarness h = new PassHarness();

  @AfterEach
  void close() {
    h.close();
  }

  /** Issued, then rotated once: one current and one pending token. */
  private void rotated(String name) {
    GrafanaServiceAccountToken r = h.token(name, GRAFANA_A);
    r.getSpec().setSecondsToLive(3600L);
    r.getSpec().setRotation(Resources.rotation("20m", "5m"));
    h.apply(r);
    h.settle(name);
    h.edit(
        name,
        x -> {
          x.getMetadata()
              .setAnnotations(new HashMap<>(java.util.Map.of(SecretAnnotations.ROTATE, "1")));
          return x;
        });
    h.settle(name);
    assertThat(h.get(name).getStatus().getPendingRevocations()).hasSize(1);
  }

  private void delete(String name) {
    h.client.resources(GrafanaServiceAccountToken.class).inNamespace(NS).withName(name).delete();
    assertThat(h.get(name).getMetadata().getDeletionTimestamp()).isNotNull();
  }

  private Optional<Condition> ready(String name) {
    return h.get(name).getStatus().getConditions().stream()
        .filter(c -> StatusBuilder.READY.equals(c.getType()))
        .findFirst();
  }

  private List<Event> events(String reason) {
    return h.client.events().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  @Test
  void aResourceRefusedTheOperatorsIdentityGetsNoProviderCallOnDeleteItsSecretIsReleased() {
    rotated("refused");
    String current = tokenId(h.secret("refused"));
    // the namespace is no longer allowed the operator's identity (or never was, and a tenant wrote
    // the Secret)
    h.provider.ambientIdentity(true);
    h.provider.clearCalls();
    delete("refused");

    assertThat(h.cleanup("refused").done()).isTrue();
    assertThat(h.provider.calls()).as("no provider call with the operator's identity").isEmpty();
    assertThat(h.secret("refused")).isNull();
    assertThat(h.get("refused")).isNull();
    assertThat(events(Reasons.LEFT_TO_EXPIRE))
        .extracting(Event::getNote)
        .anyMatch(n -> n.contains("NotPermitted") && n.contains(current));
  }

  @Test
  void aHalfFailedDeleteNeverLeavesARevokedKeyInTheSecret() {
    rotated("order");
    String currentKey = key(h.secret("order"));
    String current = tokenId(h.secret("order"));
    String pending = h.get("order").getStatus().getPendingRevocations().get(0).getTokenId();
    h.provider.clearCalls();
    h.provider.failNext(Op.REVOKE, MemoryTokenProvider.unavailable(), 1);
    delete("order");

    CleanupPass.Result waiting = h.cleanup("order");
    assertThat(waiting.done()).isFalse();
    assertThat(h.provider.works(currentKey)).as("the current key is revoked last").isTrue();
    assertThat(key(h.secret("order"))).isEqualTo(currentKey);
    assertThat(ready("order"))
        .hasValueSatisfying(
            c -> {
              assertThat(c.getStatus() + "/" + c.getReason()).isEqualTo("False/Deleting");
              assertThat(c.getMessage()).contains("ProviderError").contains(pending);
            });

    h.advance(Duration.ofSeconds(2));
    assertThat(h.cleanup("order").done()).isTrue();
    assertThat(h.provider.calls())
        .filteredOn(c -> c.op() == Op.REVOKE)
        .extracting(Call::token)
        .as("previous first, then the current one once its Secret is gone")
        .containsExactly(pending, pending, current);
    assertThat(h.secret("order")).isNull();
    assertThat(h.provider.live(GRAFANA_A)).isEmpty();
  }

  @Test
  void aRejectedCredentialIsNotTriedAgainOnDeleteUntilItsSecretChanges() {
    rotated("locked");
    h.provider.reject(PassHarness.ADMIN_KEY);
    delete("locked");
    h.provider.clearCalls();

    assertThat(h.cleanup("locked").done()).isFalse();
    assertThat(h.provider.calls()).hasSize(1);
    for (int i = 0; i < 4; i++) {
      h.advance(Duration.ofMinutes(1));
      assertThat(h.cleanup("locked").done()).isFalse();
    }
    assertThat(h.provider.calls())
        .as("Grafana's admin is not locked out by the finalizer")
        .hasSize(1);
    assertThat(ready("locked"))
        .hasValueSatisfying(
            c ->
                assertThat(c.getReason() + ": " + c.getMessage())
                    .startsWith("Deleting: ")
                    .contains("CredentialsRejected"));
    assertThat(events(Reasons.CREDENTIALS_REJECTED))
        .as("five waits warn at the 1st, 2nd and 4th, not at each")
        .hasSize(3);
  }

  @Test
  void aRetainDeleteReleasesTheSecretAndRevokesOnlyThePreviousToken() {
    rotated("kept");
    String currentKey = key(h.secret("kept"));
    h.edit(
        "kept",
        x -> {
          x.getSpec().setDeletionPolicy("Retain");
          return x;
        });
    delete("kept");
    assertThat(h.cleanup("kept").done()).isTrue();
    assertThat(h.provider.works(currentKey)).isTrue();
    assertThat(h.provider.live(GRAFANA_A)).hasSize(1);
    assertThat(h.secret("kept").getMetadata().getOwnerReferences()).isEmpty();
    assertThat(h.secret("kept").getMetadata().getAnnotations())
        .doesNotContainKey(SecretAnnotations.PENDING_REVOCATIONS);
  }

  @Test
  void aTokenIssuedUnderAnotherTargetIsNeverRevokedOnDelete() {
    rotated("moved");
    String pending = h.get("moved").getStatus().getPendingRevocations().get(0).getTokenId();
    h.edit(
        "moved",
        x -> {
          x.getSpec().getGrafana().setUrl(PassHarness.GRAFANA_B);
          return x;
        });
    delete("moved");
    h.provider.clearCalls();
    assertThat(h.cleanup("moved").done()).isTrue();
    assertThat(h.provider.calls()).filteredOn(c -> c.op() == Op.REVOKE).isEmpty();
    assertThat(events(Reasons.LEFT_TO_EXPIRE))
        .extracting(Event::getNote)
        .anyMatch(n -> n.contains(pending));
  }

  @Test
  void aRetainDeleteIsReleasedAtOnceWhileTheCredentialIsRejectedLeavingPendingTokensToExpire() {
    rotated("kept");
    String pending = h.get("kept").getStatus().getPendingRevocations().get(0).getTokenId();
    h.provider.reject(PassHarness.ADMIN_KEY);
    h.edit(
        "kept",
        x -> {
          x.getSpec().setDeletionPolicy("Retain");
          return x;
        });
    // the 401 gate closes on a failing call
    h.advance(Duration.ofMinutes(6));
    h.pass("kept");
    delete("kept");
    h.provider.clearCalls();

    assertThat(h.cleanup("kept").done()).as("Retain is decided before any gate").isTrue();

    assertThat(h.provider.calls()).as("the rejected credential is not tried again").isEmpty();
    assertThat(h.secret("kept").getMetadata().getOwnerReferences()).isEmpty();
    assertThat(events(Reasons.LEFT_TO_EXPIRE))
        .extracting(Event::getNote)
        .anyMatch(n -> n.contains(pending));
  }

  @Test
  void aSpecInvalidOutsideItsProviderBlockStillRevokesOnDelete() {
    rotated("labels");
    String currentKey = key(h.secret("labels"));
    h.edit(
        "labels",
        x -> {
          io.grafanatokens.api.v1alpha1.SecretTemplate t =
              new io.grafanatokens.api.v1alpha1.SecretTemplate();
          t.setLabels(java.util.Map.of("owner", "team a"));
          x.getSpec().setSecret(t);
          return x;
        });
    h.pass("labels");
    assertThat(ready("labels"))
        .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("InvalidSpec"));
    delete("labels");

    assertThat(h.cleanup("labels").done()).isTrue();

    assertThat(h.provider.works(currentKey)).isFalse();
    assertThat(h.provider.live(GRAFANA_A)).as("nothing left alive for 30 days").isEmpty();
  }

  @Test
  void theDeleteSweepDecidesFromTheSecretOnTheServerNotALaggingCache() {
    rotated("lagging");
    io.fabric8.kubernetes.api.model.Secret before = h.secret("lagging");
    h.edit(
        "lagging",
        x -> {
          x.getMetadata().getAnnotations().put(SecretAnnotations.ROTATE, "2");
          return x;
        });
    h.settle("lagging");
    String inSecret = key(h.secret("lagging"));
    h.cacheLagsBehind(before);
    delete("lagging");
    // the Secret cannot be deleted yet: the pass stops after the previous tokens and the strays
    h.api.failNext(
        io.grafanatokens.testing.ApiServerDispatcher.on("delete", "secrets"),
        io.grafanatokens.testing.ApiServerDispatcher.FaultMode.REFUSE,
        500,
        "etcd timeout",
        1);

    h.cleanup("lagging");

    assertThat(h.provider.works(inSecret))
        .as("the key in the Secret is never swept as a stray")
        .isTrue();
  }
}
