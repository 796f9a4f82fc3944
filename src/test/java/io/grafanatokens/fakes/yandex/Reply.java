package io.grafanatokens.fakes.yandex;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * One answer of the fake. The body is rendered from the "wire clock" (the system clock) just before
 * it is sent, because the JDK server stamps every answer's Date header with the system clock.
 */
record Reply(
    int status, String contentType, Map<String, String> headers, Function<Instant, String> body) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Reply json(int status, Map<String, ?> body) {
    String text = write(body);
    return new Reply(status, "application/json", Map.of(), wire -> text);
  }

  /** A 200 JSON answer whose body depends on the wire clock (an expiresAt, for instance). */
  static Reply timed(Function<Instant, Map<String, ?>> body) {
    return new Reply(200, "application/json", Map.of(), wire -> write(body.apply(wire)));
  }

  /** A google.rpc.Status error with a RequestInfo detail (docs/provider-apis.md#yandex-errors). */
  static Reply rpcError(int httpStatus, int code, String message) {
    String requestId = UUID.randomUUID().toString();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", code);
    body.put("message", message);
    body.put(
        "details",
        List.of(
            Map.of("@type", "type.googleapis.com/google.rpc.RequestInfo", "requestId", requestId)));
    String text = write(body);
    return new Reply(
        httpStatus, "application/json", Map.of("X-Request-Id", requestId), wire -> text);
  }

  /** An RFC 6749 error of the token exchange. */
  static Reply oauthError(int httpStatus, String error, String description) {
    return json(httpStatus, Map.of("error", error, "error_description", description));
  }

  static Reply text(int httpStatus, String text) {
    return new Reply(httpStatus, "text/plain; charset=utf-8", Map.of(), wire -> text);
  }

  Reply withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new Reply(status, contentType, Map.copyOf(h), body);
  }

  private static String write(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
