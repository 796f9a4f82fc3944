package io.grafanatokens.fakes.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeGrafanaTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern KEY_SHAPE = Pattern.compile("^glsa_[0-9A-Za-z]{32}_[0-9a-f]{8}$");

  /**
   * Grafana's published checksum test vector (tokengen_test.go), not a key of any Grafana; kept in
   * parts so that the repository's scan for committed keys stays meaningful.
   */
  private static final String VECTOR =
      "glsa_" + "yscW25imSKJIuav8zF37RZmnbiDvB05G" + "_" + "fcaaf58a";

  /** The vector with its last checksum digit changed. */
  private static final String BAD_CHECKSUM = VECTOR.substring(0, VECTOR.length() - 1) + "b";

  private static final Instant T0 = Instant.parse("2026-03-10T10:00:00.400Z");
  private static final String DUPLICATE_BODY =
      "{\"message\":\"service account token with given name already exists"
          + " in the organization\",\"messageId\":\"serviceaccounts.ErrTokenAlreadyExists\",\"statusCode\":400,\"traceID\":\"\"}";

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private MutableClock clock;
  private FakeGrafana grafana;
  private String admin;

  @BeforeEach
  void start() {
    clock = new MutableClock(T0);
    grafana = FakeGrafana.builder().clock(clock).start();
    admin = "Bearer " + grafana.mintAdminToken(1);
  }

  @AfterEach
  void stop() {
    grafana.close();
  }

  @Test
  void checksumMatchesGrafanasTestVector() {
    assertThat(GrafanaKeys.checksum("yscW25imSKJIuav8zF37RZmnbiDvB05G")).isEqualTo("fcaaf58a");
    assertThat(GrafanaKeys.isWellFormed(VECTOR)).isTrue();
    assertThat(GrafanaKeys.isWellFormed(BAD_CHECKSUM)).isFalse();
    String key = GrafanaKeys.newKey(new SecureRandom());
    assertThat(key).matches(KEY_SHAPE).hasSize(46);
    assertThat(GrafanaKeys.isWellFormed(key)).isTrue();
  }

  @Test
  void createdKeyHasGrafanasShapeAndAuthenticates() throws Exception {
    long sa = grafana.createServiceAccount(1, "ci", "Viewer");
    HttpResponse<String> r =
        post(
            admin,
            "/api/serviceaccounts/" + sa + "/tokens",
            "{\"name\":\"t1\",\"secondsToLive\":60}");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(fieldNames(body)).containsExactly("id", "name", "key");
    String key = body.get("key").asText();
    assertThat(key).matches(KEY_SHAPE);
    assertThat(GrafanaKeys.isWellFormed(key)).isTrue();
    assertThat(grafana.authenticates(key)).isTrue();
    assertThat(get("Bearer " + key, "/api/user").statusCode()).isEqualTo(200);
    assertThat(grafana.tokensOf(sa))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.name()).isEqualTo("t1");
              assertThat(t.expires()).isEqualTo(Instant.parse("2026-03-10T10:01:00Z"));
            });
  }

  @Test
  void tokenNamesAreUniquePerOrgAcrossServiceAccounts() throws Exception {
    long a = grafana.createServiceAccount(1, "a", "Viewer");
    long b = grafana.createServiceAccount(1, "b", "Viewer");
    long org2 = grafana.createOrg("second");
    String admin2 = "Bearer " + grafana.mintAdminToken(org2);
    long c = grafana.createServiceAccount(org2, "c", "Viewer");

    assertThat(
            post(admin, "/api/serviceaccounts/" + a + "/tokens", "{\"name\":\"shared\"}")
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> clash =
        post(admin, "/api/serviceaccounts/" + b + "/tokens", "{\"name\":\"shared\"}");
    assertThat(clash.statusCode()).isEqualTo(400);
    assertThat(clash.body()).isEqualTo(DUPLICATE_BODY);
    assertThat(
            post(admin2, "/api/serviceaccounts/" + c + "/tokens", "{\"name\":\"shared\"}")
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void legacyKnobAnswers409() throws Exception {
    long a = grafana.createServiceAccount(1, "a", "Viewer");
    grafana.legacyDuplicate409(true);
    post(admin, "/api/serviceaccounts/" + a + "/tokens", "{\"name\":\"x\"}");
    HttpResponse<String> clash =
        post(admin, "/api/serviceaccounts/" + a + "/tokens", "{\"name\":\"x\"}");
    assertThat(clash.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(clash.body()).has("messageId")).isFalse();
  }

  @Test
  void duplicateNameIsCheckedBeforeNegativeLifetime() throws Exception {
    long a = grafana.createServiceAccount(1, "a", "Viewer");
    post(admin, "/api/serviceaccounts/" + a + "/tokens", "{\"name\":\"x\"}");
    assertThat(
            post(
                    admin,
                    "/api/serviceaccounts/" + a + "/tokens",
                    "{\"name\":\"x\",\"secondsToLive\":-5}")
                .body())
        .isEqualTo(DUPLICATE_BODY);
    assertThat(
            post(
                    admin,
                    "/api/serviceaccounts/" + a + "/tokens",
                    "{\"name\":\"y\",\"secondsToLive\":-5}")
                .body())
        .isEqualTo(
            "{\"message\":\"invalid SecondsToLive value\",\"messageId\":\"serviceaccounts.ErrInvalidInput\","
                + "\"statusCode\":400,\"traceID\":\"\"}");
  }

  @Test
  void serviceAccountExistenceIsCheckedBeforeTheBody() throws Exception {
    HttpResponse<String> missing =
        send("POST", admin, "/api/serviceaccounts/999/tokens", "text/plain", "nonsense");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body())
        .isEqualTo(
            "{\"message\":\"service account not found\",\"messageId\":\"serviceaccounts.ErrNotFound\","
                + "\"statusCode\":404,\"traceID\":\"\"}");
    long a = grafana.createServiceAccount(1, "a", "Viewer");
    String badRequest = "{\"message\":\"Bad request data\",\"traceID\":\"\"}";
    assertThat(
            send(
                    "POST",
                    admin,
                    "/api/serviceaccounts/" + a + "/tokens",
                    "text/plain",
                    "{\"name\":\"x\"}")
                .body())
        .isEqualTo(badRequest);
    assertThat(
            send(
                    "POST",
                    admin,
                    "/api/serviceaccounts/" + a + "/tokens",
                    "application/json; charset=utf-8",
                    "{\"name\":\"x\"}")
                .statusCode())
        .isEqualTo(200);
    assertThat(post(admin, "/api/serviceaccounts/" + a + "/tokens", "{\"name\":\"\"}").body())
        .isEqualTo(badRequest);
    assertThat(
            post(
                    admin,
                    "/api/serviceaccounts/" + a + "/tokens",
                    "{\"name\":\"z\",\"secondsToLive\":\"60\"}")
                .body())
        .isEqualTo(badRequest);
    assertThat(
            post(
                    admin,
                    "/api/serviceaccounts/" + a + "/tokens",
                    "{\"name\":\"z\",\"secondsToLive\":60.5}")
                .body())
        .isEqualTo(badRequest);
  }

  @Test
  void dayLimitAnswersPlainText() throws Exception {
    long a = grafana.createServiceAccount(1, "a", "Viewer");
    grafana.tokenExpirationDayLimit(1);
    HttpResponse<String> tooLong =
        post(
            admin,
            "/api/serviceaccounts/" + a + "/tokens",
            "{\"name\":\"x\",\"secondsToLive\":259200}");
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(tooLong.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    assertThat(tooLong.body())
        .isEqualTo(
            "The expiration date input exceeds the limit for service account access tokens expiration date");
    // Day-granular: anything up to the end of tomorrow (UTC) passes; 0 (no expiry) passes too.
    assertThat(
            post(
                    admin,
                    "/api/serviceaccounts/" + a + "/tokens",
                    "{\"name\":\"y\",\"secondsToLive\":100000}")
                .statusCode())
        .isEqualTo(200);
    assertThat(
            post(admin, "/api/serviceaccounts/" + a + "/tokens", "{\"name\":\"z\"}").statusCode())
        .isEqualTo(200);
  }

  @Test
  void maxSecondsToLiveRejectsZeroAndTooLong() throws Exception {
    long a = grafana.createServiceAccount(1, "a", "Viewer");
    grafana.apiKeyMaxSecondsToLive(3600);
    assertThat(post(admin, "/api/serviceaccounts/" + a + "/tokens", "{\"name\":\"x\"}").body())
        .isEqualTo("{\"message\":\"Number of seconds before expiration should be set\"}");
    assertThat(
            post(
                    admin,
                    "/api/serviceaccounts/" + a + "/tokens",
                    "{\"name\":\"x\",\"secondsToLive\":3601}")
                .body())
        .isEqualTo(
            "{\"message\":\"Number of seconds before expiration is greater than the global limit\"}");
    assertThat(
            post(
                    admin,
                    "/api/serviceaccounts/" + a + "/tokens",
                    "{\"name\":\"x\",\"secondsToLive\":3600}")
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void authenticationFailuresAnswerShapeC() throws Exception {
    grafana.addAdminUser("admin", "s3cret");
    assertThat(get(null, "/api/serviceaccounts/search").body())
        .isEqualTo(shapeC("Unauthorized", "auth.unauthorized"));
    assertThat(get(basic("admin", "wrong"), "/api/serviceaccounts/search").body())
        .isEqualTo(shapeC("Invalid username or password", "password-auth.failed"));
    assertThat(get("Bearer " + BAD_CHECKSUM, "/api/serviceaccounts/search").body())
        .isEqualTo(shapeC("Invalid API key", "api-key.invalid"));
    String unknown = GrafanaKeys.newKey(new SecureRandom());
    assertThat(get("Bearer " + unknown, "/api/user").body())
        .isEqualTo(shapeC("Invalid API key", "api-key.invalid"));
    assertThat(get(basic("admin", "s3cret"), "/api/serviceaccounts/search").statusCode())
        .isEqualTo(200);
  }

  @Test
  void expiredRevokedAndDisabledTokensAreRejected() throws Exception {
    long sa = grafana.createServiceAccount(1, "bot", "Admin");
    String expiring = grafana.mintToken(sa, "expiring", 60);
    String revoked = grafana.mintToken(sa, "revoked", 0);
    grafana.revokeBySecretScan(grafana.tokensOf(sa).get(1).id());
    assertThat(get("Bearer " + revoked, "/api/user").body())
        .isEqualTo(shapeC("Revoked API key", "api-key.revoked"));
    assertThat(get("Bearer " + expiring, "/api/user").statusCode()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(60));
    assertThat(get("Bearer " + expiring, "/api/user").body())
        .isEqualTo(shapeC("Expired API key", "api-key.expired"));

    long other = grafana.createServiceAccount(1, "off", "Admin");
    String key = grafana.mintToken(other, "off", 0);
    grafana.setServiceAccountDisabled(other, true);
    assertThat(get("Bearer " + key, "/api/user").body())
        .isEqualTo(shapeC("Unauthorized", "identity.disabled"));
    assertThat(grafana.authenticates(key)).isFalse();
  }

  @Test
  void apiKeyBasicAuthIsAToken() throws Exception {
    String key = admin.substring("Bearer ".length());
    assertThat(get(basic("api_key", key), "/api/serviceaccounts/search").statusCode())
        .isEqualTo(200);
  }

  @Test
  void bruteForceLockoutAnswersLikeAWrongPassword() throws Exception {
    grafana.addAdminUser("admin", "s3cret");
    for (int i = 0; i < 5; i++) {
      get(basic("admin", "wrong"), "/api/user");
    }
    assertThat(get(basic("admin", "s3cret"), "/api/user").body())
        .isEqualTo(shapeC("Invalid username or password", "password-auth.failed"));
    clock.advance(Duration.ofMinutes(5));
    assertThat(get(basic("admin", "s3cret"), "/api/user").statusCode()).isEqualTo(200);
  }

  @Test
  void viewerServiceAccountGetsShapeD() throws Exception {
    long viewer = grafana.createServiceAccount(1, "viewer", "Viewer");
    String key = grafana.mintToken(viewer, "viewer", 0);
    HttpResponse<String> r =
        post("Bearer " + key, "/api/serviceaccounts/" + viewer + "/tokens", "{\"name\":\"x\"}");
    assertThat(r.statusCode()).isEqualTo(403);
    JsonNode body = JSON.readTree(r.body());
    assertThat(fieldNames(body)).containsExactly("accessErrorId", "message", "title");
    assertThat(body.get("title").asText()).isEqualTo("Access denied");
    assertThat(body.get("message").asText())
        .isEqualTo(
            "You'll need additional permissions to perform this action. Permissions needed: serviceaccounts:write");
    assertThat(body.get("accessErrorId").asText()).matches("ACE[0-9]{10}");
    assertThat(get("Bearer " + key, "/api/user").statusCode()).isEqualTo(200);
  }

  @Test
  void searchIsASubstringMatchWithPaging() throws Exception {
    for (String name : new String[] {"ci-prod", "ci", "other", "xci", "ci-dev"}) {
      grafana.createServiceAccount(1, name, "Viewer");
    }
    JsonNode page1 =
        JSON.readTree(get(admin, "/api/serviceaccounts/search?query=ci&perpage=2&page=1").body());
    assertThat(fieldNames(page1))
        .containsExactly("totalCount", "serviceAccounts", "page", "perPage");
    assertThat(page1.get("totalCount").asInt()).isEqualTo(4);
    assertThat(names(page1)).containsExactly("ci", "ci-dev");
    JsonNode page2 =
        JSON.readTree(get(admin, "/api/serviceaccounts/search?query=ci&perpage=2&page=2").body());
    assertThat(names(page2)).containsExactly("ci-prod", "xci");
    JsonNode page3 =
        JSON.readTree(get(admin, "/api/serviceaccounts/search?query=ci&perpage=2&page=3").body());
    assertThat(page3.get("serviceAccounts").isArray()).isTrue();
    assertThat(page3.get("serviceAccounts")).isEmpty();
    JsonNode all = JSON.readTree(get(admin, "/api/serviceaccounts/search").body());
    assertThat(all.get("perPage").asInt()).isEqualTo(1000);
    JsonNode first = page1.get("serviceAccounts").get(0);
    assertThat(fieldNames(first))
        .containsExactly(
            "id", "uid", "name", "login", "orgId", "isDisabled", "role", "tokens", "avatarUrl");
    assertThat(first.get("login").asText()).isEqualTo("sa-1-ci");
  }

  @Test
  void serviceAccountCreateValidatesAndRejectsDuplicates() throws Exception {
    HttpResponse<String> created =
        post(admin, "/api/serviceaccounts", "{\"name\":\"Deploy Bot\",\"role\":\"Editor\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode sa = JSON.readTree(created.body());
    assertThat(sa.get("login").asText()).isEqualTo("sa-1-deploy-bot");
    assertThat(sa.get("role").asText()).isEqualTo("Editor");
    assertThat(sa.get("avatarUrl").asText()).isEmpty();
    assertThat(post(admin, "/api/serviceaccounts", "{\"name\":\"deploy bot\"}").body())
        .isEqualTo(
            "{\"message\":\"service account already exists\",\"messageId\":\"serviceaccounts.ErrAlreadyExists\","
                + "\"statusCode\":400,\"traceID\":\"\"}");
    assertThat(post(admin, "/api/serviceaccounts", "{\"name\":\"x\",\"role\":\"viewer\"}").body())
        .contains("serviceaccounts.ErrInvalidRoleSpecified");
    assertThat(
            JSON.readTree(post(admin, "/api/serviceaccounts", "{\"name\":\"plain\"}").body())
                .get("role")
                .asText())
        .isEqualTo("Viewer");
  }

  @Test
  void getServiceAccountAndUnknownIds() throws Exception {
    long sa = grafana.createServiceAccount(1, "bot", "Viewer");
    JsonNode profile = JSON.readTree(get(admin, "/api/serviceaccounts/" + sa).body());
    assertThat(profile.get("name").asText()).isEqualTo("bot");
    assertThat(profile.has("tokens")).isFalse();
    assertThat(profile.get("teams").isNull()).isTrue();
    String uid = grafana.serviceAccount(sa).orElseThrow().uid();
    assertThat(JSON.readTree(get(admin, "/api/serviceaccounts/" + uid).body()).get("id").asLong())
        .isEqualTo(sa);
    assertThat(get(admin, "/api/serviceaccounts/nosuchuid").body())
        .isEqualTo("{\"message\":\"Not found\"}");
    assertThat(get(admin, "/api/serviceaccounts/12345").body())
        .contains("serviceaccounts.ErrNotFound");
    assertThat(get(admin, "/api/serviceaccounts/0").body())
        .isEqualTo("{\"message\":\"Failed to retrieve service account\",\"traceID\":\"\"}");
  }

  @Test
  void tokenListIsEmptyForAMissingServiceAccountAndSortedByName() throws Exception {
    assertThat(get(admin, "/api/serviceaccounts/4242/tokens").body()).isEqualTo("[]");
    long sa = grafana.createServiceAccount(1, "bot", "Viewer");
    grafana.mintToken(sa, "b", 0);
    grafana.mintToken(sa, "a", 3600);
    JsonNode list = JSON.readTree(get(admin, "/api/serviceaccounts/" + sa + "/tokens").body());
    assertThat(list).hasSize(2);
    assertThat(list.get(0).get("name").asText()).isEqualTo("a");
    assertThat(fieldNames(list.get(0)))
        .containsExactly(
            "id",
            "name",
            "created",
            "lastUsedAt",
            "expiration",
            "secondsUntilExpiration",
            "hasExpired",
            "isRevoked");
    assertThat(list.get(0).get("created").asText()).isEqualTo("2026-03-10T10:00:00Z");
    assertThat(list.get(0).get("lastUsedAt").isNull()).isTrue();
    assertThat(list.get(1).get("expiration").isNull()).isTrue();
  }

  @Test
  void tokenListStopsAt300Rows() throws Exception {
    long sa = grafana.createServiceAccount(1, "bot", "Viewer");
    for (int i = 0; i < 305; i++) {
      grafana.mintToken(sa, String.format("t%03d", i), 0);
    }
    JsonNode list = JSON.readTree(get(admin, "/api/serviceaccounts/" + sa + "/tokens").body());
    assertThat(list).hasSize(300);
    assertThat(list.get(299).get("name").asText()).isEqualTo("t299");
  }

  @Test
  void expiryFollowsTheTimeSource() throws Exception {
    long sa = grafana.createServiceAccount(1, "bot", "Viewer");
    String key =
        JSON.readTree(
                post(
                        admin,
                        "/api/serviceaccounts/" + sa + "/tokens",
                        "{\"name\":\"t\",\"secondsToLive\":3600}")
                    .body())
            .get("key")
            .asText();
    JsonNode row =
        JSON.readTree(get(admin, "/api/serviceaccounts/" + sa + "/tokens").body()).get(0);
    // floor(now) + secondsToLive
    assertThat(row.get("expiration").asText()).isEqualTo("2026-03-10T11:00:00Z");
    assertThat(row.get("secondsUntilExpiration").asDouble()).isEqualTo(3599.6);
    assertThat(row.get("hasExpired").asBoolean()).isFalse();

    clock.advance(Duration.ofSeconds(3600));
    assertThat(grafana.authenticates(key)).isFalse();
    row = JSON.readTree(get(admin, "/api/serviceaccounts/" + sa + "/tokens").body()).get(0);
    assertThat(row.get("hasExpired").asBoolean()).isTrue();
    assertThat(row.get("secondsUntilExpiration").asDouble()).isZero();

    String longLived = grafana.mintToken(sa, "long", 30L * 24 * 3600);
    assertThat(grafana.authenticates(longLived)).isTrue();
    JsonNode longRow =
        JSON.readTree(get(admin, "/api/serviceaccounts/" + sa + "/tokens").body()).get(0);
    assertThat(longRow.get("name").asText()).isEqualTo("long");
    assertThat(longRow.get("secondsUntilExpiration").asInt()).isZero();
  }

  @Test
  void deleteTokenThenAgainIs404() throws Exception {
    long sa = grafana.createServiceAccount(1, "bot", "Viewer");
    String key = grafana.mintToken(sa, "t", 0);
    long id = grafana.tokensOf(sa).get(0).id();
    assertThat(
            send("DELETE", admin, "/api/serviceaccounts/" + sa + "/tokens/" + id, null, null)
                .body())
        .isEqualTo("{\"message\":\"Service account token deleted\"}");
    assertThat(grafana.authenticates(key)).isFalse();
    assertThat(
            send("DELETE", admin, "/api/serviceaccounts/" + sa + "/tokens/" + id, null, null)
                .body())
        .isEqualTo(
            "{\"message\":\"service account token not found\",\"messageId\":\"serviceaccounts.ErrTokenNotFound\","
                + "\"statusCode\":404,\"traceID\":\"\"}");
    assertThat(
            send("DELETE", admin, "/api/serviceaccounts/" + sa + "/tokens/abc", null, null).body())
        .isEqualTo("{\"message\":\"Token ID is invalid\",\"traceID\":\"\"}");
  }

  @Test
  void deletingAServiceAccountDeletesItsTokens() throws Exception {
    long sa = grafana.createServiceAccount(1, "bot", "Viewer");
    String key = grafana.mintToken(sa, "t", 0);
    assertThat(send("DELETE", admin, "/api/serviceaccounts/" + sa, null, null).body())
        .isEqualTo("{\"message\":\"Service account deleted\"}");
    assertThat(grafana.authenticates(key)).isFalse();
    assertThat(grafana.tokensOf(sa)).isEmpty();
  }

  @Test
  void unknownPathsAnswerNotFound() throws Exception {
    assertThat(get(admin, "/api/nothing").body()).isEqualTo("{\"message\":\"Not found\"}");
    assertThat(
            send("POST", admin, "/api/serviceaccounts/search", "application/json", "{}")
                .statusCode())
        .isEqualTo(404);
    assertThat(grafana.requestCount(Operation.UNKNOWN)).isEqualTo(2);
  }

  @Test
  void organisationComesFromTheHeader() throws Exception {
    long org2 = grafana.createOrg("second");
    String key2 = grafana.mintAdminToken(org2);
    assertThat(JSON.readTree(get("Bearer " + key2, "/api/org").body()).get("id").asLong())
        .isEqualTo(org2);
    assertThat(send("GET", "Bearer " + key2, "/api/org", null, null, "1").body())
        .isEqualTo(
            shapeC(
                "API key does not belong to the requested organization",
                "api-key.organization-mismatch"));
    grafana.orgScopedTokenLookup(true);
    assertThat(get("Bearer " + key2, "/api/org").body())
        .isEqualTo(shapeC("Invalid API key", "api-key.invalid"));
    assertThat(
            send("GET", "Bearer " + key2, "/api/org", null, null, Long.toString(org2)).statusCode())
        .isEqualTo(200);

    grafana.addAdminUser("admin", "pw");
    assertThat(
            JSON.readTree(
                    send("GET", basic("admin", "pw"), "/api/org", null, null, Long.toString(org2))
                        .body())
                .get("id")
                .asLong())
        .isEqualTo(org2);
  }

  @Test
  void servesUnderASubPath() throws Exception {
    try (FakeGrafana sub = FakeGrafana.builder().basePath("/grafana/").start()) {
      String key = "Bearer " + sub.mintAdminToken(1);
      assertThat(sub.baseUrl()).endsWith("/grafana");
      assertThat(send(sub, "GET", key, "/api/user").statusCode()).isEqualTo(200);
      HttpResponse<String> outside =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(sub.baseUrl().replace("/grafana", "") + "/api/user"))
                  .header("Authorization", key)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(outside.statusCode()).isEqualTo(404);
    }
  }

  @Test
  void droppedResponseFailsTheClientPromptlyAfterActing() {
    long sa = grafana.createServiceAccount(1, "bot", "Viewer");
    grafana.failNext(Operation.CREATE_TOKEN, Fault.DROP_AFTER_CREATE);
    HttpClient patient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(grafana.baseUrl() + "/api/serviceaccounts/" + sa + "/tokens"))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", admin)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"lost\"}"))
            .build();
    long started = System.nanoTime();
    assertThatThrownBy(() -> patient.send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(HttpTimeoutException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(grafana.tokensOf(sa)).extracting(TokenSnapshot::name).containsExactly("lost");
  }

  @Test
  void timeoutHoldsPastTheClientAndDoesNotAct() {
    long sa = grafana.createServiceAccount(1, "bot", "Viewer");
    grafana.failNext(Operation.CREATE_TOKEN, Fault.timeout(Duration.ofSeconds(3)));
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(grafana.baseUrl() + "/api/serviceaccounts/" + sa + "/tokens"))
            .timeout(Duration.ofMillis(300))
            .header("Authorization", admin)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"slow\"}"))
            .build();
    assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(grafana.tokensOf(sa)).isEmpty();
    assertThat(grafana.requestCount(Operation.CREATE_TOKEN)).isEqualTo(1);
  }

  @Test
  void countedFaultsThenNormalService() throws Exception {
    grafana
        .failNext(Operation.SEARCH, Fault.HTTP_500, 2)
        .failNext(Operation.GET_SA, Fault.rateLimit429(7));
    assertThat(get(admin, "/api/serviceaccounts/search").body())
        .isEqualTo("{\"message\":\"Internal server error\",\"traceID\":\"\"}");
    assertThat(get(admin, "/api/serviceaccounts/search").statusCode()).isEqualTo(500);
    assertThat(get(admin, "/api/serviceaccounts/search").statusCode()).isEqualTo(200);
    HttpResponse<String> limited = get(admin, "/api/serviceaccounts/1");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");
    assertThat(grafana.requestCount(Operation.SEARCH)).isEqualTo(3);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static String shapeC(String message, String messageId) {
    return "{\"extra\":null,\"message\":\""
        + message
        + "\",\"messageId\":\""
        + messageId
        + "\",\"statusCode\":401,\"traceID\":\"\"}";
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> names(JsonNode searchPage) {
    List<String> names = new ArrayList<>();
    searchPage.get("serviceAccounts").forEach(sa -> names.add(sa.get("name").asText()));
    return names;
  }

  private HttpResponse<String> get(String auth, String path) throws Exception {
    return send("GET", auth, path, null, null);
  }

  private HttpResponse<String> post(String auth, String path, String json) throws Exception {
    return send("POST", auth, path, "application/json", json);
  }

  private HttpResponse<String> send(
      String method, String auth, String path, String contentType, String body) throws Exception {
    return send(method, auth, path, contentType, body, null);
  }

  private HttpResponse<String> send(FakeGrafana target, String method, String auth, String path)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(target.baseUrl() + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(
      String method, String auth, String path, String contentType, String body, String orgId)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(grafana.baseUrl() + path))
            .timeout(Duration.ofSeconds(10))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (orgId != null) {
      b.header("X-Grafana-Org-Id", orgId);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
