package io.grafanatokens.provider.yandex;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The HTTP calls to Yandex endpoints, each bounded by the operator's provider timeout. Redirects
 * are never followed: a bearer token or a Kubernetes token must not travel to a host it was not
 * sent to. Bodies are never logged: answers carry tokens.
 */
final class YandexHttp {
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final Duration timeout;

  YandexHttp(Duration timeout) {
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  Duration timeout() {
    return timeout;
  }

  /** POST a JSON body, with "Authorization: Bearer ..." when authorization is not null. */
  Response postJson(String url, Object body, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        base(url)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(toJson(body)));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return send(request.build());
  }

  /** POST an application/x-www-form-urlencoded body. */
  Response postForm(String url, Map<String, String> form) throws IOException, InterruptedException {
    String encoded =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return send(
        base(url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(encoded))
            .build());
  }

  /** GET with extra headers. */
  Response get(String url, Map<String, String> headers) throws IOException, InterruptedException {
    HttpRequest.Builder request = base(url).GET();
    headers.forEach(request::header);
    return send(request.build());
  }

  private HttpRequest.Builder base(String url) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(timeout)
        .header("Accept", "application/json");
  }

  private Response send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
    return new Response(
        r.statusCode(),
        r.body(),
        r.headers().firstValue("Date").flatMap(YandexHttp::httpDate),
        r.headers().firstValue("Retry-After"));
  }

  private static byte[] toJson(Object body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a request body", e);
    }
  }

  static Optional<Instant> httpDate(String value) {
    try {
      return Optional.of(
          ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * Status, body and the headers this provider reads of one answer.
   *
   * @param date the answer's Date header: the provider's clock, for L = expiresAt - Date
   */
  record Response(int status, String body, Optional<Instant> date, Optional<String> retryAfter) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    @Override
    public String toString() {
      // A successful body holds a token.
      return "Response[status=" + status + "]";
    }
  }
}
