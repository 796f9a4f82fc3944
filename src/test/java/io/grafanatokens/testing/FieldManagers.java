package io.grafanatokens.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;

/**
 * What a real API server records in {@code metadata.managedFields} on a create or an update, which
 * the CRUD mock does not: one entry per manager (the client's User-Agent) and subresource, holding
 * every field that manager wrote as nested {@code f:} maps. The entries of other managers stay; a
 * write that carries none keeps the stored ones. Close enough in size and shape to cost a cache
 * what a real server's answers cost it.
 */
final class FieldManagers {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Fields the server owns, never recorded for a manager. */
  private static final Set<String> SERVER_METADATA =
      Set.of(
          "name",
          "namespace",
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "deletionTimestamp",
          "managedFields",
          "selfLink");

  private FieldManagers() {}

  /**
   * The body with the server's managedFields: the stored object's entries (absent on a create),
   * with this manager's entry for this subresource replaced by what the body writes.
   */
  static byte[] record(byte[] body, String storedJson, String manager, boolean status, Clock clock)
      throws java.io.IOException {
    JsonNode parsed = JSON.readTree(body);
    if (!(parsed instanceof ObjectNode object) || !(object.get("metadata") instanceof ObjectNode)) {
      return body;
    }
    ObjectNode metadata = (ObjectNode) object.get("metadata");
    ArrayNode entries = JSON.createArrayNode();
    JsonNode stored = storedJson == null ? null : JSON.readTree(storedJson).path("metadata");
    JsonNode previous =
        stored != null && stored.has("managedFields")
            ? stored.get("managedFields")
            : metadata.path("managedFields");
    for (JsonNode e : previous) {
      boolean same =
          manager.equals(e.path("manager").asText())
              && status == "status".equals(e.path("subresource").asText());
      if (!same) {
        entries.add(e);
      }
    }
    ObjectNode entry = entries.addObject();
    entry.put("manager", manager);
    entry.put("operation", "Update");
    entry.put("apiVersion", object.path("apiVersion").asText());
    entry.put("time", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    entry.put("fieldsType", "FieldsV1");
    entry.set("fieldsV1", fieldsOf(object, true));
    if (status) {
      entry.put("subresource", "status");
    }
    metadata.set("managedFields", entries);
    return JSON.writeValueAsBytes(object);
  }

  /** The f: tree of an object's fields; a map gets its "." entry, as the server writes it. */
  private static ObjectNode fieldsOf(ObjectNode object, boolean top) {
    ObjectNode out = JSON.createObjectNode();
    if (!top) {
      out.set(".", JSON.createObjectNode());
    }
    for (Map.Entry<String, JsonNode> f : object.properties()) {
      String name = f.getKey();
      if (top && (name.equals("apiVersion") || name.equals("kind"))) {
        continue;
      }
      JsonNode value = f.getValue();
      if (top && name.equals("metadata")) {
        ObjectNode meta = ((ObjectNode) value).deepCopy();
        meta.remove(SERVER_METADATA);
        if (!meta.isEmpty()) {
          ObjectNode fields = fieldsOf(meta, false);
          fields.remove("."); // metadata is always there: the server writes no "." for it
          out.set("f:metadata", fields);
        }
        continue;
      }
      out.set(
          "f:" + name,
          value instanceof ObjectNode o && !o.isEmpty() ? fieldsOf(o, false) : listOrLeaf(value));
    }
    return out;
  }

  /**
   * A list, its items by position: a server keys them by merge key ({@code k:{"type":"Ready"}}) or
   * by value ({@code v:"x"}) instead, a tree of the same size.
   */
  private static ObjectNode listOrLeaf(JsonNode value) {
    ObjectNode out = JSON.createObjectNode();
    if (value instanceof ArrayNode list) {
      out.set(".", JSON.createObjectNode());
      for (int i = 0; i < list.size(); i++) {
        out.set(
            "i:" + i,
            list.get(i) instanceof ObjectNode o ? fieldsOf(o, false) : JSON.createObjectNode());
      }
    }
    return out;
  }
}
