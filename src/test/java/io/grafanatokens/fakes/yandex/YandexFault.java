package io.grafanatokens.fakes.yandex;

import java.time.Duration;

/**
 * A failure the fake answers with instead of serving a request; nothing is done.
 *
 * @param hold for TIMEOUT: how long to sit on the request before hanging up; null = the server's
 *     default ({@link FakeYandexIam#timeoutHold(Duration)})
 * @param retryAfterSeconds for RATE_LIMIT_429: the Retry-After header value (0 = none)
 */
public record YandexFault(Kind kind, Duration hold, long retryAfterSeconds) {
  /** 500, google.rpc code 13 INTERNAL. */
  public static final YandexFault HTTP_500 = new YandexFault(Kind.HTTP_500, null, 0);

  /** 503, code 14 UNAVAILABLE. */
  public static final YandexFault HTTP_503 = new YandexFault(Kind.HTTP_503, null, 0);

  /** 504, code 4 DEADLINE_EXCEEDED. */
  public static final YandexFault HTTP_504 = new YandexFault(Kind.HTTP_504, null, 0);

  /** 429, code 8 RESOURCE_EXHAUSTED, no Retry-After. */
  public static final YandexFault RATE_LIMIT_429 = new YandexFault(Kind.RATE_LIMIT_429, null, 0);

  /** 401, code 16 UNAUTHENTICATED, as if the caller's token had just stopped working. */
  public static final YandexFault UNAUTHENTICATED_401 =
      new YandexFault(Kind.UNAUTHENTICATED_401, null, 0);

  /** Holds the request past the client's timeout, then closes the connection unanswered. */
  public static final YandexFault TIMEOUT = new YandexFault(Kind.TIMEOUT, null, 0);

  /** The kinds of fault. */
  public enum Kind {
    HTTP_500,
    HTTP_503,
    HTTP_504,
    RATE_LIMIT_429,
    UNAUTHENTICATED_401,
    TIMEOUT
  }

  /** 429 with Retry-After: seconds. */
  public static YandexFault rateLimit429(long retryAfterSeconds) {
    return new YandexFault(Kind.RATE_LIMIT_429, null, retryAfterSeconds);
  }

  /** TIMEOUT holding the request this long. */
  public static YandexFault timeout(Duration hold) {
    return new YandexFault(Kind.TIMEOUT, hold, 0);
  }
}
