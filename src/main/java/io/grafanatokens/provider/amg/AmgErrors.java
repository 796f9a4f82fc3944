package io.grafanatokens.provider.amg;

import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.provider.NameConflictException;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.TransientProviderException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.grafana.model.AccessDeniedException;
import software.amazon.awssdk.services.grafana.model.ConflictException;
import software.amazon.awssdk.services.grafana.model.InternalServerException;
import software.amazon.awssdk.services.grafana.model.ResourceNotFoundException;
import software.amazon.awssdk.services.grafana.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.grafana.model.ThrottlingException;
import software.amazon.awssdk.services.grafana.model.ValidationException;

/**
 * Maps the SDK's exceptions (docs/provider-apis.md#amg-errors) to the provider exceptions the
 * reconciler branches on, with messages that say what to fix. SDK text of successful create answers
 * never reaches a message: that body carries the key.
 */
final class AmgErrors {
  /** Error codes AWS answers when it does not accept the signature or the credentials behind it. */
  private static final Set<String> CREDENTIAL_CODES =
      Set.of(
          "UnrecognizedClientException",
          "InvalidSignatureException",
          "SignatureDoesNotMatch",
          "IncompleteSignatureException",
          "MissingAuthenticationTokenException",
          "ExpiredTokenException",
          "ExpiredToken",
          "InvalidClientTokenId",
          "InvalidAccessKeyId",
          "AuthFailure");

  private AmgErrors() {}

  static ProviderException map(SdkException e, AmgCall call, Instant now) {
    if (e instanceof AwsServiceException) {
      return service((AwsServiceException) e, call, now);
    }
    if (e instanceof SdkClientException) {
      return client((SdkClientException) e, call);
    }
    return new TransientProviderException(
        Reasons.PROVIDER_ERROR,
        "AMG: could not " + call.what() + ": " + e.getClass().getSimpleName(),
        null,
        null);
  }

  private static ProviderException service(AwsServiceException e, AmgCall call, Instant now) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String text =
        e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
            ? "(no message)"
            : e.awsErrorDetails().errorMessage();
    int status = e.statusCode();
    String answer =
        "AMG answered " + status + " " + (code == null ? "" : code + " ") + "to " + call.what();
    if (e instanceof ThrottlingException || e.isThrottlingException()) {
      Integer seconds =
          e instanceof ThrottlingException ? ((ThrottlingException) e).retryAfterSeconds() : null;
      return new TransientProviderException(
          Reasons.RATE_LIMITED,
          "AMG throttled the call to " + call.what() + ": " + text,
          retryAfter(seconds, e, now).orElse(null),
          null);
    }
    if (e instanceof ConflictException && call.operation() == AmgCall.Operation.CREATE) {
      // token names are unique per workspace: the reconciler takes the next counter
      return new NameConflictException(
          "a token of that name already exists in workspace "
              + call.workspaceId()
              + " (409 ConflictException)");
    }
    if (e instanceof ServiceQuotaExceededException) {
      ServiceQuotaExceededException q = (ServiceQuotaExceededException) e;
      return new PermanentProviderException(
          Reasons.QUOTA_EXCEEDED,
          "service account "
              + call.serviceAccountId()
              + " of workspace "
              + call.workspaceId()
              + " has as many tokens as AMG allows "
              + "(expired ones count until deleted): delete tokens this operator does not manage, or ask AWS for a "
              + "higher quota"
              + (q.quotaCode() == null ? "" : " (quota " + q.quotaCode() + ")")
              + ": "
              + text);
    }
    if (e instanceof AccessDeniedException) {
      // AMG's text names the denied action; what to allow comes first (messages are cut to 256)
      return new PermanentProviderException(
          Reasons.PERMISSION_DENIED,
          "AMG denied "
              + call.who()
              + ": allow grafana:CreateWorkspaceServiceAccountToken, grafana:ListWorkspaceServiceAccountTokens and "
              + "grafana:DeleteWorkspaceServiceAccountToken on "
              + call.workspaceArn()
              + " ("
              + text
              + ")");
    }
    if (status == 401 || (code != null && CREDENTIAL_CODES.contains(code))) {
      return new PermanentProviderException(
          Reasons.CREDENTIALS_REJECTED,
          "AWS rejected "
              + call.whoExactly()
              + " ("
              + status
              + " "
              + code
              + ": "
              + text
              + "): "
              + (call.ambient()
                  ? "check the operator's IAM role and its IRSA or Pod Identity setup"
                  : "update the keys in the credentials Secret"));
    }
    if (e instanceof ResourceNotFoundException) {
      return notFound((ResourceNotFoundException) e, call, text);
    }
    if (e instanceof ValidationException) {
      ValidationException v = (ValidationException) e;
      String fields =
          v.fieldList() == null || v.fieldList().isEmpty()
              ? ""
              : " ["
                  + v.fieldList().stream()
                      .map(f -> f.name() + ": " + f.message())
                      .collect(Collectors.joining("; "))
                  + "]";
      return new PermanentProviderException(
          Reasons.PROVIDER_REJECTED,
          "AMG rejected the request to "
              + call.what()
              + " (ValidationException "
              + v.reasonAsString()
              + ")"
              + fields
              + ": "
              + text);
    }
    if (status >= 500 || e instanceof InternalServerException) {
      Integer seconds =
          e instanceof InternalServerException
              ? ((InternalServerException) e).retryAfterSeconds()
              : null;
      String effect =
          call.operation() == AmgCall.Operation.CREATE
              ? " (a token it created anyway is removed by the sweep)"
              : "";
      return new TransientProviderException(
          Reasons.PROVIDER_ERROR,
          answer + ": " + text + effect,
          retryAfter(seconds, e, now).orElse(null),
          null);
    }
    // an answer without an AWS error type did not come from AMG (a proxy, a wrong host)
    String notAmg =
        code == null
            ? " (no AWS error type: check spec.amazonManagedGrafana.endpoint or "
                + "AWS_ENDPOINT_URL_GRAFANA)"
            : "";
    return new PermanentProviderException(Reasons.PROVIDER_REJECTED, answer + notAmg + ": " + text);
  }

  private static ProviderException notFound(
      ResourceNotFoundException e, AmgCall call, String text) {
    String type =
        e.resourceType() == null ? "" : e.resourceType().toUpperCase(java.util.Locale.ROOT);
    String hint;
    if (type.contains("WORKSPACE")) {
      hint =
          "AMG has no workspace "
              + call.workspaceId()
              + " in "
              + call.region()
              + ": check spec.amazonManagedGrafana.workspaceId and region";
    } else if (type.contains("SERVICE_ACCOUNT") && !type.contains("TOKEN")) {
      hint =
          "workspace "
              + call.workspaceId()
              + " has no service account "
              + call.serviceAccountId()
              + ": check spec.amazonManagedGrafana.serviceAccountId (service accounts need a Grafana 9+ workspace)";
    } else {
      hint =
          "AMG found no "
              + (type.isEmpty() ? "resource" : e.resourceType())
              + " "
              + (e.resourceId() == null ? "" : e.resourceId() + " ")
              + "for "
              + call.what()
              + ": check spec.amazonManagedGrafana.workspaceId, region and serviceAccountId";
    }
    return new PermanentProviderException(
        Reasons.SERVICE_ACCOUNT_NOT_FOUND, hint + " (" + text + ")");
  }

  private static ProviderException client(SdkClientException e, AmgCall call) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    String maybe =
        call.operation() == AmgCall.Operation.LIST ? "" : " (the call may still have taken effect)";
    if (message.startsWith("Unable to load credentials")) {
      return AmbientCredentialFailure.classify(e);
    }
    if (message.contains("unmarshall")) {
      // the parser's text may quote the body, which for a create holds the key: leave it out
      return new TransientProviderException(
          Reasons.PROVIDER_ERROR,
          "AMG's answer to the call to "
              + call.what()
              + " is not the expected JSON (check the endpoint: spec.amazonManagedGrafana.endpoint or "
              + "AWS_ENDPOINT_URL_GRAFANA)"
              + maybe,
          null,
          null);
    }
    if (message.contains("cannot be empty")) {
      return new PermanentProviderException(
          Reasons.PROVIDER_REJECTED, "cannot " + call.what() + ": an id is empty");
    }
    if (e instanceof ApiCallTimeoutException
        || e instanceof ApiCallAttemptTimeoutException
        || hasCause(e, InterruptedIOException.class)) {
      return new TransientProviderException(
          Reasons.PROVIDER_ERROR,
          "AMG gave no answer in time to the call to " + call.what() + maybe,
          null,
          e);
    }
    if (hasCause(e, ConnectException.class) || hasCause(e, UnknownHostException.class)) {
      return new TransientProviderException(
          Reasons.PROVIDER_ERROR,
          "cannot connect to AMG to " + call.what() + ": " + strip(message),
          null,
          e);
    }
    return new TransientProviderException(
        Reasons.PROVIDER_ERROR,
        "AMG: the call to " + call.what() + " failed" + maybe + ": " + strip(message),
        null,
        e);
  }

  /**
   * retryAfterSeconds of the model, else the Retry-After header (delta-seconds or an HTTP-date).
   */
  static Optional<Duration> retryAfter(Integer modelled, AwsServiceException e, Instant now) {
    if (modelled != null && modelled >= 0) {
      return Optional.of(Duration.ofSeconds(modelled));
    }
    if (e.awsErrorDetails() == null || e.awsErrorDetails().sdkHttpResponse() == null) {
      return Optional.empty();
    }
    return e.awsErrorDetails()
        .sdkHttpResponse()
        .firstMatchingHeader("Retry-After")
        .flatMap(v -> parse(v, now));
  }

  private static Optional<Duration> parse(String value, Instant now) {
    String v = value.strip();
    try {
      long seconds = Long.parseLong(v);
      return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
    } catch (NumberFormatException notSeconds) {
      try {
        Duration wait =
            Duration.between(
                now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  /** The SDK's text without its attempt counter. */
  private static String strip(String message) {
    return message.replaceAll(" ?\\(SDK Attempt Count: [0-9]+\\)", "");
  }
}
