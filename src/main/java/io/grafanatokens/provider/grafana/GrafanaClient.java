package io.grafanatokens.provider.grafana;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.TransientProviderException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP calls of Grafana's service-account API for one Grafana, org and credential. Bodies of
 * successful answers are never logged: the create-token answer carries the key.
 */
final class GrafanaClient {
  private static final Logger LOG = LoggerFactory.getLogger(GrafanaClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final String baseUrl;
  private final Long orgId;
  private final GrafanaCredentials credentials;
  private final Duration timeout;
  private final Clock clock;

  GrafanaClient(
      HttpClient http,
      String baseUrl,
      Long orgId,
      GrafanaCredentials credentials,
      Duration timeout,
      Clock clock) {
    this.http = http;
    this.baseUrl = baseUrl;
    this.orgId = orgId;
    this.credentials = credentials;
    this.timeout = timeout;
    this.clock = clock;
  }

  /** One page of GET /api/serviceaccounts/search (a substring match on name, login and email). */
  GrafanaDtos.SearchResult search(String query, int page, int perPage) throws ProviderException {
    String path =
        "/api/serviceaccounts/search?query="
            + URLEncoder.encode(query, StandardCharsets.UTF_8)
            + "&perpage="
            + perPage
            + "&page="
            + page;
    return read(
        send("GET", path, null, "search service accounts"),
        GrafanaDtos.SearchResult.class,
        "search service accounts");
  }

  /** POST /api/serviceaccounts; empty when Grafana says the account already exists. */
  Optional<GrafanaDtos.ServiceAccount> createServiceAccount(String name, String role)
      throws ProviderException {
    String what = "create service account " + name;
    Response response =
        send(
            "POST", "/api/serviceaccounts", new GrafanaDtos.CreateServiceAccount(name, role), what);
    if (GrafanaErrors.isServiceAccountConflict(response.status(), response.body())) {
      return Optional.empty();
    }
    return Optional.of(read(response, GrafanaDtos.ServiceAccount.class, what));
  }

  /** GET /api/serviceaccounts/:id/tokens (at most 300 rows, by name). */
  List<GrafanaDtos.Token> listTokens(long serviceAccountId) throws ProviderException {
    String what = "list tokens of service account " + serviceAccountId;
    Response response =
        send("GET", "/api/serviceaccounts/" + serviceAccountId + "/tokens", null, what);
    List<GrafanaDtos.Token> tokens = read(response, new TypeReference<>() {}, what);
    return tokens == null ? List.of() : tokens;
  }

  /** POST /api/serviceaccounts/:id/tokens; the answer holds the key, shown this once. */
  GrafanaDtos.NewToken createToken(long serviceAccountId, String name, long secondsToLive)
      throws ProviderException {
    // The name stays out: it may be 128 characters and messages are cut to 256.
    String what =
        "create token (secondsToLive=" + secondsToLive + ") on service account " + serviceAccountId;
    Response response =
        send(
            "POST",
            "/api/serviceaccounts/" + serviceAccountId + "/tokens",
            new GrafanaDtos.CreateToken(name, secondsToLive),
            what);
    GrafanaDtos.NewToken token = read(response, GrafanaDtos.NewToken.class, what);
    if (token.key() == null || token.key().isEmpty()) {
      // Created or not, there is no key to hand out; the sweep removes a stray by its name.
      throw new TransientProviderException(
          Reasons.PROVIDER_ERROR, "Grafana answered " + what + " without a key", null, null);
    }
    return token;
  }

  /**
   * DELETE /api/serviceaccounts/:id/tokens/:tokenId. True when it deleted the token, false when the
   * token or its account was already gone (which counts as done).
   */
  boolean deleteToken(long serviceAccountId, long tokenId) throws ProviderException {
    String what = "delete token " + tokenId + " of service account " + serviceAccountId;
    Response response =
        send(
            "DELETE",
            "/api/serviceaccounts/" + serviceAccountId + "/tokens/" + tokenId,
            null,
            what);
    if (response.ok()) {
      return true;
    }
    if (GrafanaErrors.isGone(response.status(), response.body())) {
      return false;
    }
    throw failure(what, response);
  }

  String orgLabel() {
    return orgId == null ? "1 (default)" : orgId.toString();
  }

  private Response send(String method, String path, Object body, String what)
      throws TransientProviderException {
    HttpRequest request;
    try {
      request = request(method, path, body);
    } catch (IllegalArgumentException e) {
      // the JDK's "invalid header value" quotes the header, i.e. the credential: never pass it on
      throw new TransientProviderException(
          Reasons.PROVIDER_ERROR,
          "Grafana "
              + what
              + ": the request could not be built (a header value the HTTP client refuses)",
          null,
          null);
    }
    long started = System.nanoTime();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      LOG.debug(
          "Grafana {} {} -> {} in {} ms",
          method,
          stripQuery(path),
          response.statusCode(),
          (System.nanoTime() - started) / 1_000_000);
      return new Response(response.statusCode(), response.body(), response.headers());
    } catch (IOException e) {
      LOG.debug("Grafana {} {} failed: {}", method, stripQuery(path), e.getClass().getSimpleName());
      throw GrafanaErrors.forIo(what, e, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientProviderException(
          Reasons.PROVIDER_ERROR, "interrupted during Grafana " + what, null, e);
    }
  }

  private HttpRequest request(String method, String path, Object body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(timeout)
            .header("Accept", "application/json")
            .header("Authorization", credentials.authorizationHeader());
    if (orgId != null) {
      request.header("X-Grafana-Org-Id", orgId.toString());
    }
    if (body != null) {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(toJson(body)));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return request.build();
  }

  private <T> T read(Response response, Class<T> type, String what) throws ProviderException {
    return read(response, JSON.constructType(type), what);
  }

  private <T> T read(Response response, TypeReference<T> type, String what)
      throws ProviderException {
    return read(response, JSON.constructType(type), what);
  }

  private <T> T read(Response response, JavaType type, String what) throws ProviderException {
    if (!response.ok()) {
      throw failure(what, response);
    }
    // through a Reader, not the String: from a String Jackson copies the whole body into the
    // thread's recycled buffer, which then keeps the size of the largest token list (up to 300
    // tokens) on every reconciler thread; a Reader is read in the recycler's 4,000-char chunks
    try (Reader body = new StringReader(response.body())) {
      return JSON.readValue(body, type);
    } catch (IOException e) {
      throw unreadable(what);
    }
  }

  /** A 2xx we cannot read (a proxy page, another product): the call's effect is unknown. */
  private static TransientProviderException unreadable(String what) {
    // The parser's message may quote the body, which for a create holds the key: leave it out.
    return new TransientProviderException(
        Reasons.PROVIDER_ERROR,
        "Grafana's answer to " + what + " is not the expected JSON (check spec.grafana.url)",
        null,
        null);
  }

  private ProviderException failure(String what, Response response) {
    return GrafanaErrors.forStatus(
        what,
        response.status(),
        response.body(),
        response.headers().firstValue("Retry-After"),
        credentials.secretName(),
        clock.instant());
  }

  private static byte[] toJson(Object body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a request body", e);
    }
  }

  private static String stripQuery(String path) {
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }

  /** Status, body and headers of one answer. */
  record Response(int status, String body, HttpHeaders headers) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    @Override
    public String toString() {
      // The body of a successful create holds the key.
      return "Response[status=" + status + "]";
    }
  }
}
