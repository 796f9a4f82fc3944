package io.grafanatokens.reconcile.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/reference.md#failures-and-retries: transient failures back off from 2 s, doubling, capped.
 */
class BackoffTest {

  private static Optional<Duration> none() {
    return Optional.empty();
  }

  private static Optional<Duration> of(String text) {
    return Optional.of(Durations.parse(text).orElseThrow());
  }

  static Stream<Arguments> doublingFromTwoSeconds() {
    return Stream.of(
        arguments(1, Duration.ofSeconds(2)),
        arguments(2, Duration.ofSeconds(4)),
        arguments(3, Duration.ofSeconds(8)),
        arguments(4, Duration.ofSeconds(16)),
        arguments(5, Duration.ofSeconds(32)),
        arguments(6, Duration.ofSeconds(64)),
        arguments(7, Duration.ofSeconds(128)),
        arguments(8, Duration.ofSeconds(256)),
        arguments(9, Duration.ofMinutes(5)),
        arguments(10, Duration.ofMinutes(5)),
        arguments(30, Duration.ofMinutes(5)));
  }

  @ParameterizedTest(name = "attempt {0} -> {1}")
  @MethodSource
  void doublingFromTwoSeconds(int attempt, Duration expected) {
    assertThat(Backoff.transientDelay(attempt, none(), none())).isEqualTo(expected);
  }

  static Stream<Arguments> cappedAtAQuarterOfRenewBefore() {
    return Stream.of(
        // renewBefore, attempt, expected
        arguments("8h", 20, Duration.ofMinutes(5)),
        arguments("20m", 20, Duration.ofMinutes(5)),
        arguments("19m", 20, Duration.ofSeconds(285)),
        arguments("2m", 3, Duration.ofSeconds(8)),
        arguments("2m", 5, Duration.ofSeconds(30)),
        arguments("2m", 6, Duration.ofSeconds(30)),
        arguments("1m", 4, Duration.ofSeconds(15)),
        arguments("8s", 1, Duration.ofSeconds(2)),
        arguments("8s", 5, Duration.ofSeconds(2)),
        arguments("4s", 5, Duration.ofSeconds(2)),
        arguments("1s", 1, Duration.ofSeconds(2)),
        arguments("1s", 10, Duration.ofSeconds(2)));
  }

  @ParameterizedTest(name = "renewBefore {0}, attempt {1} -> {2}")
  @MethodSource
  void cappedAtAQuarterOfRenewBefore(String renewBefore, int attempt, Duration expected) {
    assertThat(Backoff.transientDelay(attempt, of(renewBefore), none())).isEqualTo(expected);
  }

  static Stream<Arguments> neverBelowRetryAfter() {
    return Stream.of(
        // attempt, renewBefore, retryAfter, expected
        arguments(1, null, "30s", Duration.ofSeconds(30)),
        arguments(1, null, "1s", Duration.ofSeconds(2)),
        arguments(5, null, "30s", Duration.ofSeconds(32)),
        arguments(20, null, "10m", Duration.ofMinutes(10)),
        arguments(20, "1m", "45s", Duration.ofSeconds(45)),
        arguments(20, "1m", "10s", Duration.ofSeconds(15)),
        arguments(1, "1s", "1h", Duration.ofHours(1)),
        arguments(3, null, "0s", Duration.ofSeconds(8)));
  }

  @ParameterizedTest(name = "attempt {0}, renewBefore {1}, Retry-After {2} -> {3}")
  @MethodSource
  void neverBelowRetryAfter(int attempt, String renewBefore, String retryAfter, Duration expected) {
    Optional<Duration> rb = renewBefore == null ? none() : of(renewBefore);

    assertThat(Backoff.transientDelay(attempt, rb, of(retryAfter))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "attempt {0}")
  @MethodSource("largeAttempts")
  void largeAttemptNumbersDoNotOverflow(int attempt) {
    assertThat(Backoff.transientDelay(attempt, none(), none())).isEqualTo(Duration.ofMinutes(5));
    assertThat(Backoff.transientDelay(attempt, of("8m"), none())).isEqualTo(Duration.ofMinutes(2));
  }

  static Stream<Integer> largeAttempts() {
    return Stream.of(21, 22, 31, 32, 33, 63, 64, 65, 1_000, Integer.MAX_VALUE);
  }

  @ParameterizedTest(name = "attempt {0}")
  @MethodSource("nonPositiveAttempts")
  void nonPositiveAttemptsStartAtTwoSeconds(int attempt) {
    assertThat(Backoff.transientDelay(attempt, none(), none())).isEqualTo(Duration.ofSeconds(2));
  }

  static Stream<Integer> nonPositiveAttempts() {
    return Stream.of(0, -1, -1_000);
  }

  @Test
  void delaysNeverDecreaseAsAttemptsGrow() {
    for (String renewBefore : new String[] {"1s", "10s", "1m", "19m", "8h"}) {
      Duration previous = Duration.ZERO;
      for (int attempt = 1; attempt <= 100; attempt++) {
        Duration d = Backoff.transientDelay(attempt, of(renewBefore), none());
        assertThat(d)
            .as("renewBefore %s attempt %d", renewBefore, attempt)
            .isGreaterThanOrEqualTo(previous)
            .isGreaterThanOrEqualTo(Duration.ofSeconds(2))
            .isLessThanOrEqualTo(Duration.ofMinutes(5));
        previous = d;
      }
    }
  }

  static Stream<Arguments> sameTokenDelay() {
    return Stream.of(
        arguments(1, Duration.ofMinutes(1)),
        arguments(2, Duration.ofMinutes(2)),
        arguments(3, Duration.ofMinutes(4)),
        arguments(4, Duration.ofMinutes(5)),
        arguments(5, Duration.ofMinutes(5)),
        arguments(Integer.MAX_VALUE, Duration.ofMinutes(5)),
        arguments(0, Duration.ofMinutes(1)));
  }

  /**
   * docs/reference.md#yandexcloud-specifics: a same-token answer is retried with backoff from 1
   * min.
   */
  @ParameterizedTest(name = "attempt {0} -> {1}")
  @MethodSource
  void sameTokenDelay(int attempt, Duration expected) {
    assertThat(Backoff.sameTokenDelay(attempt)).isEqualTo(expected);
  }

  @Test
  void fixedDelaysForOtherFailures() {
    assertThat(Backoff.PERMANENT).isEqualTo(Duration.ofMinutes(10));
    assertThat(Backoff.CREDENTIALS).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void noDelayCarriesTheNextAttemptPastHalfwayToTheKeysExpiry() {
    Instant now = Instant.parse("2026-12-01T10:00:00Z");
    assertThat(Backoff.beforeExpiry(Backoff.PERMANENT, now, Optional.of(now.plusSeconds(60))))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(Backoff.beforeExpiry(Duration.ofSeconds(4), now, Optional.of(now.plusSeconds(60))))
        .as("a shorter delay stays")
        .isEqualTo(Duration.ofSeconds(4));
    assertThat(Backoff.beforeExpiry(Backoff.PERMANENT, now, Optional.of(now.plusSeconds(3))))
        .as("never sooner than 2 s")
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(Backoff.beforeExpiry(Backoff.PERMANENT, now, Optional.of(now.minusSeconds(1))))
        .as("an expired key: the table applies")
        .isEqualTo(Backoff.PERMANENT);
    assertThat(Backoff.beforeExpiry(Backoff.PERMANENT, now, Optional.empty()))
        .isEqualTo(Backoff.PERMANENT);
  }
}
