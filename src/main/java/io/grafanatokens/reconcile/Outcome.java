package io.grafanatokens.reconcile;

import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What one pass decided: the status to write (when changed) and when to look again; mapped to
 * JOSDK's UpdateControl in exactly one place.
 *
 * @param lookAt empty: only an event brings the resource back (InvalidSpec, NotPermitted)
 * @param soon the Secret changed under the pass: look again as soon as the cache caught up
 */
record Outcome(
    GrafanaServiceAccountTokenStatus status,
    boolean statusChanged,
    Optional<Instant> lookAt,
    boolean soon) {
  /** A pass that found something due it could not do yet looks again no sooner than this. */
  static final Duration AT_LEAST = Duration.ofSeconds(1);

  static final Duration SOON = Duration.ofMillis(200);

  /**
   * The delay to hand to JOSDK, counted from now — after the pass and its status write — and not
   * from when the pass started: the countdown starts only when the pass returns, so a delay from
   * its start would make every renewal late by the pass's own length.
   */
  Optional<Duration> delay(Clock clock) {
    if (soon) {
      return Optional.of(SOON);
    }
    return lookAt.map(
        at -> {
          Duration d = Duration.between(clock.instant(), at);
          return d.isNegative() || d.isZero() ? AT_LEAST : d;
        });
  }
}
