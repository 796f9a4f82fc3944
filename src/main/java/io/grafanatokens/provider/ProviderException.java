package io.grafanatokens.provider;

import java.time.Duration;
import java.util.Optional;

/**
 * A provider call that failed, classified for the reconciler: the reason is one of the condition
 * reasons of docs/reference.md#conditions-and-reasons, and the message never carries key material.
 */
public abstract class ProviderException extends Exception {
  private final String reason;

  protected ProviderException(String reason, String message, Throwable cause) {
    super(Redaction.cut(message), cause);
    this.reason = reason;
  }

  /**
   * The condition reason (docs/reference.md#conditions-and-reasons), e.g. CredentialsRejected or
   * ProviderError.
   */
  public String reason() {
    return reason;
  }

  /** A lower bound for the next attempt (Retry-After), when the provider gave one. */
  public Optional<Duration> retryAfter() {
    return Optional.empty();
  }
}
