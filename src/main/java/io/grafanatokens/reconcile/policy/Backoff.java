package io.grafanatokens.reconcile.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** docs/reference.md#failures-and-retries: how long to wait before the next attempt. Pure. */
public final class Backoff {
  static final Duration FIRST = Duration.ofSeconds(2);
  static final Duration CAP = Duration.ofMinutes(5);

  /** 403, 404, 402, validation, lifetime limits: fixed outside Kubernetes. */
  public static final Duration PERMANENT = Duration.ofMinutes(10);

  /** A missing credentials Secret or key, and a blocked 401 re-check. */
  public static final Duration CREDENTIALS = Duration.ofMinutes(1);

  private Backoff() {}

  /** A same-token answer (Yandex): from 1 min, doubling, capped at 5 min. */
  public static Duration sameTokenDelay(int attempt) {
    int shift = Math.min(Math.max(attempt - 1, 0), 3);
    Duration d = Duration.ofMinutes(1L << shift);
    return d.compareTo(CAP) > 0 ? CAP : d;
  }

  /**
   * No backoff may carry the next attempt past the expiry of the key consumers hold: while it is
   * valid, the next attempt comes no later than halfway to its expiry (never sooner than 2 s), so a
   * rotation gets several tries before its key dies.
   *
   * @param keyExpires when the key in the Secret expires; empty when it holds none
   */
  public static Duration beforeExpiry(Duration delay, Instant now, Optional<Instant> keyExpires) {
    if (keyExpires.isEmpty() || !keyExpires.get().isAfter(now)) {
      return delay;
    }
    Duration half = Duration.between(now, keyExpires.get()).dividedBy(2);
    if (half.compareTo(FIRST) < 0) {
      half = FIRST;
    }
    return delay.compareTo(half) > 0 ? half : delay;
  }

  /**
   * Transient failures: from 2 s, doubling, capped at min(5 min, renewBefore/4), never below the
   * provider's Retry-After.
   *
   * @param attempt 1 for the first failure
   */
  public static Duration transientDelay(
      int attempt, Optional<Duration> renewBefore, Optional<Duration> retryAfter) {
    Duration cap = CAP;
    if (renewBefore.isPresent() && renewBefore.get().dividedBy(4).compareTo(cap) < 0) {
      cap = renewBefore.get().dividedBy(4);
    }
    if (cap.compareTo(FIRST) < 0) {
      cap = FIRST;
    }
    int shift = Math.min(Math.max(attempt - 1, 0), 20);
    Duration d = FIRST.multipliedBy(1L << shift);
    if (d.compareTo(cap) > 0) {
      d = cap;
    }
    if (retryAfter.isPresent() && retryAfter.get().compareTo(d) > 0) {
      d = retryAfter.get();
    }
    return d;
  }
}
