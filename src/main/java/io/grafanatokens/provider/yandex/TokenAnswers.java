package io.grafanatokens.provider.yandex;

import com.fasterxml.jackson.databind.JsonNode;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.provider.TransientProviderException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Reads the successful answers that carry a token — IAM's {"iamToken", "expiresAt"} and the OAuth
 * shape {"access_token", "expires_in"} of the token exchange and the metadata service — and puts
 * their expiry on the operator's clock. Parser messages are never passed on: they may quote the
 * token.
 */
final class TokenAnswers {
  /** A token and its expiry on the operator's clock. */
  record Answer(String token, Instant expiresAt) {
    @Override
    public String toString() {
      return "Answer[expiresAt=" + expiresAt + ", token=***]";
    }
  }

  private TokenAnswers() {}

  /**
   * IAM's answer. The lifetime L = expiresAt - the answer's Date header, both on IAM's clock
   * (docs/reference.md#rotation-timing), so a skewed clock on either side does not move the expiry;
   * the expiry is sentAt + L, in whole seconds. Without a Date header, expiresAt is taken as it is.
   */
  static Answer iamToken(YandexHttp.Response r, Instant sentAt, String what)
      throws TransientProviderException {
    JsonNode root = json(r, what);
    String token = root.path("iamToken").asText("");
    String expires = root.path("expiresAt").asText("");
    if (token.isEmpty() || expires.isEmpty()) {
      throw unreadable(what);
    }
    Instant providerExpiry;
    try {
      providerExpiry = OffsetDateTime.parse(expires).toInstant();
    } catch (DateTimeParseException e) {
      throw unreadable(what);
    }
    Instant expiresAt =
        r.date()
            .map(
                date ->
                    sentAt.plus(
                        Duration.between(date, providerExpiry).truncatedTo(ChronoUnit.SECONDS)))
            .orElse(providerExpiry);
    if (!expiresAt.isAfter(sentAt)) {
      throw new TransientProviderException(
          Reasons.PROVIDER_ERROR,
          "IAM answered " + what + " with a token that expires before the answer's Date",
          null,
          null);
    }
    return new Answer(token, expiresAt);
  }

  /** The OAuth answer: expiry = sentAt + expires_in. */
  static Answer accessToken(YandexHttp.Response r, Instant sentAt, String what)
      throws TransientProviderException {
    JsonNode root = json(r, what);
    String token = root.path("access_token").asText("");
    long expiresIn = root.path("expires_in").asLong(0);
    if (token.isEmpty() || expiresIn <= 0) {
      throw unreadable(what);
    }
    return new Answer(token, sentAt.plusSeconds(expiresIn));
  }

  private static JsonNode json(YandexHttp.Response r, String what)
      throws TransientProviderException {
    try {
      JsonNode root = YandexHttp.JSON.readTree(r.body());
      if (root == null || !root.isObject()) {
        throw unreadable(what);
      }
      return root;
    } catch (IOException e) {
      throw unreadable(what);
    }
  }

  /** A 2xx we cannot read (a proxy page, another product): nothing to hand out. */
  private static TransientProviderException unreadable(String what) {
    return new TransientProviderException(
        Reasons.PROVIDER_ERROR,
        "the answer to " + what + " is not the expected JSON (check the endpoint)",
        null,
        null);
  }
}
