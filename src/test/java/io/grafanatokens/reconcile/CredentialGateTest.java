package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.grafanatokens.reconcile.CredentialGate.Decision;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CredentialGateTest {
  private static final String SECRET = "team-a/grafana-admin";
  private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
  private final CredentialGate gate = new CredentialGate();

  @Test
  void anUnprovenCredentialIsTriedByOneResourceWhileTheOthersWait() {
    assertThat(gate.check(SECRET, "7", "a", NOW)).isEqualTo(Decision.TRIAL);
    assertThat(gate.check(SECRET, "7", "b", NOW)).isEqualTo(Decision.WAIT);
    gate.accepted(SECRET, "7");
    assertThat(gate.unproven(SECRET, "7")).isFalse();
    assertThat(gate.check(SECRET, "7", "b", NOW)).isEqualTo(Decision.OPEN);
  }

  @Test
  void aTrialTakenByAPassThatNeverCalledTheProviderIsFreeWhenThatPassEnds() {
    assertThat(gate.check(SECRET, "7", "idle", NOW)).isEqualTo(Decision.TRIAL);
    gate.passEnded(SECRET, "idle");
    assertThat(gate.check(SECRET, "7", "b", NOW)).isEqualTo(Decision.TRIAL);
  }

  @Test
  void aPassEndingDoesNotFreeATrialAnotherResourceHolds() {
    assertThat(gate.check(SECRET, "7", "a", NOW)).isEqualTo(Decision.TRIAL);
    gate.passEnded(SECRET, "b");
    assertThat(gate.check(SECRET, "7", "c", NOW)).isEqualTo(Decision.WAIT);
  }

  @Test
  void aRejectedCredentialStaysClosedUntilTheSecretChangesThenOneResourceTriesTheNewVersion() {
    gate.rejected(SECRET, "7", "401 invalid username or password", NOW, false);
    assertThat(gate.check(SECRET, "7", "a", NOW)).isEqualTo(Decision.CLOSED);
    assertThat(gate.check(SECRET, "7", "a", NOW.plus(Duration.ofHours(1))))
        .as("no lockout to wait out: final")
        .isEqualTo(Decision.CLOSED);
    assertThat(gate.message(SECRET)).contains("401");
    assertThat(gate.check(SECRET, "8", "a", NOW)).isEqualTo(Decision.TRIAL);
    assertThat(gate.check(SECRET, "8", "b", NOW)).isEqualTo(Decision.CLOSED);
    gate.passEnded(SECRET, "a");
    assertThat(gate.check(SECRET, "8", "b", NOW)).isEqualTo(Decision.TRIAL);
  }

  @Test
  void aTrialThatNeverReportsBackIsFreeAfterTheTimeout() {
    assertThat(gate.check(SECRET, "7", "a", NOW)).isEqualTo(Decision.TRIAL);
    assertThat(gate.check(SECRET, "7", "b", NOW.plus(CredentialGate.TRIAL_TIMEOUT)))
        .isEqualTo(Decision.TRIAL);
  }

  @Test
  void aFirst401MayBeGrafanasLockoutSoItIsTriedOnceMoreAfterTheWindowAndASecondOneIsFinal() {
    gate.rejected(SECRET, "8", "401 invalid username or password", NOW, true);
    Instant inWindow = NOW.plus(CredentialGate.LOCKOUT_WINDOW).minusSeconds(1);
    assertThat(gate.check(SECRET, "8", "a", inWindow))
        .as("never inside the window")
        .isEqualTo(Decision.CLOSED);
    Instant after = NOW.plus(CredentialGate.LOCKOUT_WINDOW);
    assertThat(gate.check(SECRET, "8", "a", after)).isEqualTo(Decision.TRIAL);
    assertThat(gate.check(SECRET, "8", "b", after))
        .as("one resource tries")
        .isEqualTo(Decision.CLOSED);

    gate.rejected(SECRET, "8", "401 invalid username or password", after, true);
    assertThat(gate.check(SECRET, "8", "a", after.plus(Duration.ofHours(1))))
        .as("final for this version")
        .isEqualTo(Decision.CLOSED);
    assertThat(gate.check(SECRET, "9", "a", after.plus(Duration.ofHours(1))))
        .isEqualTo(Decision.TRIAL);
  }

  @Test
  void aCredentialThatWorksAfterTheWindowOpensTheGate() {
    gate.rejected(SECRET, "8", "401", NOW, true);
    Instant after = NOW.plus(CredentialGate.LOCKOUT_WINDOW);
    assertThat(gate.check(SECRET, "8", "a", after)).isEqualTo(Decision.TRIAL);
    gate.accepted(SECRET, "8");
    assertThat(gate.check(SECRET, "8", "b", after)).isEqualTo(Decision.OPEN);
  }
}
