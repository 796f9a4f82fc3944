package io.grafanatokens.reconcile;

import static io.grafanatokens.reconcile.PassHarness.GRAFANA_A;
import static io.grafanatokens.reconcile.PassHarness.NS;
import static io.grafanatokens.reconcile.PassHarness.b64;
import static org.assertj.core.api.Assertions.assertThat;

import io.grafanatokens.fakes.memory.MemoryTokenProvider.Op;
import io.grafanatokens.status.StatusBuilder;
import io.grafanatokens.testing.EmbeddedCluster;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Grafana answers a user locked out by its brute-force protection with the same 401 as a wrong
 * password, even for the right one (docs/provider-apis.md): a credential the user just fixed must
 * not be shut out for good because its first try met the lockout window.
 */
class LockoutTest {
  private final PassHarness h = new PassHarness();

  @AfterEach
  void close() {
    h.close();
  }

  private String ready(String name) {
    var st = h.get(name).getStatus();
    return st == null
        ? "-"
        : st.getConditions().stream()
            .filter(c -> StatusBuilder.READY.equals(c.getType()))
            .findFirst()
            .map(c -> c.getStatus() + "/" + c.getReason())
            .orElse("-");
  }

  private void credentialIs(String value) {
    h.client
        .secrets()
        .inNamespace(NS)
        .withName(EmbeddedCluster.CREDENTIALS_SECRET)
        .edit(
            s -> {
              s.getData().put("token", b64(value));
              return s;
            });
  }

  @Test
  void aFixedCredentialWhoseFirstTryMeetsTheLockoutIsTriedOnceMoreAfterTheWindow() {
    h.provider.reject(PassHarness.ADMIN_KEY);
    h.apply(h.token("ci", GRAFANA_A));
    h.pass("ci");
    assertThat(ready("ci")).isEqualTo("False/CredentialsRejected");

    // the user fixes the password while the account is still locked out: the right one is refused
    // too
    credentialIs("fixed-key");
    h.provider.reject("fixed-key");
    h.advance(Duration.ofMinutes(1));
    h.pass("ci");
    assertThat(ready("ci")).isEqualTo("False/CredentialsRejected");
    long creates = h.provider.count(Op.CREATE);

    h.provider.accept("fixed-key");
    h.advance(Duration.ofMinutes(3));
    h.pass("ci");
    assertThat(h.provider.count(Op.CREATE)).as("not inside the lockout window").isEqualTo(creates);

    h.advance(Duration.ofMinutes(3));
    h.settle("ci");
    assertThat(ready("ci")).as("tried once more after the window").isEqualTo("True/Issued");
  }

  @Test
  void aSecond401ForTheSameCredentialClosesTheGateForGood() {
    h.provider.reject(PassHarness.ADMIN_KEY);
    h.apply(h.token("ci", GRAFANA_A));
    h.pass("ci");
    h.advance(Duration.ofMinutes(6));
    h.pass("ci");
    long calls = h.provider.calls().size();
    assertThat(calls).as("the first 401 and the one retry after the window").isEqualTo(2);

    for (int i = 0; i < 6; i++) {
      h.advance(Duration.ofMinutes(10));
      h.pass("ci");
    }
    assertThat(h.provider.calls()).as("a wrong password is not tried again").hasSize(2);
    assertThat(ready("ci")).isEqualTo("False/CredentialsRejected");
  }
}
