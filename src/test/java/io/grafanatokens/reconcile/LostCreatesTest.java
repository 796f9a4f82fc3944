package io.grafanatokens.reconcile;

import static io.grafanatokens.reconcile.PassHarness.GRAFANA_A;
import static io.grafanatokens.reconcile.PassHarness.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.fakes.memory.MemoryTokenProvider;
import io.grafanatokens.fakes.memory.MemoryTokenProvider.Call;
import io.grafanatokens.fakes.memory.MemoryTokenProvider.Op;
import io.grafanatokens.provider.NameConflictException;
import io.grafanatokens.reconcile.policy.TokenNaming;
import io.grafanatokens.secret.SecretAnnotations;
import io.grafanatokens.status.StatusBuilder;
import io.grafanatokens.testing.Resources;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tokens left at the provider by creates whose answers were lost must never keep a resource from
 * rotating (docs/reference.md#issuing-crash-safe): a name clash is answered in the same pass by one
 * list, a sweep and a counter above every name listed; a quota filled by this resource's expired
 * strays is swept and the create tried again in the same pass.
 */
class LostCreatesTest {
  private final PassHarness h = new PassHarness();

  @AfterEach
  void close() {
    h.close();
  }

  private GrafanaServiceAccountToken issued(String name, long secondsToLive, String renewBefore) {
    GrafanaServiceAccountToken r = h.token(name, GRAFANA_A);
    r.getSpec().setSecondsToLive(secondsToLive);
    r.getSpec().setRotation(Resources.rotation(renewBefore, "0s"));
    h.apply(r);
    h.settle(name);
    assertThat(ready(name)).isEqualTo("True/Issued");
    return h.get(name);
  }

  private TokenNaming naming(String name) {
    return new TokenNaming(name, h.get(name).getMetadata().getUid());
  }

  /** Tokens of this resource that creates whose answers were lost left behind. */
  private void strays(String name, Duration lifetime, long... counters) {
    for (long n : counters) {
      h.provider.mint(GRAFANA_A, "2", naming(name).name(n), lifetime);
    }
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
    return condition(name, StatusBuilder.READY);
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

  private List<String> created() {
    return h.provider.calls().stream().filter(c -> c.op() == Op.CREATE).map(Call::token).toList();
  }

  private String tokenName(String name) {
    return h.secret(name).getMetadata().getAnnotations().get(SecretAnnotations.TOKEN_NAME);
  }

  private List<String> liveNames() {
    return h.provider.live(GRAFANA_A).stream().map(MemoryTokenProvider.Token::name).toList();
  }

  @Test
  void strayNamesAreListedOnceSweptAndSkippedSoTheRotationLandsInTheSamePass() {
    issued("ci", 3600, "20m");
    strays("ci", Duration.ofHours(1), 2, 3, 4);
    h.provider.clearCalls();
    requestRotation("ci", "1");

    h.pass("ci");

    assertThat(ready("ci")).isEqualTo("True/Rotated");
    assertThat(tokenName("ci"))
        .as("above the highest counter listed")
        .isEqualTo(naming("ci").name(5));
    assertThat(created()).containsExactly(naming("ci").name(2), naming("ci").name(5));
    assertThat(h.provider.count(Op.LIST))
        .as("one list for the clash, one after the swap")
        .isEqualTo(2);
    assertThat(liveNames())
        .as("the strays are swept")
        .doesNotContain(naming("ci").name(2), naming("ci").name(3), naming("ci").name(4));
    assertThat(h.provider.works(key(h.secret("ci")))).isTrue();
  }

  @Test
  void aPassNeverStartsAgainAtANameAnEarlierPassFoundTaken() {
    issued("ci", 3600, "20m");
    strays("ci", Duration.ofHours(1), 2, 3, 4);
    // the strays cannot be deleted yet, and the create above them fails
    h.provider.failNext(Op.REVOKE, MemoryTokenProvider.unavailable(), 3);
    h.provider.failNext(Op.CREATE, new NameConflictException("a token named ... exists"), 1);
    h.provider.failNext(Op.CREATE, MemoryTokenProvider.unavailable(), 1);
    requestRotation("ci", "1");
    h.provider.clearCalls();
    h.pass("ci");
    assertThat(created()).containsExactly(naming("ci").name(2), naming("ci").name(5));
    assertThat(condition("ci", StatusBuilder.ISSUING)).isEqualTo("True/ProviderError");
    h.provider.clearCalls();
    h.advance(Duration.ofSeconds(3));

    h.pass("ci");

    assertThat(ready("ci")).isEqualTo("True/Rotated");
    assertThat(created())
        .as("starts where the last attempt stopped, not at a name found taken")
        .containsExactly(naming("ci").name(5));
  }

  @Test
  void aPassAfterARestartClashesAtMostOnceBeforeItIssues() {
    issued("ci", 3600, "20m");
    strays("ci", Duration.ofHours(1), LongStream.rangeClosed(2, 40).toArray());
    h.provider.failNext(Op.REVOKE, MemoryTokenProvider.unavailable(), 100);
    h.provider.clearCalls();
    requestRotation("ci", "1");

    h.pass("ci");

    assertThat(ready("ci")).isEqualTo("True/Rotated");
    assertThat(created()).containsExactly(naming("ci").name(2), naming("ci").name(41));
  }

  @Test
  void aQuotaFilledByThisResourcesExpiredStraysIsSweptAndTheRotationLandsInTheSamePass() {
    issued("short", 60, "20s");
    strays("short", Duration.ofSeconds(1), 2, 3);
    h.provider.quota(3);
    h.advance(Duration.ofSeconds(41));
    h.provider.clearCalls();

    h.pass("short");

    assertThat(ready("short")).isEqualTo("True/Rotated");
    assertThat(created()).as("refused, swept, created again").hasSize(2);
    assertThat(h.provider.works(key(h.secret("short")))).isTrue();
    assertThat(liveNames()).doesNotContain(naming("short").name(2), naming("short").name(3));
  }

  @Test
  void aRefusedRotationIsTriedAgainLongBeforeTheKeyInTheSecretExpires() {
    issued("short", 60, "20s");
    String first = key(h.secret("short"));
    // quota taken by tokens that are not this resource's to sweep
    h.provider.mint(GRAFANA_A, "2", "someone-elses", Duration.ofHours(1));
    h.provider.mint(GRAFANA_A, "2", "someone-elses-2", Duration.ofHours(1));
    h.provider.quota(3);
    h.advance(Duration.ofSeconds(41));

    h.pass("short");
    assertThat(condition("short", StatusBuilder.ISSUING)).isEqualTo("True/QuotaExceeded");
    assertThat(h.provider.works(first)).isTrue();

    // 19 s left on the key: the next try comes within half of them, not 10 minutes later
    h.provider.quota(0);
    h.advance(Duration.ofMillis(9500));
    h.pass("short");
    assertThat(ready("short")).isEqualTo("True/Rotated");
  }
}
