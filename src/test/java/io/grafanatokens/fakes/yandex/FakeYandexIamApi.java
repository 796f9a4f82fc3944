package io.grafanatokens.fakes.yandex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.grafanatokens.fakes.yandex.FakeYandexIamState.Tok;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The endpoints' behaviour (docs/provider-apis.md#yandex-iam-token-endpoints,
 * docs/provider-apis.md#yandex-the-operators-own-token and
 * docs/provider-apis.md#what-the-fakes-reproduce): each method takes what the request carried and
 * returns the reply, under the state's lock.
 */
final class FakeYandexIamApi {
  static final String AUDIENCE = "https://iam.api.cloud.yandex.net/iam/v1/tokens";
  static final String TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
  static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
  static final String ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
  static final String JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** proto: (required) = true, (length) = "<=50"; real ids are lowercase letters and digits. */
  private static final Pattern SERVICE_ACCOUNT_ID = Pattern.compile("[a-z0-9]{1,50}");

  private static final DateTimeFormatter RFC3339_NANOS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final String INVALID_TOKEN = "The token is invalid or has expired.";

  private final FakeYandexIamState state;

  FakeYandexIamApi(FakeYandexIamState state) {
    this.state = state;
  }

  /** POST /iam/v1/tokens: {"jwt"} or {"yandexPassportOauthToken"} for the caller's own token. */
  Reply createToken(String body) {
    JsonNode request = json(body);
    if (request == null) {
      return Reply.rpcError(400, 3, "Request body is not valid JSON");
    }
    synchronized (state) {
      if (request.path("jwt").isTextual()) {
        String jwt = request.path("jwt").asText();
        state.receivedJwts.add(jwt);
        return jwtExchange(jwt);
      }
      if (request.path("yandexPassportOauthToken").isTextual()) {
        String subject = state.oauthTokens.get(request.path("yandexPassportOauthToken").asText());
        if (subject == null) {
          return Reply.rpcError(401, 16, "The OAuth token is invalid or has expired.");
        }
        return iamTokenAnswer(state.issue(subject));
      }
      return Reply.rpcError(400, 3, "Exactly one of jwt, yandexPassportOauthToken is required");
    }
  }

  /**
   * The checks of docs/provider-apis.md#what-the-fakes-reproduce: kid, PS256 signature, iss, aud,
   * exp - iat <= 3600, not expired.
   */
  private Reply jwtExchange(String compact) {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(compact);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return Reply.rpcError(400, 3, "Illegal JWT: not a compact JWS");
    }
    if (!JWSAlgorithm.PS256.equals(jwt.getHeader().getAlgorithm())) {
      return Reply.rpcError(400, 3, "Illegal JWT: only PS256 is supported");
    }
    String kid = jwt.getHeader().getKeyID();
    RSAPublicKey key = kid == null ? null : state.keys.get(kid);
    if (key == null) {
      return Reply.rpcError(401, 16, "Unknown key id");
    }
    try {
      if (!jwt.verify(new RSASSAVerifier(key))) {
        return Reply.rpcError(401, 16, "JWT signature is invalid");
      }
    } catch (JOSEException e) {
      return Reply.rpcError(401, 16, "JWT signature is invalid");
    }
    String account = state.keyAccounts.get(kid);
    if (!account.equals(claims.getIssuer())) {
      return Reply.rpcError(401, 16, "JWT iss does not match the key's service account");
    }
    // aud may be a string or a one-element array (the official Java SDK sends an array)
    List<String> audience = claims.getAudience();
    if (audience == null || audience.size() != 1 || !AUDIENCE.equals(audience.get(0))) {
      return Reply.rpcError(400, 3, "Illegal JWT: aud must be " + AUDIENCE);
    }
    if (claims.getIssueTime() == null || claims.getExpirationTime() == null) {
      return Reply.rpcError(400, 3, "Illegal JWT: iat and exp are required");
    }
    long iat = claims.getIssueTime().toInstant().getEpochSecond();
    long exp = claims.getExpirationTime().toInstant().getEpochSecond();
    if (exp - iat > 3600) {
      return Reply.rpcError(400, 3, "Illegal JWT: lifetime exceeds 3600 seconds");
    }
    if (exp <= state.now().getEpochSecond()) {
      return Reply.rpcError(401, 16, "JWT has expired");
    }
    if (!state.serviceAccounts.contains(account)) {
      return Reply.rpcError(401, 16, "Service account of the key is deleted");
    }
    return iamTokenAnswer(state.issue(account));
  }

  /** POST /iam/v1/tokens:createForServiceAccount with a Bearer token and a tokenCreator grant. */
  Reply createForServiceAccount(String authorization, String body) {
    synchronized (state) {
      Tok caller = state.caller(authorization);
      if (caller == null) {
        return Reply.rpcError(401, 16, INVALID_TOKEN);
      }
      JsonNode request = json(body);
      if (request == null || !request.path("serviceAccountId").isTextual()) {
        return Reply.rpcError(400, 3, "serviceAccountId: required");
      }
      String target = request.path("serviceAccountId").asText();
      if (!SERVICE_ACCOUNT_ID.matcher(target).matches()) {
        return Reply.rpcError(400, 3, "Illegal argument serviceAccountId");
      }
      if (!state.serviceAccounts.contains(target)) {
        return Reply.rpcError(404, 5, "Service account " + target + " not found");
      }
      if (!state.grants.contains(new FakeYandexIamState.Grant(caller.subjectId, target))) {
        return Reply.rpcError(403, 7, "Permission denied");
      }
      Tok token = reusableFor(target);
      if (token == null) {
        token = state.issue(target);
        state.lastMintedFor.put(target, token.value);
        state.mintedFor.computeIfAbsent(target, t -> new ArrayList<>()).add(token.value);
      }
      return iamTokenAnswer(token);
    }
  }

  /** IAM "may return the same token in response to different requests" while it is young. */
  private Tok reusableFor(String target) {
    String lastValue = state.lastMintedFor.get(target);
    Tok last = lastValue == null ? null : state.tokens.get(lastValue);
    if (last == null || !last.validAt(state.now())) {
      return null;
    }
    if (state.repeatNext > 0) {
      state.repeatNext--;
      return last;
    }
    return Duration.between(last.issuedAt, state.now()).compareTo(state.reuseYoungerThan) < 0
        ? last
        : null;
  }

  /** POST /iam/v1/tokens:revoke {"iamToken"}: any authenticated caller may revoke any token. */
  Reply revoke(String authorization, String body) {
    synchronized (state) {
      if (state.caller(authorization) == null) {
        return Reply.rpcError(401, 16, INVALID_TOKEN);
      }
      JsonNode request = json(body);
      if (request == null || !request.path("iamToken").isTextual()) {
        return Reply.rpcError(400, 3, "iamToken: required");
      }
      Tok t = state.tokens.get(request.path("iamToken").asText());
      if (t == null) {
        return Reply.rpcError(400, 3, "Illegal argument iamToken");
      }
      if (!t.revoked) {
        t.revoked = true;
        state.revoked.add(t.value);
      }
      return Reply.json(200, Map.of("subjectId", t.subjectId));
    }
  }

  /**
   * POST /oauth/token: RFC 8693 exchange of a federated Kubernetes token for a service account's
   * token.
   */
  Reply exchange(String contentType, String body) {
    if (contentType == null || !contentType.startsWith("application/x-www-form-urlencoded")) {
      return Reply.oauthError(400, "invalid_request", "expected application/x-www-form-urlencoded");
    }
    Map<String, String> form = form(body);
    if (!TOKEN_EXCHANGE_GRANT.equals(form.get("grant_type"))) {
      return Reply.oauthError(
          400, "unsupported_grant_type", "grant_type must be " + TOKEN_EXCHANGE_GRANT);
    }
    if (!ACCESS_TOKEN_TYPE.equals(form.get("requested_token_type"))) {
      return Reply.oauthError(
          400, "invalid_request", "requested_token_type must be " + ACCESS_TOKEN_TYPE);
    }
    String subjectType = form.get("subject_token_type");
    if (!ID_TOKEN_TYPE.equals(subjectType) && !JWT_TOKEN_TYPE.equals(subjectType)) {
      return Reply.oauthError(
          400, "invalid_request", "subject_token_type must be " + ID_TOKEN_TYPE);
    }
    synchronized (state) {
      String account = state.federatedKubernetesTokens.get(form.get("subject_token"));
      if (account == null) {
        return Reply.oauthError(
            400, "invalid_grant", "the subject token is not trusted by any federation");
      }
      if (!account.equals(form.get("audience"))) {
        return Reply.oauthError(
            400, "invalid_grant", "no federated credential links the subject to the audience");
      }
      if (!state.serviceAccounts.contains(account)) {
        return Reply.oauthError(400, "invalid_grant", "the service account does not exist");
      }
      return accessTokenAnswer(state.issue(account));
    }
  }

  /**
   * GET the metadata service's token: only with Metadata-Flavor: Google, only with an attached
   * account.
   */
  Reply metadataToken(String flavor) {
    if (!"Google".equals(flavor)) {
      return Reply.text(403, "Missing required header: Metadata-Flavor: Google");
    }
    synchronized (state) {
      if (state.metadataAccount == null || !state.serviceAccounts.contains(state.metadataAccount)) {
        return Reply.text(404, "no service account is attached to this instance");
      }
      return accessTokenAnswer(state.issue(state.metadataAccount));
    }
  }

  /**
   * {"iamToken", "expiresAt"}: expiresAt is written on the wire clock (the one the Date header is
   * stamped with) as the token's remaining lifetime after it, so that expiresAt - Date is the
   * lifetime.
   */
  private Reply iamTokenAnswer(Tok token) {
    String value = token.value;
    Duration remaining = Duration.between(state.now(), token.expiresAt);
    return Reply.timed(
        wire -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("iamToken", value);
          body.put("expiresAt", RFC3339_NANOS.format(wire.plus(remaining)));
          return body;
        });
  }

  private Reply accessTokenAnswer(Tok token) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", token.value);
    body.put("issued_token_type", ACCESS_TOKEN_TYPE);
    body.put("token_type", "Bearer");
    body.put("expires_in", Duration.between(state.now(), token.expiresAt).getSeconds());
    return Reply.json(200, body);
  }

  private static JsonNode json(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      return n != null && n.isObject() ? n : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new HashMap<>();
    if (body == null || body.isEmpty()) {
      return out;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  static String format(Instant instant) {
    return RFC3339_NANOS.format(instant);
  }
}
