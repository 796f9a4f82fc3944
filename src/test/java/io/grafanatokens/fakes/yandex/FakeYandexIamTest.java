package io.grafanatokens.fakes.yandex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.grafanatokens.fakes.grafana.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake IAM over HTTP, as a client other than the operator sees it. */
class FakeYandexIamTest {
  static final String OPERATOR = "ajeoperator000000000";
  static final String TARGET = "ajetarget00000000000";
  static final String AUD = "https://iam.api.cloud.yandex.net/iam/v1/tokens";
  static final ObjectMapper JSON = new ObjectMapper();

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  MutableClock clock;
  FakeYandexIam iam;
  AuthorizedKeyFile key;

  @BeforeEach
  void start() {
    clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    iam = FakeYandexIam.builder().clock(clock).start();
    iam.addServiceAccount(OPERATOR).addServiceAccount(TARGET);
    key = iam.createAuthorizedKey(OPERATOR);
  }

  @AfterEach
  void stop() {
    iam.close();
  }

  // ---- POST /iam/v1/tokens
  // ------------------------------------------------------------------------

  @Test
  void exchangesAValidJwtWithStringOrArrayAudience() throws Exception {
    HttpResponse<String> r = post("/iam/v1/tokens", jwtBody(claims().audience(AUD).build()));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(iam.authenticates(body.path("iamToken").asText())).isTrue();
    assertThat(body.path("iamToken").asText()).matches("t1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{86}");
    assertThat(body.path("expiresAt").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z");

    HttpResponse<String> array =
        post("/iam/v1/tokens", jwtBody(claims().audience(List.of(AUD)).build()));
    assertThat(array.statusCode()).isEqualTo(200);
  }

  @Test
  void refusesJwtsThatFailAnyCheck() throws Exception {
    assertRpcError(
        post("/iam/v1/tokens", jwtBody(claims().audience(List.of(AUD, "x")).build())), 400, 3);
    assertRpcError(
        post("/iam/v1/tokens", jwtBody(claims().audience("https://example.com").build())), 400, 3);
    assertRpcError(
        post("/iam/v1/tokens", jwtBody(claims().audience(AUD).issuer(TARGET).build())), 401, 16);
    Date iat = Date.from(clock.instant());
    assertRpcError(
        post(
            "/iam/v1/tokens",
            jwtBody(
                claims()
                    .audience(AUD)
                    .issueTime(iat)
                    .expirationTime(Date.from(clock.instant().plusSeconds(3601)))
                    .build())),
        400,
        3);
    assertRpcError(
        post(
            "/iam/v1/tokens",
            jwtBody(
                claims()
                    .audience(AUD)
                    .issueTime(Date.from(clock.instant().minusSeconds(600)))
                    .expirationTime(Date.from(clock.instant().minusSeconds(1)))
                    .build())),
        401,
        16);
    AuthorizedKeyFile other = iam.createAuthorizedKey(OPERATOR);
    String forged = sign(key.keyId(), privateKey(other), claims().audience(AUD).build());
    assertRpcError(post("/iam/v1/tokens", "{\"jwt\":\"" + forged + "\"}"), 401, 16);
    iam.deleteAuthorizedKey(key.keyId());
    assertRpcError(post("/iam/v1/tokens", jwtBody(claims().audience(AUD).build())), 401, 16);
    assertRpcError(post("/iam/v1/tokens", "{\"jwt\":\"not.a.jwt\"}"), 400, 3);
    assertThat(iam.receivedJwts()).hasSize(8);
  }

  @Test
  void errorsAreGoogleRpcStatusWithARequestInfoDetail() throws Exception {
    HttpResponse<String> r =
        post("/iam/v1/tokens:createForServiceAccount", "{\"serviceAccountId\":\"" + TARGET + "\"}");
    JsonNode body = assertRpcError(r, 401, 16);
    assertThat(body.path("message").asText()).isNotBlank();
    JsonNode detail = body.path("details").get(0);
    assertThat(detail.path("@type").asText())
        .isEqualTo("type.googleapis.com/google.rpc.RequestInfo");
    assertThat(detail.path("requestId").asText()).isNotBlank();
  }

  // ---- createForServiceAccount
  // ----------------------------------------------------------------------

  @Test
  void mintsOnlyWithATokenCreatorGrantForAnExistingAccount() throws Exception {
    String caller = callerToken();
    assertRpcError(createFor(caller, TARGET), 403, 7);
    assertRpcError(createFor(caller, "ajemissing0000000000"), 404, 5);
    assertRpcError(createFor(caller, "Bad_Id"), 400, 3);
    assertRpcError(createFor("t1.unknown", TARGET), 401, 16);

    iam.grantTokenCreator(OPERATOR, TARGET);
    HttpResponse<String> r = createFor(caller, TARGET);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    String token = body.path("iamToken").asText();
    assertThat(iam.authenticates(token)).isTrue();
    assertThat(iam.tokensMintedFor(TARGET)).containsExactly(token);
    // expiresAt - Date is the lifetime, whatever clock the fake runs on
    Instant date =
        ZonedDateTime.parse(
                r.headers().firstValue("Date").orElseThrow(), DateTimeFormatter.RFC_1123_DATE_TIME)
            .toInstant();
    Duration lifetime = Duration.between(date, Instant.parse(body.path("expiresAt").asText()));
    assertThat(lifetime)
        .isBetween(Duration.ofHours(12).minusSeconds(1), Duration.ofHours(12).plusSeconds(1));

    clock.advance(Duration.ofHours(12));
    assertThat(iam.authenticates(token)).as("expired").isFalse();
  }

  @Test
  void returnsTheSameTokenTwiceOnRequestOrWhileItIsYoung() throws Exception {
    iam.grantTokenCreator(OPERATOR, TARGET);
    String caller = callerToken();
    String first = iamToken(createFor(caller, TARGET));
    assertThat(iamToken(createFor(caller, TARGET))).isNotEqualTo(first);

    String second = iamToken(createFor(caller, TARGET));
    iam.returnSameTokenNext(1);
    assertThat(iamToken(createFor(caller, TARGET))).isEqualTo(second);
    assertThat(iamToken(createFor(caller, TARGET))).isNotEqualTo(second);

    iam.reuseTokensYoungerThan(Duration.ofMinutes(30));
    String young = iamToken(createFor(caller, TARGET));
    clock.advance(Duration.ofMinutes(29));
    assertThat(iamToken(createFor(caller, TARGET))).isEqualTo(young);
    clock.advance(Duration.ofMinutes(2));
    assertThat(iamToken(createFor(caller, TARGET))).isNotEqualTo(young);
  }

  // ---- revoke, exchange, metadata
  // ---------------------------------------------------------------------

  @Test
  void revokeNeedsAnAuthenticatedCallerAndAnswersTheSubject() throws Exception {
    iam.grantTokenCreator(OPERATOR, TARGET);
    String caller = callerToken();
    String minted = iamToken(createFor(caller, TARGET));
    assertRpcError(post("/iam/v1/tokens:revoke", "{\"iamToken\":\"" + minted + "\"}"), 401, 16);
    HttpResponse<String> r =
        post("/iam/v1/tokens:revoke", "{\"iamToken\":\"" + minted + "\"}", "Bearer " + caller);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).path("subjectId").asText()).isEqualTo(TARGET);
    assertThat(iam.authenticates(minted)).isFalse();
    assertThat(iam.wasRevoked(minted)).isTrue();
    assertRpcError(
        post("/iam/v1/tokens:revoke", "{\"iamToken\":\"t1.nope\"}", "Bearer " + caller), 400, 3);
  }

  @Test
  void exchangesAFederatedKubernetesTokenForItsAudienceOnly() throws Exception {
    iam.federateKubernetesToken("k8s-jwt", OPERATOR);
    HttpResponse<String> ok = exchange("k8s-jwt", OPERATOR);
    assertThat(ok.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(ok.body());
    assertThat(iam.authenticates(body.path("access_token").asText())).isTrue();
    assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
    assertThat(body.path("expires_in").asLong()).isEqualTo(43200);

    HttpResponse<String> wrongAudience = exchange("k8s-jwt", TARGET);
    assertThat(wrongAudience.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(wrongAudience.body()).path("error").asText())
        .isEqualTo("invalid_grant");
    assertThat(exchange("someone-else", OPERATOR).statusCode()).isEqualTo(400);
    assertThat(post("/oauth/token", "{}").statusCode()).as("JSON instead of a form").isEqualTo(400);
  }

  @Test
  void theMetadataServiceWantsItsFlavorHeader() throws Exception {
    String url = iam.metadataUrl();
    assertThat(get(url, false).statusCode()).isEqualTo(403);
    assertThat(get(url, true).statusCode()).as("no account attached").isEqualTo(404);
    iam.attachToMetadataService(OPERATOR);
    HttpResponse<String> r = get(url, true);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(iam.authenticates(JSON.readTree(r.body()).path("access_token").asText())).isTrue();
  }

  // ---- faults and counts
  // ------------------------------------------------------------------------------

  @Test
  void injectsCountedFaultsAndHoldsTimeouts() throws Exception {
    iam.failNext(YandexOperation.CREATE_TOKEN, YandexFault.HTTP_503);
    iam.failNext(YandexOperation.CREATE_TOKEN, YandexFault.rateLimit429(4));
    assertRpcError(post("/iam/v1/tokens", jwtBody(claims().audience(AUD).build())), 503, 14);
    HttpResponse<String> limited = post("/iam/v1/tokens", jwtBody(claims().audience(AUD).build()));
    assertRpcError(limited, 429, 8);
    assertThat(limited.headers().firstValue("Retry-After")).contains("4");
    assertThat(post("/iam/v1/tokens", jwtBody(claims().audience(AUD).build())).statusCode())
        .isEqualTo(200);
    assertThat(iam.requestCount(YandexOperation.CREATE_TOKEN)).isEqualTo(3);
    assertThat(iam.faultsInjected(YandexOperation.CREATE_TOKEN)).isEqualTo(2);

    iam.failNext(YandexOperation.METADATA_TOKEN, YandexFault.timeout(Duration.ofSeconds(2)));
    HttpRequest slow =
        HttpRequest.newBuilder(URI.create(iam.metadataUrl()))
            .timeout(Duration.ofMillis(200))
            .header("Metadata-Flavor", "Google")
            .build();
    assertThatThrownBy(() -> http.send(slow, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
  }

  // ---- helpers
  // ---------------------------------------------------------------------------------------

  JWTClaimsSet.Builder claims() {
    Instant now = clock.instant();
    return new JWTClaimsSet.Builder()
        .issuer(OPERATOR)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(600)));
  }

  String jwtBody(JWTClaimsSet claims) throws Exception {
    return "{\"jwt\":\"" + sign(key.keyId(), privateKey(key), claims) + "\"}";
  }

  static String sign(String kid, PrivateKey privateKey, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.PS256).keyID(kid).type(JOSEObjectType.JWT).build(),
            claims);
    jwt.sign(new RSASSASigner(privateKey));
    return jwt.serialize();
  }

  static PrivateKey privateKey(AuthorizedKeyFile file) throws Exception {
    String pem = JSON.readTree(file.json()).path("private_key").asText();
    String base64 =
        pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27, pem.indexOf("-----END"))
            .replaceAll("\\s", "");
    return KeyFactory.getInstance("RSA")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  String callerToken() throws Exception {
    return iamToken(post("/iam/v1/tokens", jwtBody(claims().audience(AUD).build())));
  }

  static String iamToken(HttpResponse<String> r) throws IOException {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).path("iamToken").asText();
  }

  HttpResponse<String> createFor(String callerToken, String target) throws Exception {
    return post(
        "/iam/v1/tokens:createForServiceAccount",
        "{\"serviceAccountId\":\"" + target + "\"}",
        "Bearer " + callerToken);
  }

  HttpResponse<String> exchange(String subjectToken, String audience) throws Exception {
    String form =
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange"
            + "&requested_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token"
            + "&audience="
            + audience
            + "&subject_token="
            + subjectToken
            + "&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aid_token";
    return http.send(
        HttpRequest.newBuilder(URI.create(iam.tokenExchangeUrl()))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String json) throws Exception {
    return post(path, json, null);
  }

  HttpResponse<String> post(String path, String json, String authorization) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(iam.iamEndpoint() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String url, boolean flavor) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    if (flavor) {
      b.header("Metadata-Flavor", "Google");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode assertRpcError(HttpResponse<String> r, int status, int code) throws IOException {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("code").asInt()).as(r.body()).isEqualTo(code);
    return body;
  }
}
