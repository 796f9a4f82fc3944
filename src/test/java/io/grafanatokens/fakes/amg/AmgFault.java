package io.grafanatokens.fakes.amg;

import java.time.Duration;

/**
 * A failure the fake answers instead of serving a request (or, for {@link Kind#DROP_AFTER_CREATE},
 * after serving it).
 *
 * @param retryAfterSeconds the Retry-After header of THROTTLING and INTERNAL_SERVER; 0 = none
 * @param status for ERROR: the HTTP status
 * @param errorType for ERROR: the x-amzn-ErrorType; for VALIDATION: the field name
 * @param hold for HOLD: how long the request is held before the connection is closed unanswered
 */
public record AmgFault(
    Kind kind,
    long retryAfterSeconds,
    int status,
    String errorType,
    String message,
    Duration hold) {
  /** 500 InternalServerException without Retry-After; nothing is done. */
  public static final AmgFault INTERNAL_SERVER =
      new AmgFault(Kind.INTERNAL_SERVER, 0, 500, null, null, null);

  /** 402 ServiceQuotaExceededException; nothing is done. */
  public static final AmgFault QUOTA_EXCEEDED =
      new AmgFault(Kind.QUOTA_EXCEEDED, 0, 402, null, null, null);

  /**
   * 403 AccessDeniedException, as for a caller whose IAM policy lacks the action; nothing is done.
   */
  public static final AmgFault ACCESS_DENIED =
      new AmgFault(Kind.ACCESS_DENIED, 0, 403, null, null, null);

  /**
   * 403 UnrecognizedClientException, as for an unknown or deactivated access key; nothing is done.
   */
  public static final AmgFault UNRECOGNIZED_CLIENT =
      error(
          403,
          "UnrecognizedClientException",
          "The security token included in the request is invalid.");

  /** 403 ExpiredTokenException, as for expired session credentials; nothing is done. */
  public static final AmgFault EXPIRED_TOKEN =
      error(403, "ExpiredTokenException", "The security token included in the request is expired");

  /** Serves the request (the token is created), then closes the connection without an answer. */
  public static final AmgFault DROP_AFTER_CREATE =
      new AmgFault(Kind.DROP_AFTER_CREATE, 0, 0, null, null, null);

  /** The kinds of fault. */
  public enum Kind {
    THROTTLING,
    INTERNAL_SERVER,
    QUOTA_EXCEEDED,
    ACCESS_DENIED,
    DROP_AFTER_CREATE,
    ERROR,
    VALIDATION,
    HOLD
  }

  /** 429 ThrottlingException with Retry-After: seconds (0: no header); nothing is done. */
  public static AmgFault throttling(long retryAfterSeconds) {
    return new AmgFault(Kind.THROTTLING, retryAfterSeconds, 429, null, null, null);
  }

  /** 500 InternalServerException with Retry-After: seconds; nothing is done. */
  public static AmgFault internalServer(long retryAfterSeconds) {
    return new AmgFault(Kind.INTERNAL_SERVER, retryAfterSeconds, 500, null, null, null);
  }

  /** 400 ValidationException FIELD_VALIDATION_FAILED naming one field; nothing is done. */
  public static AmgFault validation(String field, String message) {
    return new AmgFault(Kind.VALIDATION, 0, 400, field, message, null);
  }

  /** Holds the request this long (past the client's timeout), then hangs up; nothing is done. */
  public static AmgFault hold(Duration hold) {
    return new AmgFault(Kind.HOLD, 0, 0, null, null, hold);
  }

  /** Any error: status, x-amzn-ErrorType and a body {"message"}; nothing is done. */
  public static AmgFault error(int status, String errorType, String message) {
    return new AmgFault(Kind.ERROR, 0, status, errorType, message, null);
  }
}
