package io.grafanatokens.provider.grafana;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.provider.ErrorText;
import io.grafanatokens.provider.NameConflictException;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.TransientProviderException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Maps Grafana's answers (status plus one of the body shapes A to E of
 * docs/provider-apis.md#grafana-error-bodies) and I/O failures to the provider exceptions the
 * reconciler branches on.
 */
final class GrafanaErrors {
  static final String TOKEN_ALREADY_EXISTS = "serviceaccounts.ErrTokenAlreadyExists";
  static final String SA_ALREADY_EXISTS = "serviceaccounts.ErrAlreadyExists";
  static final String SA_NOT_FOUND = "serviceaccounts.ErrNotFound";
  static final String TOKEN_NOT_FOUND = "serviceaccounts.ErrTokenNotFound";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** The plain-text (shape E) answer when secondsToLive passes token_expiration_day_limit. */
  private static final String DAY_LIMIT_TEXT =
      "exceeds the limit for service account access tokens expiration date";

  /** The shape-A answers when api_key_max_seconds_to_live is set. */
  private static final String MAX_TTL_TEXT = "Number of seconds before expiration";

  private GrafanaErrors() {}

  /** The fields of an error body; all null when the body is not JSON (plain text, HTML). */
  static GrafanaDtos.ErrorBody parse(String body) {
    if (body == null || body.isBlank() || body.stripLeading().charAt(0) != '{') {
      return new GrafanaDtos.ErrorBody(null, null, null);
    }
    try {
      return JSON.readValue(body, GrafanaDtos.ErrorBody.class);
    } catch (IOException e) {
      return new GrafanaDtos.ErrorBody(null, null, null);
    }
  }

  /** True for a duplicate token name: 400 ErrTokenAlreadyExists, or 409 from Grafana <= 9.3. */
  static boolean isTokenNameConflict(int status, String body) {
    if (status == 409) {
      return true;
    }
    GrafanaDtos.ErrorBody error = parse(body);
    return status == 400 && TOKEN_ALREADY_EXISTS.equals(error.messageId());
  }

  /** True for Grafana's "service account already exists" (400 ErrAlreadyExists) on create. */
  static boolean isServiceAccountConflict(int status, String body) {
    GrafanaDtos.ErrorBody error = parse(body);
    return status == 400
        && (SA_ALREADY_EXISTS.equals(error.messageId())
            || (error.messageId() == null
                && error.message() != null
                && error.message().contains("already exists")));
  }

  /**
   * True when a 404 says the token (ErrTokenNotFound) or its service account (ErrNotFound) is gone.
   * Older Grafana answered a JSON message without a messageId, which also counts; Grafana's router
   * answer for an unknown route ({"message":"Not found"}) and non-JSON pages do not, because they
   * point at a wrong URL and counting them as done would leak tokens silently.
   */
  static boolean isGone(int status, String body) {
    if (status != 404) {
      return false;
    }
    GrafanaDtos.ErrorBody error = parse(body);
    if (error.messageId() != null) {
      return TOKEN_NOT_FOUND.equals(error.messageId()) || SA_NOT_FOUND.equals(error.messageId());
    }
    return error.message() != null && !error.message().equals("Not found");
  }

  /**
   * The exception for a non-2xx answer.
   *
   * @param what the call, for the message, e.g. "create token x on service account 2"
   * @param credentialsSecret named on 401 instead of Grafana's text, which may echo the input
   */
  static ProviderException forStatus(
      String what,
      int status,
      String body,
      Optional<String> retryAfter,
      String credentialsSecret,
      Instant now) {
    GrafanaDtos.ErrorBody error = parse(body);
    String text = text(error, body);
    String prefix = "Grafana answered " + status + " to " + what + ": ";
    if (isTokenNameConflict(status, body)) {
      return new NameConflictException(prefix + text);
    }
    if (status == 401) {
      String id =
          error.messageId() != null && SAFE_ID.matcher(error.messageId()).matches()
              ? " (" + error.messageId() + ")"
              : "";
      return new PermanentProviderException(
          Reasons.CREDENTIALS_REJECTED,
          "Grafana rejected the credentials in Secret " + credentialsSecret + id + " on " + what);
    }
    if (status == 403) {
      return new PermanentProviderException(Reasons.PERMISSION_DENIED, prefix + text);
    }
    if (status == 404) {
      String hint =
          (error.messageId() == null && "Not found".equals(error.message()))
                  || error.message() == null
              ? " (no such API route: check spec.grafana.url and its sub-path)"
              : "";
      return new PermanentProviderException(
          Reasons.SERVICE_ACCOUNT_NOT_FOUND, prefix + text + hint);
    }
    if (status == 429) {
      return new TransientProviderException(
          Reasons.RATE_LIMITED,
          prefix + text,
          retryAfter.flatMap(value -> parseRetryAfter(value, now)).orElse(null),
          null);
    }
    if (status >= 500) {
      return new TransientProviderException(Reasons.PROVIDER_ERROR, prefix + text, null, null);
    }
    if (status == 400 && (text.contains(DAY_LIMIT_TEXT) || text.startsWith(MAX_TTL_TEXT))) {
      // Grafana's token_expiration_day_limit or api_key_max_seconds_to_live: only a shorter
      // lifetime helps, so say so first (messages are cut to 256 characters).
      return new PermanentProviderException(
          Reasons.PROVIDER_REJECTED,
          "Grafana limits token lifetimes, lower spec.secondsToLive ("
              + status
              + " to "
              + what
              + "): "
              + text);
    }
    if (status >= 300 && status < 400) {
      return new PermanentProviderException(
          Reasons.PROVIDER_REJECTED,
          "Grafana answered "
              + status
              + " (a redirect) to "
              + what
              + ": set spec.grafana.url to the address Grafana serves its API on");
    }
    if (status >= 400) {
      return new PermanentProviderException(Reasons.PROVIDER_REJECTED, prefix + text);
    }
    return new TransientProviderException(Reasons.PROVIDER_ERROR, prefix + text, null, null);
  }

  /** Timeouts, refused and dropped connections, TLS failures: all transient. */
  static TransientProviderException forIo(String what, IOException e, Duration timeout) {
    String detail;
    if (e instanceof HttpConnectTimeoutException) {
      detail = "connecting timed out after " + timeout.toMillis() + " ms";
    } else if (e instanceof HttpTimeoutException) {
      detail =
          "no answer within " + timeout.toMillis() + " ms (the call may still have taken effect)";
    } else if (e instanceof ConnectException) {
      detail = "cannot connect" + (e.getMessage() == null ? "" : ": " + e.getMessage());
    } else if (e instanceof SSLException) {
      detail = "TLS failed (check spec.grafana.tls): " + e.getMessage();
    } else {
      detail =
          "connection failed (the call may still have taken effect): "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
    return new TransientProviderException(
        Reasons.PROVIDER_ERROR, "Grafana " + what + ": " + detail, null, e);
  }

  /** Retry-After as delta-seconds or an HTTP-date. */
  static Optional<Duration> parseRetryAfter(String value, Instant now) {
    String v = value.strip();
    try {
      long seconds = Long.parseLong(v);
      return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(now, at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }

  private static String text(GrafanaDtos.ErrorBody error, String body) {
    return ErrorText.of(
        error.message(), body, "(an HTML page, not Grafana's API: check spec.grafana.url)");
  }
}
