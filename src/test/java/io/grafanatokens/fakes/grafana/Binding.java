package io.grafanatokens.fakes.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Locale;

/**
 * Grafana's web.Bind for JSON bodies (docs/provider-apis.md#grafana-requests): Content-Type must be
 * application/json, the body decodes into the command struct with Go's type rules, unknown fields
 * are ignored.
 */
final class Binding {
  private Binding() {}

  /** Thrown for any bind failure; the handlers turn it into 400 "Bad request data". */
  static final class BindException extends Exception {
    BindException(String detail) {
      super(detail, null, false, false);
    }
  }

  /** The body as an object; an empty body or JSON null decodes to an empty object, as in Go. */
  static ObjectNode object(String contentType, byte[] body) throws BindException {
    if (contentType == null) {
      throw new BindException("no content type");
    }
    String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("application/json")) {
      throw new BindException("content type " + mediaType);
    }
    if (body.length == 0) {
      return JsonNodeFactory.instance.objectNode();
    }
    JsonNode node;
    try {
      node = Reply.JSON.readTree(body);
    } catch (IOException e) {
      throw new BindException("bad JSON");
    }
    if (node == null || node.isMissingNode() || node.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!node.isObject()) {
      throw new BindException("not an object");
    }
    return (ObjectNode) node;
  }

  /** A Go string field: absent or null is "", anything but a string fails. */
  static String string(ObjectNode body, String field) throws BindException {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return "";
    }
    if (!v.isTextual()) {
      throw new BindException(field + " is not a string");
    }
    return v.textValue();
  }

  /** A Go *string field: absent or null is null. */
  static String optionalString(ObjectNode body, String field) throws BindException {
    JsonNode v = body.get(field);
    return v == null || v.isNull() ? null : string(body, field);
  }

  /** A Go int64 field: absent or null is 0; 3600.5, 3600.0, 1e3 and "3600" fail, as in Go. */
  static long int64(ObjectNode body, String field) throws BindException {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return 0;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new BindException(field + " is not an int64");
    }
    return v.longValue();
  }

  /** A Go *bool field: absent or null is null. */
  static Boolean optionalBool(ObjectNode body, String field) throws BindException {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw new BindException(field + " is not a bool");
    }
    return v.booleanValue();
  }

  /** binding:"Required" on a string: the zero value fails. */
  static String required(String value, String field) throws BindException {
    if (value.isEmpty()) {
      throw new BindException("required value " + field + " must not be empty");
    }
    return value;
  }
}
