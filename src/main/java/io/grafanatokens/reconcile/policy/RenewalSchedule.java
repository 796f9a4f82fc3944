package io.grafanatokens.reconcile.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;

/**
 * docs/reference.md#rotation-timing: when to renew and how long the previous key lives, from the
 * lifetime the provider granted. Pure.
 *
 * @param lifetime L, expiry minus creation on the provider's clock
 * @param renewBefore the effective renewBefore
 * @param renewalTime when a time-triggered rotation is due (whole seconds)
 * @param gracePeriod the effective grace period; empty when previous tokens are left to expire
 * @param shortLifetime the Warning ShortLifetime applies, with its message
 */
public record RenewalSchedule(
    Duration lifetime,
    Duration renewBefore,
    Instant renewalTime,
    Optional<Duration> gracePeriod,
    Optional<String> shortLifetime) {

  private static final Duration MIN_GAP = Duration.ofSeconds(30);
  private static final Duration MAX_JITTER = Duration.ofMinutes(15);
  private static final Duration DEFAULT_GRACE = Duration.ofMinutes(10);

  /**
   * @param issuedAt when the current token was issued (our clock)
   * @param lifetime the lifetime the provider granted
   * @param renewBefore spec.rotation.renewBefore, if set
   * @param gracePeriod spec.rotation.gracePeriod, if set
   * @param graceByDefault false for yandexCloud, whose previous tokens are left to expire by
   *     default
   */
  public static RenewalSchedule compute(
      Instant issuedAt,
      Duration lifetime,
      Optional<Duration> renewBefore,
      Optional<Duration> gracePeriod,
      boolean graceByDefault,
      String uid) {
    Duration third = lifetime.dividedBy(3);
    Duration tenth = lifetime.dividedBy(10);
    Duration minGap = max(MIN_GAP, tenth);
    StringBuilder warning = new StringBuilder();
    Duration effective = renewBefore.orElse(third);
    if (effective.compareTo(lifetime.minus(minGap)) >= 0) {
      warning
          .append("renewBefore ")
          .append(Durations.format(effective))
          .append(" is not shorter than the lifetime ")
          .append(Durations.format(lifetime))
          .append(" minus ")
          .append(Durations.format(minGap))
          .append(": using one third of the lifetime. ");
      effective = third;
    }
    Duration jitter = jitter(uid, min(tenth, MAX_JITTER));
    Instant expiresAt = issuedAt.plus(lifetime);
    Instant renewal = expiresAt.minus(effective).minus(jitter).truncatedTo(ChronoUnit.SECONDS);
    // the floor rounded up to a whole second, so that truncation never brings renewal before it
    Instant earliest = issuedAt.plus(minGap);
    Instant earliestWhole = earliest.truncatedTo(ChronoUnit.SECONDS);
    if (earliestWhole.isBefore(earliest)) {
      earliestWhole = earliestWhole.plusSeconds(1);
    }
    if (renewal.isBefore(earliestWhole)) {
      renewal = earliestWhole;
    }

    Optional<Duration> grace =
        gracePeriod.isPresent()
            ? gracePeriod
            : graceByDefault
                ? Optional.of(min(DEFAULT_GRACE, effective.dividedBy(2)))
                : Optional.empty();
    if (grace.isPresent() && lifetime.compareTo(grace.get().multipliedBy(2)) < 0) {
      warning
          .append("the lifetime ")
          .append(Durations.format(lifetime))
          .append(" is shorter than twice the grace period ")
          .append(Durations.format(grace.get()))
          .append(".");
    }
    String w = warning.toString().trim();
    return new RenewalSchedule(
        lifetime, effective, renewal, grace, w.isEmpty() ? Optional.empty() : Optional.of(w));
  }

  /** (first 8 hex digits of SHA-256(uid)) mod bound, in seconds: stable per resource. */
  static Duration jitter(String uid, Duration bound) {
    long boundSeconds = bound.getSeconds();
    if (boundSeconds <= 0) {
      return Duration.ZERO;
    }
    long n = Long.parseLong(sha256Hex(uid).substring(0, 8), 16);
    return Duration.ofSeconds(n % boundSeconds);
  }

  static String sha256Hex(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** When the previous token is revoked: after the grace period, never past its own expiry. */
  public static Instant revokeAt(Instant graceStart, Duration grace, Instant previousExpiresAt) {
    Instant at = graceStart.plus(grace).truncatedTo(ChronoUnit.SECONDS);
    return previousExpiresAt != null && previousExpiresAt.isBefore(at) ? previousExpiresAt : at;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
