package io.grafanatokens.provider.yandex;

import io.grafanatokens.provider.IssuedToken;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.RevokeOutcome;
import io.grafanatokens.provider.TokenListing;
import io.grafanatokens.provider.TokenSession;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IAM token operations for one target service account, as one operator identity, at one IAM
 * endpoint.
 */
final class YandexSession implements TokenSession {
  static final String CREATE_PATH = "/iam/v1/tokens:createForServiceAccount";
  static final String REVOKE_PATH = "/iam/v1/tokens:revoke";

  private static final Logger LOG = LoggerFactory.getLogger(YandexSession.class);

  /** The reconciler's token names end in "-<counter>"; what comes before names the resource. */
  private static final Pattern COUNTER_SUFFIX = Pattern.compile("^(.*)-[0-9]+$");

  private final String serviceAccountId;
  private final String iamEndpoint;
  private final OperatorCredential credential;
  private final OperatorTokenCache operatorTokens;
  private final IssuedTokenValues issued;
  private final YandexHttp http;
  private final Clock clock;

  YandexSession(
      String serviceAccountId,
      String iamEndpoint,
      OperatorCredential credential,
      OperatorTokenCache operatorTokens,
      IssuedTokenValues issued,
      YandexHttp http,
      Clock clock) {
    this.serviceAccountId = serviceAccountId;
    this.iamEndpoint = iamEndpoint;
    this.credential = credential;
    this.operatorTokens = operatorTokens;
    this.issued = issued;
    this.http = http;
    this.clock = clock;
  }

  @Override
  public String serviceAccountId() {
    return serviceAccountId;
  }

  /** IAM has no token list (capabilities: canList=false); the reconciler never calls this. */
  @Override
  public TokenListing list() {
    throw new UnsupportedOperationException("Yandex Cloud IAM cannot list IAM tokens");
  }

  @Override
  public TokenListing list(String serviceAccountId) {
    return list();
  }

  /**
   * Mints an IAM token for the service account. IAM decides the lifetime (at most 12 h), so the
   * requested one is ignored; IAM tokens have no name, so the requested name is returned for the
   * reconciler's counter.
   */
  @Override
  public IssuedToken create(String name, Duration ignoredLifetime) throws ProviderException {
    String what = "mint an IAM token for service account " + serviceAccountId;
    Instant sentAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    issued.dropExpired(clock.instant());
    YandexHttp.Response r =
        callAsOperator(CREATE_PATH, Map.of("serviceAccountId", serviceAccountId), what);
    if (!r.ok()) {
      throw YandexErrors.forIamCall(what, r, serviceAccountId, credential.identity());
    }
    TokenAnswers.Answer answer = TokenAnswers.iamToken(r, sentAt, what);
    String handle = TokenHandle.of(answer.token());
    issued.remember(handle, answer.token(), origin(), answer.expiresAt(), holderOf(name));
    return new IssuedToken(
        handle, name, answer.token(), serviceAccountId, sentAt, answer.expiresAt(), true);
  }

  /**
   * Revokes a token this operator minted, by its handle. A handle whose value is not in memory
   * (minted before a restart, already expired, or not minted through this endpoint for this
   * account) is left to expire; so is a value IAM handed to more than one resource.
   */
  @Override
  public RevokeOutcome revoke(String ignoredServiceAccountId, String handle)
      throws ProviderException {
    issued.dropExpired(clock.instant());
    Optional<IssuedTokenValues.Remembered> known = issued.get(handle);
    if (known.isEmpty()) {
      LOG.info(
          "IAM token {} is not in this operator's memory (minted before a restart, or expired): it is left "
              + "to expire",
          handle);
      return RevokeOutcome.LEFT_TO_EXPIRE;
    }
    if (!known.get().origin().equals(origin())) {
      LOG.info(
          "IAM token {} was not minted at {} for service account {}: it is left to expire",
          handle,
          iamEndpoint,
          serviceAccountId);
      return RevokeOutcome.LEFT_TO_EXPIRE;
    }
    if (known.get().heldByMoreThanOneResource()) {
      LOG.info(
          "IAM handed token {} to more than one resource ({}): it is left to expire",
          handle,
          known.get().holders());
      return RevokeOutcome.LEFT_TO_EXPIRE;
    }
    String what = "revoke IAM token " + handle;
    YandexHttp.Response r =
        callAsOperator(REVOKE_PATH, Map.of("iamToken", known.get().value()), what);
    if (r.ok()) {
      issued.forget(handle);
      return RevokeOutcome.REVOKED;
    }
    YandexErrors.ErrorClass kind =
        YandexErrors.classify(r.status(), YandexErrors.parse(r.body()).code());
    if (kind == YandexErrors.ErrorClass.NOT_FOUND
        || kind == YandexErrors.ErrorClass.INVALID_ARGUMENT) {
      // IAM no longer takes the value as a token: nothing left to revoke
      issued.forget(handle);
      LOG.info(
          "IAM no longer knows token {} ({}): counted as revoked",
          handle,
          YandexErrors.answer(r, YandexErrors.parse(r.body())));
      return RevokeOutcome.ALREADY_GONE;
    }
    throw YandexErrors.forIamCall(what, r, serviceAccountId, credential.identity());
  }

  /**
   * One IAM call with the operator's token; on 401 the token is renewed once and the call repeated.
   */
  private YandexHttp.Response callAsOperator(String path, Object body, String what)
      throws ProviderException {
    OperatorToken token = operatorTokens.get(credential);
    YandexHttp.Response r = post(path, body, token, what);
    if (r.status() != 401) {
      return r;
    }
    LOG.debug(
        "IAM answered 401 to {}; renewing the operator's IAM token of {} once",
        what,
        credential.identity());
    operatorTokens.invalidate(credential, token);
    return post(path, body, operatorTokens.get(credential), what);
  }

  private YandexHttp.Response post(String path, Object body, OperatorToken token, String what)
      throws ProviderException {
    try {
      return http.postJson(iamEndpoint + path, body, token.bearer());
    } catch (IOException e) {
      throw YandexErrors.forIo("IAM " + what, e, http.timeout());
    } catch (InterruptedException e) {
      throw YandexErrors.interrupted(what, e);
    }
  }

  private IssuedTokenValues.Origin origin() {
    return new IssuedTokenValues.Origin(iamEndpoint, serviceAccountId);
  }

  static String holderOf(String tokenName) {
    Matcher m = COUNTER_SUFFIX.matcher(tokenName == null ? "" : tokenName);
    return m.matches() ? m.group(1) : String.valueOf(tokenName);
  }
}
