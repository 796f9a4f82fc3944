package io.grafanatokens.provider.yandex;

import io.grafanatokens.provider.ProviderException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * The operator's IAM token from an authorized key in a Secret: a PS256 JWT exchanged at POST
 * /iam/v1/tokens.
 */
final class AuthorizedKeyCredential implements OperatorCredential {
  static final String TOKENS_PATH = "/iam/v1/tokens";

  private final AuthorizedKey key;
  private final String where;
  private final String iamEndpoint;
  private final YandexHttp http;
  private final Clock clock;

  /**
   * @param where the Secret and data key the key came from, for messages
   * @param iamEndpoint spec.yandexCloud.endpoint or YC_IAM_ENDPOINT: the key is the tenant's own,
   *     so its JWT may go to the endpoint the tenant chose
   */
  AuthorizedKeyCredential(
      AuthorizedKey key, String where, String iamEndpoint, YandexHttp http, Clock clock) {
    this.key = key;
    this.where = where;
    this.iamEndpoint = iamEndpoint;
    this.http = http;
    this.clock = clock;
  }

  @Override
  public String cacheKey() {
    return "authorizedKey|" + iamEndpoint + "|" + key.id() + "|" + key.fingerprint();
  }

  @Override
  public String identity() {
    return "service account "
        + key.serviceAccountId()
        + " (authorized key "
        + key.id()
        + " in "
        + where
        + ")";
  }

  @Override
  public OperatorToken obtain() throws ProviderException {
    String what =
        "exchange the JWT of authorized key " + key.id() + " at " + iamEndpoint + TOKENS_PATH;
    Instant sentAt = clock.instant();
    String jwt = AuthorizedKeyJwt.sign(key, sentAt, where);
    YandexHttp.Response r;
    try {
      r = http.postJson(iamEndpoint + TOKENS_PATH, Map.of("jwt", jwt), null);
    } catch (IOException e) {
      throw YandexErrors.forIo(what, e, http.timeout());
    } catch (InterruptedException e) {
      throw YandexErrors.interrupted(what, e);
    }
    if (!r.ok()) {
      throw YandexErrors.forOperatorToken(
          "IAM (" + iamEndpoint + ")",
          r,
          "check the authorized key "
              + key.id()
              + " in "
              + where
              + " (deleted, or not of service account "
              + key.serviceAccountId()
              + "?)");
    }
    TokenAnswers.Answer answer = TokenAnswers.iamToken(r, sentAt, what);
    return new OperatorToken(answer.token(), sentAt, answer.expiresAt());
  }
}
