package io.grafanatokens.fakes.amg;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One rest-json answer of the fake: a 200 with the operation's output, or an error whose type
 * travels in x-amzn-ErrorType and whose members (message first) form the body
 * (docs/provider-apis.md#amg-errors).
 *
 * @param errorType null on success
 * @param retryAfterSeconds the Retry-After header; 0 = none
 */
record AmgReply(int status, String errorType, byte[] body, long retryAfterSeconds) {
  static final ObjectMapper JSON = new ObjectMapper();

  /** What API Gateway appends to the type; the SDK drops everything after the first ':'. */
  static final String CORAL_SUFFIX = ":http://internal.amazon.com/coral/com.amazonaws.grafana/";

  static AmgReply ok(Map<String, Object> output) {
    return new AmgReply(200, null, json(output), 0);
  }

  static AmgReply error(int status, String type, String message, Map<String, Object> members) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("message", message);
    body.putAll(members);
    return new AmgReply(status, type, json(body), 0);
  }

  /** 400 ValidationException with reason and fieldList [{name, message}]. */
  static AmgReply validation(String reason, String message, List<Map<String, String>> fields) {
    Map<String, Object> members = new LinkedHashMap<>();
    members.put("reason", reason);
    if (!fields.isEmpty()) {
      members.put("fieldList", fields);
    }
    return error(400, "ValidationException", message, members);
  }

  /** 400 ValidationException FIELD_VALIDATION_FAILED for one field. */
  static AmgReply invalidField(String field, String message) {
    return validation(
        "FIELD_VALIDATION_FAILED",
        "1 validation error detected: Value at '"
            + field
            + "' failed to "
            + "satisfy constraint: "
            + message,
        List.of(Map.of("name", field, "message", message)));
  }

  /** 404 ResourceNotFoundException naming the missing resource. */
  static AmgReply notFound(String resourceType, String resourceId) {
    return error(
        404,
        "ResourceNotFoundException",
        resourceType + " " + resourceId + " not found",
        Map.of("resourceId", resourceId, "resourceType", resourceType));
  }

  /** 409 ConflictException naming the resource in the way. */
  static AmgReply conflict(String resourceType, String resourceId, String message) {
    return error(
        409,
        "ConflictException",
        message,
        Map.of("resourceId", resourceId, "resourceType", resourceType));
  }

  AmgReply withRetryAfter(long seconds) {
    return new AmgReply(status, errorType, body, seconds);
  }

  private static byte[] json(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    // A create-token answer holds a key.
    return "AmgReply[status=" + status + ", errorType=" + errorType + "]";
  }
}
