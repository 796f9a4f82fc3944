package io.grafanatokens.fakes.amg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grafanatokens.fakes.grafana.GrafanaKeys;
import io.grafanatokens.fakes.grafana.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fake AMG answers the way docs/provider-apis.md#amazon-managed-grafana describes, checked on
 * the wire.
 */
class FakeAmgTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-03-10T10:00:00.400Z");
  private static final String SIGNATURE = "0".repeat(64);

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private MutableClock clock;
  private FakeAmg amg;
  private String ws;
  private String sa;

  @BeforeEach
  void start() {
    clock = new MutableClock(T0);
    amg = FakeAmg.builder().clock(clock).region("eu-west-1").start();
    ws = amg.createWorkspace();
    sa = amg.createServiceAccount(ws, "ci-bot", "VIEWER");
  }

  @AfterEach
  void stop() {
    amg.close();
  }

  /** A response's status, headers of interest and JSON body. */
  private record Answer(
      int status, String errorType, String requestId, String retryAfter, JsonNode body) {}

  private Answer call(String method, String path, String body)
      throws IOException, InterruptedException {
    return call(
        method,
        path,
        body,
        "AWS4-HMAC-SHA256 Credential=AKIDFAKE/20260310/eu-west-1/grafana/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date, Signature="
            + SIGNATURE);
  }

  private Answer call(String method, String path, String body, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(amg.endpoint() + path))
            .timeout(Duration.ofSeconds(5))
            .header("X-Amz-Date", "20260310T100000Z")
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(
        r.statusCode(),
        r.headers().firstValue("x-amzn-ErrorType").orElse(null),
        r.headers().firstValue("x-amzn-RequestId").orElse(null),
        r.headers().firstValue("Retry-After").orElse(null),
        r.body().isEmpty() ? null : JSON.readTree(r.body()));
  }

  private String tokensPath() {
    return "/workspaces/" + ws + "/serviceaccounts/" + sa + "/tokens";
  }

  private Answer createToken(String name, long secondsToLive)
      throws IOException, InterruptedException {
    return call(
        "POST",
        tokensPath(),
        "{\"name\":\"" + name + "\",\"secondsToLive\":" + secondsToLive + "}");
  }

  @Test
  void createsATokenWithAGlsaKeyAndListsItWithEpochSecondTimestampsButNoKey() throws Exception {
    Answer created = createToken("tok", 3600);
    assertThat(created.status()).isEqualTo(200);
    assertThat(created.requestId()).isNotBlank();
    assertThat(created.errorType()).isNull();
    JsonNode token = created.body().get("serviceAccountToken");
    String key = token.get("key").asText();
    assertThat(GrafanaKeys.isWellFormed(key)).as("glsa_ key with a valid CRC-32").isTrue();
    assertThat(token.get("name").asText()).isEqualTo("tok");
    assertThat(created.body().get("workspaceId").asText()).isEqualTo(ws);
    assertThat(created.body().get("serviceAccountId").asText()).isEqualTo(sa);
    assertThat(created.body().has("createdAt")).as("no timestamps in the create answer").isFalse();
    assertThat(amg.authenticates(key)).isTrue();

    Answer listed = call("GET", tokensPath(), null);
    JsonNode row = listed.body().get("serviceAccountTokens").get(0);
    assertThat(row.has("key")).isFalse();
    assertThat(row.get("createdAt").isNumber()).isTrue();
    assertThat(row.get("createdAt").asLong()).isEqualTo(T0.getEpochSecond());
    assertThat(row.get("expiresAt").asLong()).isEqualTo(T0.getEpochSecond() + 3600);
    assertThat(listed.body().has("nextToken")).isFalse();

    clock.advance(Duration.ofSeconds(3600));
    assertThat(amg.authenticates(key)).as("expired").isFalse();
  }

  @Test
  void refusesUnsignedOrMisscopedRequestsWith403AndRecordsThem() throws Exception {
    Answer unsigned = call("GET", tokensPath(), null, null);
    assertThat(unsigned.status()).isEqualTo(403);
    assertThat(unsigned.errorType()).startsWith("MissingAuthenticationTokenException");
    Answer wrongService =
        call(
            "GET",
            tokensPath(),
            null,
            "AWS4-HMAC-SHA256 Credential=AKIDFAKE/20260310/eu-west-1/"
                + "execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature="
                + SIGNATURE);
    assertThat(wrongService.status()).isEqualTo(403);
    assertThat(wrongService.body().get("message").asText()).contains("'grafana'");
    Answer wrongRegion =
        call(
            "GET",
            tokensPath(),
            null,
            "AWS4-HMAC-SHA256 Credential=AKIDFAKE/20260310/us-east-1/"
                + "grafana/aws4_request, SignedHeaders=host;x-amz-date, Signature="
                + SIGNATURE);
    assertThat(wrongRegion.status()).isEqualTo(403);
    assertThat(wrongRegion.errorType()).startsWith("InvalidSignatureException");
    Answer bearer = call("GET", tokensPath(), null, "Bearer abc");
    assertThat(bearer.errorType()).startsWith("IncompleteSignatureException");

    assertThat(amg.rejectedRequests()).hasSize(4);
    assertThat(amg.requestCount(AmgOperation.LIST_TOKENS)).isEqualTo(4);
    assertThat(amg.accessKeyIdsSeen()).containsExactly("AKIDFAKE");
  }

  @Test
  void recognisesOnlyTheAcceptedAccessKeysWhenToldTo() throws Exception {
    amg.acceptOnlyAccessKeys("AKIDOTHER");
    Answer refused = call("GET", tokensPath(), null);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.errorType())
        .isEqualTo("UnrecognizedClientException" + AmgReply.CORAL_SUFFIX);
    amg.acceptOnlyAccessKeys();
    assertThat(call("GET", tokensPath(), null).status()).isEqualTo(200);
  }

  @Test
  void validatesWhatTheSdkDoesNotWithAFieldList() throws Exception {
    Answer bad =
        call(
            "POST",
            "/workspaces/g-NOTHEX/serviceaccounts/" + sa + "/tokens",
            "{\"name\":\"" + "n".repeat(129) + "\",\"secondsToLive\":2592001}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.errorType()).startsWith("ValidationException:");
    assertThat(bad.body().get("reason").asText()).isEqualTo("FIELD_VALIDATION_FAILED");
    List<String> fields = new ArrayList<>();
    bad.body().get("fieldList").forEach(f -> fields.add(f.get("name").asText()));
    assertThat(fields).containsExactly("workspaceId", "name", "secondsToLive");

    assertThat(createToken("zero", 0).body().get("fieldList").get(0).get("name").asText())
        .isEqualTo("secondsToLive");
    assertThat(
            call("POST", tokensPath(), "{\"secondsToLive\":60}")
                .body()
                .get("fieldList")
                .get(0)
                .get("message")
                .asText())
        .contains("must not be null");
    assertThat(call("POST", tokensPath(), "not json").body().get("reason").asText())
        .isEqualTo("CANNOT_PARSE");
    assertThat(
            call(
                    "POST",
                    "/workspaces/" + ws + "/serviceaccounts",
                    "{\"name\":\"x\",\"grafanaRole\":\"OWNER\"}")
                .body()
                .get("fieldList")
                .get(0)
                .get("name")
                .asText())
        .isEqualTo("grafanaRole");
    assertThat(
            call("GET", tokensPath() + "?maxResults=101", null)
                .body()
                .get("fieldList")
                .get(0)
                .get("name")
                .asText())
        .isEqualTo("maxResults");
    assertThat(call("GET", tokensPath() + "?nextToken=bogus", null).status()).isEqualTo(400);
    assertThat(call("PUT", tokensPath(), "{}").body().get("reason").asText())
        .isEqualTo("UNKNOWN_OPERATION");
    assertThat(amg.tokensOf(ws, sa)).isEmpty();
  }

  @Test
  void namesAreUniquePerWorkspaceAndMissingResourcesAre404WithTheirIdAndType() throws Exception {
    assertThat(createToken("same", 60).status()).isEqualTo(200);
    String other = amg.createServiceAccount(ws, "other", "EDITOR");
    Answer clash =
        call(
            "POST",
            "/workspaces/" + ws + "/serviceaccounts/" + other + "/tokens",
            "{\"name\":\"same\",\"secondsToLive\":60}");
    assertThat(clash.status()).isEqualTo(409);
    assertThat(clash.errorType()).startsWith("ConflictException");
    assertThat(clash.body().get("resourceId").asText()).isEqualTo("same");
    Answer saClash =
        call(
            "POST",
            "/workspaces/" + ws + "/serviceaccounts",
            "{\"name\":\"ci-bot\",\"grafanaRole\":\"ADMIN\"}");
    assertThat(saClash.status()).isEqualTo(409);

    Answer noWorkspace =
        call("GET", "/workspaces/g-0000000000/serviceaccounts/" + sa + "/tokens", null);
    assertThat(noWorkspace.status()).isEqualTo(404);
    assertThat(noWorkspace.body().get("resourceType").asText()).isEqualTo("WORKSPACE");
    // labels are percent-decoded: the id the client meant comes back
    Answer noAccount =
        call("GET", "/workspaces/" + ws + "/serviceaccounts/a%2Fb%20c+d/tokens", null);
    assertThat(noAccount.status()).isEqualTo(404);
    assertThat(noAccount.body().get("resourceId").asText()).isEqualTo("a/b c+d");
    assertThat(noAccount.body().get("resourceType").asText()).isEqualTo("SERVICE_ACCOUNT");
    Answer noToken = call("DELETE", tokensPath() + "/999", null);
    assertThat(noToken.status()).isEqualTo(404);
    assertThat(noToken.body().get("resourceId").asText()).isEqualTo("999");
  }

  @Test
  void pagesWithAnOpaqueNextToken() throws Exception {
    for (int i = 0; i < 7; i++) {
      amg.mintToken(ws, sa, "t" + i, 600);
    }
    List<String> names = new ArrayList<>();
    String next = null;
    int pages = 0;
    do {
      Answer page =
          call(
              "GET",
              tokensPath() + "?maxResults=3" + (next == null ? "" : "&nextToken=" + next),
              null);
      page.body().get("serviceAccountTokens").forEach(t -> names.add(t.get("name").asText()));
      next = page.body().has("nextToken") ? page.body().get("nextToken").asText() : null;
      pages++;
    } while (next != null);
    assertThat(pages).isEqualTo(3);
    assertThat(names).containsExactly("t0", "t1", "t2", "t3", "t4", "t5", "t6");
    Answer first = call("GET", tokensPath(), null);
    assertThat(first.body().get("serviceAccountTokens")).hasSize(7);
  }

  @Test
  void deletingAServiceAccountDeletesItsTokens() throws Exception {
    String key = createToken("t", 600).body().get("serviceAccountToken").get("key").asText();
    Answer deleted = call("DELETE", "/workspaces/" + ws + "/serviceaccounts/" + sa, null);
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(amg.authenticates(key)).isFalse();
    assertThat(amg.tokensOf(ws, sa))
        .singleElement()
        .satisfies(t -> assertThat(t.deleted()).isEqualTo(T0));
    assertThat(
            call("GET", "/workspaces/" + ws + "/serviceaccounts", null)
                .body()
                .get("serviceAccounts"))
        .isEmpty();
  }

  @Test
  void expiredTokensCountAgainstTheQuotaUntilDeleted() throws Exception {
    amg.tokenQuotaPerServiceAccount(2);
    String first = createToken("a", 60).body().get("serviceAccountToken").get("id").asText();
    createToken("b", 60);
    clock.advance(Duration.ofMinutes(5));
    Answer full = createToken("c", 60);
    assertThat(full.status()).isEqualTo(402);
    assertThat(full.errorType()).startsWith("ServiceQuotaExceededException");
    assertThat(full.body().get("quotaCode").asText()).isNotBlank();
    assertThat(full.body().get("resourceId").asText()).isEqualTo(sa);
    assertThat(call("DELETE", tokensPath() + "/" + first, null).status()).isEqualTo(200);
    assertThat(createToken("c", 60).status()).isEqualTo(200);
  }

  @Test
  void injectsFaultsOnceOrCountedAndDropsAnswersAfterCreating() throws Exception {
    amg.failNext(AmgOperation.LIST_TOKENS, AmgFault.throttling(7), 2);
    Answer throttled = call("GET", tokensPath(), null);
    assertThat(throttled.status()).isEqualTo(429);
    assertThat(throttled.retryAfter()).isEqualTo("7");
    assertThat(throttled.requestId()).isNotBlank();
    assertThat(call("GET", tokensPath(), null).status()).isEqualTo(429);
    assertThat(call("GET", tokensPath(), null).status()).isEqualTo(200);

    amg.failNext(AmgOperation.CREATE_TOKEN, AmgFault.INTERNAL_SERVER)
        .failNext(AmgOperation.CREATE_TOKEN, AmgFault.QUOTA_EXCEEDED)
        .failNext(AmgOperation.CREATE_TOKEN, AmgFault.ACCESS_DENIED)
        .failNext(
            AmgOperation.CREATE_TOKEN, AmgFault.validation("name", "Member must not be null"));
    assertThat(createToken("x", 60).errorType()).startsWith("InternalServerException");
    assertThat(createToken("x", 60).status()).isEqualTo(402);
    Answer denied = createToken("x", 60);
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.body().get("message").asText())
        .contains("grafana:CreateWorkspaceServiceAccountToken");
    assertThat(createToken("x", 60).body().get("fieldList").get(0).get("name").asText())
        .isEqualTo("name");
    assertThat(amg.tokensOf(ws, sa)).as("faults do nothing").isEmpty();

    amg.failNext(AmgOperation.CREATE_TOKEN, AmgFault.DROP_AFTER_CREATE);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> createToken("lost", 60))
        .isInstanceOf(IOException.class);
    assertThat(amg.tokensOf(ws, sa)).extracting(AmgTokenSnapshot::name).containsExactly("lost");
    assertThat(amg.requestCount(AmgOperation.CREATE_TOKEN)).isEqualTo(5);
  }
}
