package io.grafanatokens.fakes.grafana;

import java.time.Duration;

/**
 * A failure the fake injects instead of (or after) serving a request.
 *
 * @param hold for TIMEOUT: how long to sit on the request before dropping it; null = the server's
 *     default ({@link FakeGrafana#timeoutHold(Duration)})
 * @param retryAfterSeconds for RATE_LIMIT_429: the Retry-After header value
 */
public record Fault(Kind kind, Duration hold, long retryAfterSeconds) {
  /** 500 {"message":"Internal server error","traceID":""}; nothing is done. */
  public static final Fault HTTP_500 = new Fault(Kind.HTTP_500, null, 0);

  /** 503 from a proxy in front of Grafana (plain text); nothing is done. */
  public static final Fault HTTP_503 = new Fault(Kind.HTTP_503, null, 0);

  /** Holds the request past the client's timeout, then closes the connection; nothing is done. */
  public static final Fault TIMEOUT = new Fault(Kind.TIMEOUT, null, 0);

  /**
   * Serves the request (the token is created, deleted, ...) then closes the connection unanswered.
   * Note: java.net.http silently resends an idempotent request (GET) once when a pooled connection
   * closes before any answer byte, so inject this twice to make a GET fail; a POST (create) fails
   * at once.
   */
  public static final Fault DROP_AFTER_CREATE = new Fault(Kind.DROP_AFTER_CREATE, null, 0);

  /** 401 api-key.invalid as if the caller's credential stopped working; nothing is done. */
  public static final Fault UNAUTHORIZED_401 = new Fault(Kind.UNAUTHORIZED_401, null, 0);

  /** The kinds of fault. */
  public enum Kind {
    HTTP_500,
    HTTP_503,
    TIMEOUT,
    DROP_AFTER_CREATE,
    UNAUTHORIZED_401,
    RATE_LIMIT_429
  }

  /** 429 with Retry-After: seconds; nothing is done. */
  public static Fault rateLimit429(long retryAfterSeconds) {
    return new Fault(Kind.RATE_LIMIT_429, null, retryAfterSeconds);
  }

  /** TIMEOUT holding the request for this long. */
  public static Fault timeout(Duration hold) {
    return new Fault(Kind.TIMEOUT, hold, 0);
  }
}
