package io.grafanatokens.fakes.grafana;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP answer of the fake, with factories for Grafana's error-body shapes A to E
 * (docs/provider-apis.md#grafana-error-bodies).
 */
record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
  static final ObjectMapper JSON = new ObjectMapper();

  static Reply json(int status, Object value) {
    try {
      return new Reply(status, "application/json", JSON.writeValueAsBytes(value), Map.of());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Shape A: {"message"} plus "traceID":"" when Grafana passed an error along. */
  static Reply legacy(int status, String message, boolean withTraceId) {
    Map<String, Object> body = new TreeMap<>();
    body.put("message", message);
    if (withTraceId) {
      body.put("traceID", "");
    }
    return json(status, body);
  }

  /** Shape B: an errutil error from a handler. */
  static Reply errutil(int status, String messageId, String message) {
    Map<String, Object> body = new TreeMap<>();
    body.put("message", message);
    body.put("messageId", messageId);
    body.put("statusCode", status);
    body.put("traceID", "");
    return json(status, body);
  }

  /** Shape C: an authn 401 ("extra":null is present on these only). */
  static Reply unauthorized(String messageId, String message) {
    Map<String, Object> body = new TreeMap<>();
    body.put("extra", null);
    body.put("message", message);
    body.put("messageId", messageId);
    body.put("statusCode", 401);
    body.put("traceID", "");
    return json(401, body);
  }

  /** Shape D: the RBAC 403, no traceID; keys sorted as Go marshals a map. */
  static Reply accessDenied(String action, String accessErrorId) {
    Map<String, Object> body = new TreeMap<>();
    body.put("accessErrorId", accessErrorId);
    body.put(
        "message",
        "You'll need additional permissions to perform this action. Permissions needed: " + action);
    body.put("title", "Access denied");
    return json(403, body);
  }

  /** Shape E: a raw text body; Go sniffs text/plain. */
  static Reply text(int status, String text) {
    return new Reply(
        status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** The router's answer for an unknown path (no traceID). */
  static Reply notFound() {
    return legacy(404, "Not found", false);
  }

  /** 400 A of every failed body bind. */
  static Reply badRequestData() {
    return legacy(400, "Bad request data", true);
  }

  Reply withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new Reply(status, contentType, body, Map.copyOf(h));
  }

  @Override
  public String toString() {
    // A create-token body holds a key.
    return "Reply[status=" + status + "]";
  }
}
