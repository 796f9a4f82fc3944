package io.grafanatokens.provider;

import java.time.Duration;
import java.util.Optional;

/**
 * A provider call that failed, classified for the reconciler: the reason is one of api.md's
 * condition reasons and the message never carries key material.
 */
public abstract class ProviderException extends Exception {
  private final String reason;

  protected ProviderException(String reason, String message, Throwable cause) {
    super(Redaction.cut(message), cause);
    this.reason = reason;
  }

  /** api.md's condition reason, e.g. CredentialsRejected or ProviderError. */
  public String reason() {
    return reason;
  }

  /** A lower bound for the next attempt (Retry-After), when the provider gave one. */
  public Optional<Duration> retryAfter() {
    return Optional.empty();
  }
}
