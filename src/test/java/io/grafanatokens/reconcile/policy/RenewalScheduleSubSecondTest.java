package io.grafanatokens.reconcile.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * docs/reference.md#rotation-timing: "A rotation triggered by time never comes sooner than max(30
 * s, L/10) after the previous issue." RenewalSchedule applies the floor and then truncates to whole
 * seconds, so an issuedAt with a fraction of a second gives a renewalTime up to 1 s before the
 * floor.
 */
class RenewalScheduleSubSecondTest {
  @Test
  void floorHoldsForAnIssueTimeWithAFractionOfASecond() {
    Instant issued = Instant.parse("2026-11-22T10:15:00.500Z");
    // L=60s, renewBefore=29s: raw renewal = issue + 31s - jitter; pick a uid whose jitter (< 6s) is
    // >= 2s
    String uid =
        java.util.stream.Stream.iterate(0, i -> i + 1)
            .map(i -> "uid-" + i)
            .filter(u -> RenewalSchedule.jitter(u, Duration.ofSeconds(6)).getSeconds() >= 2)
            .findFirst()
            .orElseThrow();

    RenewalSchedule s =
        RenewalSchedule.compute(
            issued,
            Duration.ofSeconds(60),
            Optional.of(Duration.ofSeconds(29)),
            Optional.empty(),
            true,
            uid);

    assertThat(s.renewalTime()).isAfterOrEqualTo(issued.plusSeconds(30));
  }
}
