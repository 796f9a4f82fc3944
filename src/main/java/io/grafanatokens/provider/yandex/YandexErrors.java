package io.grafanatokens.provider.yandex;

import com.fasterxml.jackson.databind.JsonNode;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.provider.ErrorText;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.TransientProviderException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps Yandex answers (HTTP status first, then the google.rpc.Status code of the body, as
 * docs/provider-apis.md#yandex-errors advises) and I/O failures to the provider exceptions the
 * reconciler branches on. Messages put what to fix first: they are cut to 256 characters.
 */
final class YandexErrors {
  private static final Logger LOG = LoggerFactory.getLogger(YandexErrors.class);
  static final String TOKEN_CREATOR_ROLE = "iam.serviceAccounts.tokenCreator";

  /** What an error answer means for the operator. */
  enum ErrorClass {
    UNAUTHENTICATED,
    PERMISSION_DENIED,
    NOT_FOUND,
    INVALID_ARGUMENT,
    RATE_LIMITED,
    RETRYABLE,
    REDIRECT,
    OTHER
  }

  /**
   * The fields of a google.rpc.Status body (or of an OAuth error body); all empty when the body is
   * neither.
   */
  record ErrorBody(Integer code, String message, List<String> requestIds) {
    /** The gRPC code's name, e.g. PERMISSION_DENIED, or "" when the body had no code. */
    String codeName() {
      if (code == null) {
        return "";
      }
      return switch (code) {
        case 1 -> "CANCELLED";
        case 2 -> "UNKNOWN";
        case 3 -> "INVALID_ARGUMENT";
        case 4 -> "DEADLINE_EXCEEDED";
        case 5 -> "NOT_FOUND";
        case 6 -> "ALREADY_EXISTS";
        case 7 -> "PERMISSION_DENIED";
        case 8 -> "RESOURCE_EXHAUSTED";
        case 9 -> "FAILED_PRECONDITION";
        case 10 -> "ABORTED";
        case 11 -> "OUT_OF_RANGE";
        case 12 -> "NOT_IMPLEMENTED";
        case 13 -> "INTERNAL";
        case 14 -> "UNAVAILABLE";
        case 15 -> "DATA_LOSS";
        case 16 -> "UNAUTHENTICATED";
        default -> "code " + code;
      };
    }
  }

  private YandexErrors() {}

  static ErrorBody parse(String body) {
    if (body == null || body.isBlank() || body.stripLeading().charAt(0) != '{') {
      return new ErrorBody(null, null, List.of());
    }
    JsonNode root;
    try {
      root = YandexHttp.JSON.readTree(body);
    } catch (IOException e) {
      return new ErrorBody(null, null, List.of());
    }
    Integer code = root.path("code").isInt() ? root.path("code").asInt() : null;
    String message = root.path("message").isTextual() ? root.path("message").asText() : null;
    if (message == null && root.path("error").isTextual()) {
      // RFC 6749 error of the token exchange: {"error": "invalid_grant", "error_description":
      // "..."}
      message =
          root.path("error").asText()
              + (root.path("error_description").isTextual()
                  ? ": " + root.path("error_description").asText()
                  : "");
    }
    List<String> requestIds = new ArrayList<>();
    for (JsonNode detail : root.path("details")) {
      if (detail.path("requestId").isTextual()) {
        requestIds.add(detail.path("requestId").asText());
      }
    }
    return new ErrorBody(code, message, List.copyOf(requestIds));
  }

  static ErrorClass classify(int httpStatus, Integer code) {
    switch (httpStatus) {
      case 400:
        return ErrorClass.INVALID_ARGUMENT;
      case 401:
        return ErrorClass.UNAUTHENTICATED;
      case 403:
        return ErrorClass.PERMISSION_DENIED;
      case 404:
        return ErrorClass.NOT_FOUND;
      case 429:
        return ErrorClass.RATE_LIMITED;
      case 500:
      case 502:
      case 503:
      case 504:
        return ErrorClass.RETRYABLE;
      default:
        break;
    }
    if (httpStatus >= 300 && httpStatus < 400) {
      return ErrorClass.REDIRECT;
    }
    if (code != null) {
      switch (code) {
        case 16:
          return ErrorClass.UNAUTHENTICATED;
        case 7:
          return ErrorClass.PERMISSION_DENIED;
        case 5:
          return ErrorClass.NOT_FOUND;
        case 8:
          return ErrorClass.RATE_LIMITED;
        case 3:
        case 9:
        case 11:
          return ErrorClass.INVALID_ARGUMENT;
        case 2:
        case 4:
        case 10:
        case 13:
        case 14:
        case 15:
          return ErrorClass.RETRYABLE;
        default:
          break;
      }
    }
    return httpStatus >= 500 && httpStatus != 501 ? ErrorClass.RETRYABLE : ErrorClass.OTHER;
  }

  /**
   * The exception for a non-2xx answer of createForServiceAccount or revoke, after the one retry
   * with a renewed operator token.
   *
   * @param what the call, for messages, e.g. "mint an IAM token for service account X"
   * @param targetAccount the service account the resource mints tokens for
   * @param identity who the operator acts as, e.g. "service account Y (authorized key K in Secret
   *     S)"
   */
  static ProviderException forIamCall(
      String what, YandexHttp.Response r, String targetAccount, String identity) {
    ErrorBody error = parse(r.body());
    logRequestIds(what, error);
    String answer = answer(r, error);
    return switch (classify(r.status(), error.code())) {
      case PERMISSION_DENIED ->
          new PermanentProviderException(
              Reasons.PERMISSION_DENIED,
              "grant the role "
                  + TOKEN_CREATOR_ROLE
                  + " on service account "
                  + targetAccount
                  + " to "
                  + identity
                  + ": IAM refused to "
                  + what
                  + " ("
                  + answer
                  + ")");
      case NOT_FOUND ->
          new PermanentProviderException(
              Reasons.SERVICE_ACCOUNT_NOT_FOUND,
              "IAM has no service account "
                  + targetAccount
                  + ": check spec.yandexCloud.serviceAccountId, and that "
                  + identity
                  + " has "
                  + TOKEN_CREATOR_ROLE
                  + " on it ("
                  + answer
                  + ")");
      case UNAUTHENTICATED ->
          new PermanentProviderException(
              Reasons.CREDENTIALS_REJECTED,
              "IAM rejected the operator's IAM token even after renewing it ("
                  + answer
                  + "), acting as "
                  + identity);
      case RATE_LIMITED ->
          new TransientProviderException(
              Reasons.RATE_LIMITED,
              "IAM is rate limiting: could not " + what + " (" + answer + ")",
              retryAfter(r).orElse(null),
              null);
      case RETRYABLE ->
          new TransientProviderException(
              Reasons.PROVIDER_ERROR, "IAM failed to " + what + " (" + answer + ")", null, null);
      case REDIRECT ->
          new PermanentProviderException(
              Reasons.PROVIDER_REJECTED,
              "IAM answered a redirect ("
                  + r.status()
                  + ") to "
                  + what
                  + ": set the IAM endpoint to the address the API is served on");
      case INVALID_ARGUMENT, OTHER ->
          new PermanentProviderException(
              Reasons.PROVIDER_REJECTED,
              "IAM rejected the request to " + what + " (" + answer + ")");
    };
  }

  /**
   * The exception for a failed attempt to get the operator's own IAM token: a refusal means the
   * credential itself is wrong (CredentialsRejected); overload and outages are transient.
   *
   * @param source where the token was asked for, e.g. "IAM's token endpoint"
   * @param fix what the user should check, first in the message
   */
  static ProviderException forOperatorToken(String source, YandexHttp.Response r, String fix) {
    ErrorBody error = parse(r.body());
    logRequestIds(source, error);
    String answer = answer(r, error);
    return switch (classify(r.status(), error.code())) {
      case RATE_LIMITED ->
          new TransientProviderException(
              Reasons.RATE_LIMITED,
              source + " is rate limiting the operator's own IAM token (" + answer + ")",
              retryAfter(r).orElse(null),
              null);
      case RETRYABLE ->
          new TransientProviderException(
              Reasons.PROVIDER_ERROR,
              source + " failed to issue the operator's own IAM token (" + answer + ")",
              null,
              null);
      default ->
          new PermanentProviderException(
              Reasons.CREDENTIALS_REJECTED,
              fix + ": " + source + " refused the operator's credential (" + answer + ")");
    };
  }

  /** Timeouts, refused and dropped connections, TLS failures: all transient. */
  static TransientProviderException forIo(String what, IOException e, Duration timeout) {
    return new TransientProviderException(
        Reasons.PROVIDER_ERROR, what + ": " + ioDetail(e, timeout), null, e);
  }

  static TransientProviderException interrupted(String what, InterruptedException e) {
    Thread.currentThread().interrupt();
    return new TransientProviderException(Reasons.PROVIDER_ERROR, "interrupted: " + what, null, e);
  }

  /** A short description of an I/O failure, free of anything the server sent. */
  static String ioDetail(IOException e, Duration timeout) {
    if (e instanceof HttpConnectTimeoutException) {
      return "connecting timed out after " + timeout.toMillis() + " ms";
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer within "
          + timeout.toMillis()
          + " ms (the call may still have taken effect)";
    }
    if (e instanceof ConnectException) {
      return "cannot connect" + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    if (e instanceof SSLException) {
      return "TLS failed: " + e.getMessage();
    }
    return "connection failed (the call may still have taken effect): "
        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
  }

  /** "403 PERMISSION_DENIED: Permission denied", or a note for answers that are not Yandex's. */
  static String answer(YandexHttp.Response r, ErrorBody error) {
    String code = error.codeName().isEmpty() ? "" : " " + error.codeName();
    return r.status() + code + ": " + text(error, r.body());
  }

  private static String text(ErrorBody error, String body) {
    return ErrorText.of(
        error.message(), body, "(an HTML page, not a Yandex API: check the endpoint)");
  }

  private static Optional<Duration> retryAfter(YandexHttp.Response r) {
    return r.retryAfter()
        .flatMap(
            v -> {
              try {
                long seconds = Long.parseLong(v.strip());
                return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
              } catch (NumberFormatException e) {
                return Optional.empty();
              }
            });
  }

  private static void logRequestIds(String what, ErrorBody error) {
    if (!error.requestIds().isEmpty()) {
      LOG.debug("{}: Yandex request id(s) {}", what, error.requestIds());
    }
  }
}
