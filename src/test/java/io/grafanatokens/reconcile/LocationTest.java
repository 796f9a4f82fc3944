package io.grafanatokens.reconcile;

import static io.grafanatokens.reconcile.PassHarness.GRAFANA_A;
import static io.grafanatokens.reconcile.PassHarness.GRAFANA_B;
import static io.grafanatokens.reconcile.PassHarness.NS;
import static io.grafanatokens.reconcile.PassHarness.key;
import static io.grafanatokens.reconcile.PassHarness.tokenId;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.fakes.memory.MemoryTokenProvider;
import io.grafanatokens.fakes.memory.MemoryTokenProvider.Op;
import io.grafanatokens.secret.SecretAnnotations;
import io.grafanatokens.status.StatusBuilder;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * "Which fields need a new token" is not "where a token id means something"
 * (docs/reference.md#which-tokens-may-be-deleted): a lifetime, name or service-account change
 * re-issues and revokes the previous token after its grace; only a move to another instance leaves
 * it to expire. Records written before locations existed are judged by the migration rule of
 * docs/reference.md#the-secret.
 */
class LocationTest {
  private final PassHarness h = new PassHarness();

  @AfterEach
  void close() {
    h.close();
  }

  private void issued(String name) {
    h.issuedWithGrace(name, GRAFANA_A);
  }

  private String condition(String name, String type) {
    var st = h.get(name).getStatus();
    return st == null
        ? "-"
        : st.getConditions().stream()
            .filter(c -> type.equals(c.getType()))
            .findFirst()
            .map(c -> c.getStatus() + "/" + c.getReason())
            .orElse("-");
  }

  private List<String> leftToExpire() {
    return h.client.events().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> "TokenLeftToExpire".equals(e.getReason()))
        .map(Event::getNote)
        .toList();
  }

  /**
   * The spec change re-issues at once; the previous key works through its grace and is revoked
   * after it.
   */
  private void previousTokenRevokedAfterGrace(UnaryOperator<GrafanaServiceAccountToken> change) {
    issued("ci");
    String first = key(h.secret("ci"));
    h.edit("ci", change);
    h.settle("ci");
    assertThat(condition("ci", StatusBuilder.READY)).isEqualTo("True/Rotated");
    assertThat(h.provider.works(first)).as("within its grace").isTrue();

    h.advance(Duration.ofMinutes(6));
    h.settle("ci");

    assertThat(h.provider.works(first)).as("no orphan: revoked after its grace").isFalse();
    assertThat(h.provider.works(key(h.secret("ci")))).isTrue();
    assertThat(leftToExpire()).isEmpty();
  }

  @Test
  void aLifetimeChangeRevokesThePreviousTokenAfterItsGrace() {
    previousTokenRevokedAfterGrace(
        x -> {
          x.getSpec().setSecondsToLive(7200L);
          return x;
        });
  }

  @Test
  void aTokenNameChangeRevokesThePreviousTokenAfterItsGrace() {
    previousTokenRevokedAfterGrace(
        x -> {
          x.getSpec().setTokenName("renamed");
          return x;
        });
  }

  @Test
  void aServiceAccountChangeRevokesThePreviousTokenAtTheAccountItWasIssuedOn() {
    issued("ci");
    String first = key(h.secret("ci"));
    h.edit(
        "ci",
        x -> {
          x.getSpec().getGrafana().getServiceAccount().setId(3L);
          return x;
        });
    h.settle("ci");
    h.restart();
    h.advance(Duration.ofMinutes(6));
    h.provider.clearCalls();

    h.settle("ci");

    assertThat(h.provider.works(first)).isFalse();
    assertThat(h.provider.calls())
        .filteredOn(c -> c.op() == Op.REVOKE)
        .singleElement()
        .satisfies(c -> assertThat(c.token()).isNotEqualTo(tokenId(h.secret("ci"))));
  }

  @Test
  void aMoveToAnotherGrafanaLeavesThePreviousTokenToExpireWithOneWarningAfterTheSwap() {
    issued("ci");
    String firstId = tokenId(h.secret("ci"));
    String first = key(h.secret("ci"));
    h.edit(
        "ci",
        x -> {
          x.getSpec().getGrafana().setUrl(GRAFANA_B);
          return x;
        });
    h.provider.failNext(Op.CREATE, MemoryTokenProvider.unavailable(), 3);
    for (int i = 0; i < 3; i++) {
      h.pass("ci");
      assertThat(condition("ci", StatusBuilder.ISSUING)).isEqualTo("True/ProviderError");
      h.advance(Duration.ofSeconds(20));
    }
    assertThat(leftToExpire())
        .as("not before the new token is in place: until then it is current")
        .isEmpty();

    h.settle("ci");
    h.advance(Duration.ofMinutes(6));
    h.settle("ci");

    assertThat(h.provider.works(first)).as("never revoked at another Grafana").isTrue();
    assertThat(leftToExpire())
        .singleElement()
        .satisfies(n -> assertThat(n).contains("token " + firstId).contains("left to expire"));
  }

  @Test
  void whetherASwapLandedIsJudgedByTheKeyNotByAnIdTheNewGrafanaHandsOutAgain() {
    issued("ci");
    String idAtA = tokenId(h.secret("ci"));
    h.edit(
        "ci",
        x -> {
          x.getSpec().getGrafana().setUrl(GRAFANA_B);
          return x;
        });
    // the swap fails with an unknown outcome; the Secret still holds A's token, whose id B hands
    // out again
    h.api.failNext(
        io.grafanatokens.testing.ApiServerDispatcher.on("update", "secrets"),
        io.grafanatokens.testing.ApiServerDispatcher.FaultMode.REFUSE,
        500,
        "etcd timeout",
        1);
    h.pass("ci");
    assertThat(h.provider.live(GRAFANA_B))
        .extracting(MemoryTokenProvider.Token::id)
        .containsExactly(idAtA);
    assertThat(condition("ci", StatusBuilder.READY))
        .as("the old key is not reported as the new one")
        .isEqualTo("True/Issued");
    assertThat(condition("ci", StatusBuilder.ISSUING)).startsWith("True/");

    h.advance(Duration.ofSeconds(3));
    h.settle("ci");

    assertThat(condition("ci", StatusBuilder.READY)).isEqualTo("True/Rotated");
    assertThat(h.provider.works(key(h.secret("ci")))).isTrue();
    assertThat(h.provider.live(GRAFANA_B)).as("the token that did not land is swept").hasSize(1);
  }

  // ---- delete after a move

  /**
   * Issued at A, rotated there (a pending id at A), then moved to B, where ids start again at 1.
   */
  private void movedWithAPendingIdAtTheOldGrafana() {
    issued("ci");
    h.edit(
        "ci",
        x -> {
          x.getMetadata()
              .setAnnotations(
                  new java.util.HashMap<>(java.util.Map.of(SecretAnnotations.ROTATE, "1")));
          return x;
        });
    h.settle("ci");
    h.edit(
        "ci",
        x -> {
          x.getSpec().getGrafana().setUrl(GRAFANA_B);
          return x;
        });
    h.settle("ci");
    assertThat(h.get("ci").getStatus().getPendingRevocations())
        .extracting(p -> p.getTokenId())
        .as("the same small id names the token at B")
        .contains(tokenId(h.secret("ci")));
  }

  @Test
  void aDeleteRevokesTheTokenAtTheNewGrafanaThoughAnIdLeftAtTheOldOneIsTheSame() {
    movedWithAPendingIdAtTheOldGrafana();
    String current = key(h.secret("ci"));
    h.client.resources(GrafanaServiceAccountToken.class).inNamespace(NS).withName("ci").delete();

    assertThat(h.cleanup("ci").done()).isTrue();

    assertThat(h.provider.works(current)).as("no orphan at B").isFalse();
    assertThat(h.provider.live(GRAFANA_A)).as("nothing deleted at A").hasSize(2);
  }

  @Test
  void aWaitingDeleteSaysALeftToExpireTokenOnceNotOnEveryRetry() {
    movedWithAPendingIdAtTheOldGrafana();
    int before = leftToExpire().size();
    h.provider.failNext(Op.LIST, MemoryTokenProvider.unavailable(), 3);
    h.client.resources(GrafanaServiceAccountToken.class).inNamespace(NS).withName("ci").delete();
    for (int i = 0; i < 3; i++) {
      assertThat(h.cleanup("ci").done()).isFalse();
      h.advance(Duration.ofSeconds(10));
    }
    assertThat(h.cleanup("ci").done()).isTrue();

    assertThat(leftToExpire().size() - before).isEqualTo(1);
  }

  // ---- records written before locations existed

  /** Rewrites the Secret as an older operator wrote it: no location, pending entries as given. */
  private void olderRecord(String name, String pendingJson) {
    h.client
        .secrets()
        .inNamespace(NS)
        .withName(name)
        .edit(
            s -> {
              s.getMetadata().getAnnotations().remove(SecretAnnotations.LOCATION);
              s.getMetadata()
                  .getAnnotations()
                  .put(SecretAnnotations.PENDING_REVOCATIONS, pendingJson);
              return s;
            });
  }

  @Test
  void anOlderEntryWithTheCurrentTargetIsRevoked() {
    issued("ci");
    MemoryTokenProvider.Token previous =
        h.provider.mint(GRAFANA_A, "2", naming("ci") + "0", Duration.ofHours(1));
    String target =
        h.secret("ci").getMetadata().getAnnotations().get(SecretAnnotations.TARGET_HASH);
    olderRecord(
        "ci",
        "[{\"tokenId\":\""
            + previous.id()
            + "\",\"serviceAccountId\":\"2\",\"target\":\""
            + target
            + "\",\"revokeAt\":\""
            + h.now()
            + "\"}]");
    h.advance(Duration.ofSeconds(1));

    h.settle("ci");

    assertThat(h.provider.works(previous.key())).isFalse();
  }

  @Test
  void aBareOlderEntryCountsOnlyWhereTheSecretItSitsInWasWritten() {
    issued("ci");
    MemoryTokenProvider.Token previous =
        h.provider.mint(GRAFANA_A, "2", naming("ci") + "0", Duration.ofHours(1));
    String bare =
        "[{\"tokenId\":\""
            + previous.id()
            + "\",\"serviceAccountId\":\"2\",\"revokeAt\":\""
            + h.now()
            + "\"}]";
    // the Secret was written by an older operator under other shaping fields: no proof where the
    // entry lives
    olderRecord("ci", bare);
    h.client
        .secrets()
        .inNamespace(NS)
        .withName("ci")
        .edit(
            s -> {
              s.getMetadata().getAnnotations().put(SecretAnnotations.TARGET_HASH, "0".repeat(64));
              return s;
            });
    h.advance(Duration.ofSeconds(1));
    h.pass("ci");
    assertThat(h.provider.works(previous.key())).as("left to expire").isTrue();
    assertThat(leftToExpire()).anyMatch(n -> n.contains("token " + previous.id()));
  }

  @Test
  void aBareEntryInASecretWrittenAtTheCurrentLocationIsRevoked() {
    issued("ci");
    MemoryTokenProvider.Token previous =
        h.provider.mint(GRAFANA_A, "2", naming("ci") + "0", Duration.ofHours(1));
    h.client
        .secrets()
        .inNamespace(NS)
        .withName("ci")
        .edit(
            s -> {
              s.getMetadata()
                  .getAnnotations()
                  .put(
                      SecretAnnotations.PENDING_REVOCATIONS,
                      "[{\"tokenId\":\""
                          + previous.id()
                          + "\",\"serviceAccountId\":\"2\",\"revokeAt\":\""
                          + h.now()
                          + "\"}]");
              return s;
            });
    h.advance(Duration.ofSeconds(1));

    h.settle("ci");

    assertThat(h.provider.works(previous.key())).isFalse();
  }

  /**
   * A name of this resource under a tokenName it had before: its own by the name rule, but not the
   * sweep's (which takes only the current tokenName), so only the location rule decides its fate.
   */
  private String naming(String name) {
    return "older-" + h.get(name).getMetadata().getUid().substring(0, 8) + "-";
  }
}
