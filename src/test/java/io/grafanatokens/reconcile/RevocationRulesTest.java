package io.grafanatokens.reconcile;

import static io.grafanatokens.reconcile.PassHarness.GRAFANA_A;
import static io.grafanatokens.reconcile.PassHarness.NS;
import static io.grafanatokens.reconcile.PassHarness.key;
import static io.grafanatokens.reconcile.PassHarness.tokenId;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.PendingRevocation;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.api.v1alpha1.SecretTemplate;
import io.grafanatokens.fakes.memory.MemoryTokenProvider;
import io.grafanatokens.fakes.memory.MemoryTokenProvider.Call;
import io.grafanatokens.fakes.memory.MemoryTokenProvider.Op;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.secret.SecretAnnotations;
import io.grafanatokens.status.StatusBuilder;
import io.grafanatokens.testing.ApiServerDispatcher;
import io.grafanatokens.testing.ApiServerDispatcher.FaultMode;
import io.grafanatokens.testing.EmbeddedCluster;
import io.grafanatokens.testing.Resources;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The smaller failures of the rotation's family, one pass at a time. */
class RevocationRulesTest {
  private final PassHarness h = new PassHarness();

  @AfterEach
  void close() {
    h.close();
  }

  private GrafanaServiceAccountToken issued(String name) {
    GrafanaServiceAccountToken r = h.token(name, GRAFANA_A);
    r.getSpec().setSecondsToLive(3600L);
    r.getSpec().setRotation(Resources.rotation("20m", "5m"));
    h.apply(r);
    h.settle(name);
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

  /** Rotated once: the previous token is pending; returns its key. */
  private String rotated(String name) {
    issued(name);
    String previous = key(h.secret(name));
    requestRotation(name, "1");
    h.settle(name);
    assertThat(h.get(name).getStatus().getPendingRevocations()).hasSize(1);
    return previous;
  }

  private String reason(String name, String type) {
    return h.get(name).getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .map(c -> c.getStatus() + "/" + c.getReason())
        .orElse("-");
  }

  private List<Event> events(String reason) {
    return h.client.events().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  @Test
  void aKeySwapWithAnUnknownOutcomeIsNeverRolledBackTheNextIssueSweepsItsToken() {
    issued("unknown");
    requestRotation("unknown", "1");
    h.api.failNext(
        ApiServerDispatcher.on("update", "secrets"), FaultMode.REFUSE, 504, "timeout", 1);
    h.pass("unknown");
    assertThat(h.provider.count(Op.REVOKE))
        .as("the write may still land: nothing is deleted")
        .isZero();
    assertThat(h.provider.live(GRAFANA_A)).hasSize(2);

    h.advance(Duration.ofSeconds(2));
    h.settle("unknown");
    assertThat(reason("unknown", StatusBuilder.READY)).isEqualTo("True/Rotated");
    assertThat(h.provider.live(GRAFANA_A))
        .as("the key in the Secret and the previous one in its grace")
        .extracting(MemoryTokenProvider.Token::id)
        .containsExactlyInAnyOrder(
            tokenId(h.secret("unknown")),
            h.get("unknown").getStatus().getPendingRevocations().get(0).getTokenId());
  }

  @Test
  void aPendingTokenAnotherResourcesSecretHoldsStaysPendingAndIsRevokedOnceReleased() {
    String previous = rotated("held");
    String previousId = h.provider.byKey(previous).orElseThrow().id();
    h.client
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("copy")
                .withNamespace(NS)
                .addToLabels(SecretAnnotations.MANAGED_BY_LABEL, SecretAnnotations.MANAGED_BY_VALUE)
                .addToAnnotations(SecretAnnotations.TOKEN_ID, previousId)
                .addToAnnotations(SecretAnnotations.SERVICE_ACCOUNT_ID, "2")
                .addNewOwnerReference()
                .withApiVersion("grafanatokens.io/v1alpha1")
                .withKind("GrafanaServiceAccountToken")
                .withName("other")
                .withUid("other-uid")
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .build())
        .create();
    h.advance(Duration.ofMinutes(6));
    h.settle("held");
    assertThat(h.provider.works(previous)).isTrue();
    assertThat(h.get("held").getStatus().getPendingRevocations())
        .as("kept, not dropped")
        .extracting(PendingRevocation::getTokenId)
        .containsExactly(previousId);

    h.client.secrets().inNamespace(NS).withName("copy").delete();
    h.advance(Duration.ofMinutes(1));
    h.settle("held");
    assertThat(h.provider.works(previous)).isFalse();
    assertThat(h.get("held").getStatus().getPendingRevocations()).isNull();
  }

  @Test
  void dueRevocationsRunWhileAnIssueKeepsFailingAndBacksOff() {
    String previous = rotated("starved");
    requestRotation("starved", "2");
    h.provider.failNext(Op.CREATE, MemoryTokenProvider.unavailable(), 50);
    h.pass("starved");
    assertThat(reason("starved", StatusBuilder.ISSUING)).isEqualTo("True/ProviderError");
    h.advance(Duration.ofMinutes(6));
    h.pass("starved");
    assertThat(h.provider.works(previous))
        .as("revoked in its time although every issue fails")
        .isFalse();
  }

  @Test
  void aPermanentlyRefusedRevocationDropsOnlyItsEntryWithAWarning() {
    String first = rotated("two");
    requestRotation("two", "2");
    h.settle("two");
    String second = h.get("two").getStatus().getPendingRevocations().get(1).getTokenId();
    assertThat(h.get("two").getStatus().getPendingRevocations()).hasSize(2);
    h.provider.failNext(
        Op.REVOKE, new PermanentProviderException(Reasons.PROVIDER_REJECTED, "400 bad token"), 1);
    h.advance(Duration.ofMinutes(6));
    h.settle("two");
    assertThat(h.provider.works(first)).as("refused: left to expire").isTrue();
    assertThat(h.provider.live(GRAFANA_A))
        .extracting(MemoryTokenProvider.Token::id)
        .doesNotContain(second);
    assertThat(h.get("two").getStatus().getPendingRevocations()).isNull();
    assertThat(events(Reasons.LEFT_TO_EXPIRE))
        .extracting(Event::getNote)
        .anyMatch(n -> n.contains("400 bad token"));
  }

  @Test
  void aSecretNameMoveKilledHalfWayLeavesNoSecretThatPinsThePreviousToken() {
    issued("mover");
    String first = tokenId(h.secret("mover"));
    h.edit(
        "mover",
        x -> {
          SecretTemplate st = new SecretTemplate();
          st.setName("moved");
          x.getSpec().setSecret(st);
          return x;
        });
    h.api.killOperatorAfter(ApiServerDispatcher.on("create", "secrets"));
    assertThat(h.pass("mover")).isNull();
    assertThat(h.secret("mover")).as("killed before the old Secret was deleted").isNotNull();
    assertThat(tokenId(h.secret("moved"))).isEqualTo(first);

    h.settle("mover");
    assertThat(h.secret("mover")).as("the next process finishes the move").isNull();
    requestRotation("mover", "1");
    h.settle("mover");
    h.advance(Duration.ofMinutes(6));
    h.settle("mover");
    assertThat(h.provider.live(GRAFANA_A))
        .extracting(MemoryTokenProvider.Token::id)
        .doesNotContain(first);
  }

  @Test
  void aStaleCacheCopyIsReadAgainBeforeTheCreateSoNoTokenIsMintedAndDeleted() {
    issued("stale");
    Secret old = h.secret("stale");
    h.client
        .secrets()
        .inNamespace(NS)
        .withName("stale")
        .edit(
            s -> {
              s.getMetadata().getAnnotations().put("example.com/touched", "by someone else");
              return s;
            });
    h.cacheLagsBehind(old);
    requestRotation("stale", "1");
    h.pass("stale");
    assertThat(h.provider.calls())
        .filteredOn(c -> c.op() != Op.LIST)
        .extracting(Call::op)
        .as("one create, and no delete of a token whose write met a 409")
        .containsExactly(Op.CREATE, Op.CREATE);
    assertThat(tokenId(h.secret("stale"))).isNotEqualTo(tokenId(old));
    assertThat(h.secret("stale").getMetadata().getAnnotations())
        .containsEntry("example.com/touched", "by someone else");
  }

  @Test
  void anotherToolStrippingTheOperatorsAnnotationsRotatesNothingAndTheyAreRestored() {
    issued("stripped");
    String id = tokenId(h.secret("stripped"));
    h.client
        .secrets()
        .inNamespace(NS)
        .withName("stripped")
        .edit(
            s -> {
              s.getMetadata().getAnnotations().remove(SecretAnnotations.KEY_SHA256);
              s.getMetadata().getAnnotations().remove(SecretAnnotations.APPLIED_METADATA);
              return s;
            });
    h.settle("stripped");
    assertThat(h.provider.count(Op.CREATE)).isEqualTo(1);
    assertThat(tokenId(h.secret("stripped"))).isEqualTo(id);
    assertThat(h.secret("stripped").getMetadata().getAnnotations())
        .containsKeys(SecretAnnotations.KEY_SHA256, SecretAnnotations.APPLIED_METADATA);
  }

  @Test
  void fiveResourcesOnOneRejectedAdminCredentialTryItOnceAndOneTriesItsNewVersionFirst() {
    h.provider.reject(PassHarness.ADMIN_KEY);
    for (int i = 1; i <= 5; i++) {
      h.apply(h.token("r" + i, GRAFANA_A));
    }
    for (int i = 1; i <= 5; i++) {
      h.pass("r" + i);
    }
    assertThat(h.provider.count(Op.CREATE))
        .as("one 401 closes the gate for every resource on the Secret")
        .isEqualTo(1);
    for (int i = 1; i <= 5; i++) {
      assertThat(reason("r" + i, StatusBuilder.READY)).isEqualTo("False/CredentialsRejected");
    }
    h.advance(Duration.ofMinutes(5));
    for (int i = 1; i <= 5; i++) {
      h.pass("r" + i);
    }
    assertThat(h.provider.count(Op.CREATE))
        .as("once more after Grafana's lockout window, by one resource")
        .isEqualTo(2);
    h.advance(Duration.ofMinutes(30));
    for (int i = 1; i <= 5; i++) {
      h.pass("r" + i);
    }
    assertThat(h.provider.count(Op.CREATE))
        .as("unchanged Secret after a second 401: never again")
        .isEqualTo(2);

    h.client
        .secrets()
        .inNamespace(NS)
        .withName(EmbeddedCluster.CREDENTIALS_SECRET)
        .edit(
            s -> {
              s.getData().put("token", PassHarness.b64("new-admin-key"));
              return s;
            });
    h.advance(Duration.ofMinutes(1));
    // r3's try of the new Secret gets no answer yet (a 503): the others wait for it
    h.provider.failNext(Op.CREATE, MemoryTokenProvider.unavailable(), 1);
    h.pass("r3");
    h.pass("r1");
    h.pass("r5");
    assertThat(h.provider.count(Op.CREATE))
        .as("r3 tries the new Secret, r1 and r5 wait for its answer")
        .isEqualTo(3);
    h.advance(Duration.ofSeconds(2));
    h.pass("r3");
    assertThat(reason("r3", StatusBuilder.READY)).isEqualTo("True/Issued");
    for (int i = 1; i <= 5; i++) {
      h.settle("r" + i);
      assertThat(reason("r" + i, StatusBuilder.READY)).isEqualTo("True/Issued");
    }
  }

  @Test
  void aRenewBeforeOrGracePeriodEditThatMakesTheLifetimeShortWarns() {
    issued("short");
    assertThat(events(Reasons.SHORT_LIFETIME)).isEmpty();
    h.edit(
        "short",
        x -> {
          x.getSpec().setRotation(Resources.rotation("55m", "40m"));
          return x;
        });
    h.settle("short");
    assertThat(events(Reasons.SHORT_LIFETIME)).hasSize(1);
  }

  @Test
  void aSecretConflictStillRevokesDueTokens() {
    String previous = rotated("conflict");
    h.client
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("theirs")
                .withNamespace(NS)
                .endMetadata()
                .addToData("token", PassHarness.b64("theirs"))
                .build())
        .create();
    h.edit(
        "conflict",
        x -> {
          SecretTemplate st = new SecretTemplate();
          st.setName("theirs");
          x.getSpec().setSecret(st);
          return x;
        });
    h.settle("conflict");
    assertThat(reason("conflict", StatusBuilder.READY)).isEqualTo("False/SecretConflict");
    h.advance(Duration.ofMinutes(6));
    h.settle("conflict");
    assertThat(h.provider.works(previous)).isFalse();
    assertThat(key(h.secret("theirs"))).isEqualTo("theirs");
  }

  @Test
  void aTokenMissingFromACappedListIsNotCalledGone() {
    h.tokenCheckInterval = Duration.ofMinutes(10);
    h.restart();
    for (int i = 0; i < MemoryTokenProvider.LIST_CAP; i++) {
      h.provider.mint(GRAFANA_A, "2", "other-" + i, Duration.ofDays(1));
    }
    issued("capped");
    h.advance(Duration.ofMinutes(10));
    h.settle("capped");
    assertThat(reason("capped", StatusBuilder.READY)).isEqualTo("True/Issued");
    assertThat(h.provider.count(Op.CREATE)).isEqualTo(1);
  }
}
