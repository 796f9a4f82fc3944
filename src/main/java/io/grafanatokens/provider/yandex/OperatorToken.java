package io.grafanatokens.provider.yandex;

import java.time.Duration;
import java.time.Instant;

/**
 * The operator's own IAM token (the caller of createForServiceAccount and revoke), with its expiry
 * on the operator's clock. {@link #toString()} never shows the value.
 */
record OperatorToken(String value, Instant obtainedAt, Instant expiresAt) {
  /**
   * Refreshed this long before its expiry, so that no call goes out with a token about to lapse.
   */
  static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);

  /** Usable at now: not within the refresh margin (at most half its lifetime) of its expiry. */
  boolean freshAt(Instant now) {
    Duration lifetime = Duration.between(obtainedAt, expiresAt);
    Duration margin =
        lifetime.dividedBy(2).compareTo(REFRESH_MARGIN) < 0
            ? lifetime.dividedBy(2)
            : REFRESH_MARGIN;
    return now.isBefore(expiresAt.minus(margin));
  }

  String bearer() {
    return "Bearer " + value;
  }

  @Override
  public String toString() {
    return "OperatorToken[obtainedAt=" + obtainedAt + ", expiresAt=" + expiresAt + ", value=***]";
  }
}
