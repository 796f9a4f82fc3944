package io.grafanatokens.provider.amg;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * How the SDK may retry by itself. Creates never (docs/reference.md#issuing-crash-safe: the
 * operator retries with a new name); lists and deletes only for quick blips. Throttling and answers
 * that advise a wait go straight back to the reconciler, whose backoff honours Retry-After without
 * parking a reconcile thread in the SDK's sleep.
 */
final class AmgRetryPolicy {
  /** One retry after a short pause: enough for a dropped connection or a one-off 5xx. */
  static final int CALL_ATTEMPTS = 2;

  static final Duration CALL_BACKOFF_BASE = Duration.ofMillis(200);
  static final Duration CALL_BACKOFF_MAX = Duration.ofSeconds(1);

  private AmgRetryPolicy() {}

  /** CreateWorkspaceServiceAccountToken: one attempt, whatever happens. */
  static RetryStrategy forCreates() {
    return AwsRetryStrategy.doNotRetry();
  }

  /** List and delete in production. */
  static RetryStrategy forCalls() {
    return forCalls(BackoffStrategy.exponentialDelay(CALL_BACKOFF_BASE, CALL_BACKOFF_MAX));
  }

  /**
   * List and delete with another pause between attempts (tests use {@link
   * BackoffStrategy#retryImmediately()}).
   */
  static RetryStrategy forCalls(BackoffStrategy backoff) {
    return DefaultRetryStrategy.standardStrategyBuilder()
        .maxAttempts(CALL_ATTEMPTS)
        // without this the client adds the SDK's own conditions back, throttling included
        .useClientDefaults(false)
        .retryOnException(AmgRetryPolicy::isQuickBlip)
        .backoffStrategy(backoff)
        .throttlingBackoffStrategy(backoff)
        .circuitBreakerEnabled(false)
        .build();
  }

  /** A connection that failed or dropped (not a timeout), or a 5xx that names no wait. */
  static boolean isQuickBlip(Throwable t) {
    if (t instanceof AwsServiceException) {
      AwsServiceException e = (AwsServiceException) t;
      boolean advisesWait =
          e.awsErrorDetails() != null
              && e.awsErrorDetails().sdkHttpResponse() != null
              && e.awsErrorDetails()
                  .sdkHttpResponse()
                  .firstMatchingHeader("Retry-After")
                  .isPresent();
      return e.statusCode() >= 500 && !e.isThrottlingException() && !advisesWait;
    }
    if (t instanceof SdkClientException) {
      for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
        if (c instanceof InterruptedIOException) {
          // a timeout: another attempt would hold the thread for another full timeout
          return false;
        }
        if (c instanceof IOException) {
          return true;
        }
      }
    }
    return false;
  }
}
