package io.grafanatokens.provider;

import io.grafanatokens.api.v1alpha1.Reasons;
import java.time.Duration;
import java.util.Optional;

/** 5xx, timeouts, connection errors, throttling: retried with backoff, without a limit. */
public class TransientProviderException extends ProviderException {
  private final Duration retryAfter;

  public TransientProviderException(
      String reason, String message, Duration retryAfter, Throwable cause) {
    super(reason, message, cause);
    this.retryAfter = retryAfter;
  }

  public TransientProviderException(String message, Throwable cause) {
    this(Reasons.PROVIDER_ERROR, message, null, cause);
  }

  @Override
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
