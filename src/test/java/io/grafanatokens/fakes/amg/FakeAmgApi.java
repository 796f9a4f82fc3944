package io.grafanatokens.fakes.amg;

import com.fasterxml.jackson.databind.JsonNode;
import io.grafanatokens.fakes.amg.FakeAmgState.Sa;
import io.grafanatokens.fakes.amg.FakeAmgState.Tok;
import io.grafanatokens.fakes.amg.FakeAmgState.Workspace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The six operations of docs/provider-apis.md#amg-operations with the service-side validation the
 * SDK skips (docs/provider-apis.md#amg-endpoints-and-wire-format): inputs are checked first (400
 * ValidationException with a fieldList), then existence (404), then the domain rules (409, 402).
 */
final class FakeAmgApi {
  static final int DEFAULT_PAGE_SIZE = 10;
  static final long MAX_SECONDS_TO_LIVE = 2_592_000;
  private static final Pattern WORKSPACE_ID = Pattern.compile("^g-[0-9a-f]{10}$");
  private static final Set<String> ROLES = Set.of("ADMIN", "EDITOR", "VIEWER");
  private static final String WORKSPACE = "WORKSPACE";
  private static final String SERVICE_ACCOUNT = "SERVICE_ACCOUNT";
  private static final String TOKEN = "SERVICE_ACCOUNT_TOKEN";

  private final FakeAmgState state;

  FakeAmgApi(FakeAmgState state) {
    this.state = state;
  }

  /** A call after routing: the operation, its decoded path labels, query and body. */
  record Call(
      AmgOperation operation,
      String workspaceId,
      String serviceAccountId,
      String tokenId,
      Map<String, String> query,
      byte[] body) {}

  AmgReply serve(Call call) {
    synchronized (state) {
      switch (call.operation()) {
        case CREATE_SERVICE_ACCOUNT:
          return createServiceAccount(call);
        case LIST_SERVICE_ACCOUNTS:
          return listServiceAccounts(call);
        case DELETE_SERVICE_ACCOUNT:
          return deleteServiceAccount(call);
        case CREATE_TOKEN:
          return createToken(call);
        case LIST_TOKENS:
          return listTokens(call);
        case DELETE_TOKEN:
          return deleteToken(call);
        default:
          return AmgReply.validation(
              "UNKNOWN_OPERATION", "The requested operation is not supported", List.of());
      }
    }
  }

  private AmgReply createServiceAccount(Call call) {
    Violations v = new Violations();
    v.workspaceId(call.workspaceId());
    Optional<JsonNode> body = parse(call.body());
    if (body.isEmpty()) {
      return cannotParse();
    }
    String name = v.text(body.get(), "name", 1, 128);
    String role = v.text(body.get(), "grafanaRole", 1, 16);
    if (role != null && !ROLES.contains(role)) {
      v.add("grafanaRole", "Member must satisfy enum value set: [ADMIN, EDITOR, VIEWER]");
    }
    if (v.any()) {
      return v.reply();
    }
    Optional<Workspace> ws = state.workspace(call.workspaceId());
    if (ws.isEmpty()) {
      return AmgReply.notFound(WORKSPACE, call.workspaceId());
    }
    Optional<Sa> sa = state.createServiceAccount(ws.get(), name, role);
    if (sa.isEmpty()) {
      return AmgReply.conflict(
          SERVICE_ACCOUNT, name, "A service account named " + name + " already exists");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("grafanaRole", sa.get().role);
    out.put("id", sa.get().id);
    out.put("name", sa.get().name);
    out.put("workspaceId", ws.get().id);
    return AmgReply.ok(out);
  }

  private AmgReply listServiceAccounts(Call call) {
    Violations v = new Violations();
    v.workspaceId(call.workspaceId());
    int pageSize = v.maxResults(call.query());
    String scope = "sa|" + call.workspaceId();
    long after = v.nextToken(call.query(), scope);
    if (v.any()) {
      return v.reply();
    }
    Optional<Workspace> ws = state.workspace(call.workspaceId());
    if (ws.isEmpty()) {
      return AmgReply.notFound(WORKSPACE, call.workspaceId());
    }
    List<Sa> all =
        ws.get().serviceAccounts.values().stream()
            .filter(sa -> Long.parseLong(sa.id) > after)
            .sorted(Comparator.comparingLong(sa -> Long.parseLong(sa.id)))
            .toList();
    List<Map<String, Object>> page = new ArrayList<>();
    for (Sa sa : all.subList(0, Math.min(pageSize, all.size()))) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("grafanaRole", sa.role);
      row.put("id", sa.id);
      row.put("isDisabled", "false");
      row.put("name", sa.name);
      page.add(row);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    if (all.size() > pageSize) {
      out.put("nextToken", encode(scope, Long.parseLong(all.get(pageSize - 1).id)));
    }
    out.put("serviceAccounts", page);
    out.put("workspaceId", ws.get().id);
    return AmgReply.ok(out);
  }

  private AmgReply deleteServiceAccount(Call call) {
    Violations v = new Violations();
    v.workspaceId(call.workspaceId());
    if (v.any()) {
      return v.reply();
    }
    Optional<Workspace> ws = state.workspace(call.workspaceId());
    if (ws.isEmpty()) {
      return AmgReply.notFound(WORKSPACE, call.workspaceId());
    }
    if (!state.deleteServiceAccount(ws.get(), call.serviceAccountId())) {
      return AmgReply.notFound(SERVICE_ACCOUNT, call.serviceAccountId());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("serviceAccountId", call.serviceAccountId());
    out.put("workspaceId", ws.get().id);
    return AmgReply.ok(out);
  }

  private AmgReply createToken(Call call) {
    Violations v = new Violations();
    v.workspaceId(call.workspaceId());
    Optional<JsonNode> body = parse(call.body());
    if (body.isEmpty()) {
      return cannotParse();
    }
    String name = v.text(body.get(), "name", 1, 128);
    JsonNode ttlNode = body.get().get("secondsToLive");
    long secondsToLive = 0;
    if (ttlNode == null || ttlNode.isNull()) {
      v.add("secondsToLive", "Member must not be null");
    } else if (!ttlNode.canConvertToLong() || !ttlNode.isIntegralNumber()) {
      return cannotParse();
    } else {
      secondsToLive = ttlNode.asLong();
      if (secondsToLive < 1 || secondsToLive > MAX_SECONDS_TO_LIVE) {
        v.add("secondsToLive", "Member must have value between 1 and " + MAX_SECONDS_TO_LIVE);
      }
    }
    if (v.any()) {
      return v.reply();
    }
    Optional<Workspace> ws = state.workspace(call.workspaceId());
    if (ws.isEmpty()) {
      return AmgReply.notFound(WORKSPACE, call.workspaceId());
    }
    Sa sa = ws.get().serviceAccounts.get(call.serviceAccountId());
    if (sa == null) {
      return AmgReply.notFound(SERVICE_ACCOUNT, call.serviceAccountId());
    }
    if (ws.get().tokenNameTaken(name)) {
      // Token names are unique per Grafana organisation, i.e. per workspace
      // (docs/provider-apis.md#amg-limits).
      return AmgReply.conflict(
          TOKEN, name, "service account token with given name already exists in the organization");
    }
    if (ws.get().existingTokensOf(sa.id).size() >= state.tokenQuota) {
      return quotaExceeded(sa.id);
    }
    Map.Entry<Tok, String> created = state.insertToken(ws.get(), sa, name, secondsToLive);
    Map<String, Object> token = new LinkedHashMap<>();
    token.put("id", created.getKey().id);
    token.put("key", created.getValue());
    token.put("name", created.getKey().name);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("serviceAccountId", sa.id);
    out.put("serviceAccountToken", token);
    out.put("workspaceId", ws.get().id);
    return AmgReply.ok(out);
  }

  private AmgReply listTokens(Call call) {
    Violations v = new Violations();
    v.workspaceId(call.workspaceId());
    int pageSize = v.maxResults(call.query());
    String scope = "tokens|" + call.workspaceId() + "|" + call.serviceAccountId();
    long after = v.nextToken(call.query(), scope);
    if (v.any()) {
      return v.reply();
    }
    Optional<Workspace> ws = state.workspace(call.workspaceId());
    if (ws.isEmpty()) {
      return AmgReply.notFound(WORKSPACE, call.workspaceId());
    }
    if (!ws.get().serviceAccounts.containsKey(call.serviceAccountId())) {
      return AmgReply.notFound(SERVICE_ACCOUNT, call.serviceAccountId());
    }
    List<Tok> all =
        ws.get().existingTokensOf(call.serviceAccountId()).stream()
            .filter(t -> Long.parseLong(t.id) > after)
            .sorted(Comparator.comparingLong(t -> Long.parseLong(t.id)))
            .toList();
    List<Map<String, Object>> page = new ArrayList<>();
    for (Tok t : all.subList(0, Math.min(pageSize, all.size()))) {
      Map<String, Object> row = new LinkedHashMap<>();
      // Epoch seconds as JSON numbers: an ISO string makes the SDK fail
      // (docs/provider-apis.md#amg-endpoints-and-wire-format).
      row.put("createdAt", t.created.getEpochSecond());
      row.put("expiresAt", t.expires.getEpochSecond());
      row.put("id", t.id);
      row.put("name", t.name);
      page.add(row);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    if (all.size() > pageSize) {
      out.put("nextToken", encode(scope, Long.parseLong(all.get(pageSize - 1).id)));
    }
    out.put("serviceAccountId", call.serviceAccountId());
    out.put("serviceAccountTokens", page);
    out.put("workspaceId", ws.get().id);
    return AmgReply.ok(out);
  }

  private AmgReply deleteToken(Call call) {
    Violations v = new Violations();
    v.workspaceId(call.workspaceId());
    if (v.any()) {
      return v.reply();
    }
    Optional<Workspace> ws = state.workspace(call.workspaceId());
    if (ws.isEmpty()) {
      return AmgReply.notFound(WORKSPACE, call.workspaceId());
    }
    if (!ws.get().serviceAccounts.containsKey(call.serviceAccountId())) {
      return AmgReply.notFound(SERVICE_ACCOUNT, call.serviceAccountId());
    }
    if (!state.deleteToken(ws.get(), call.serviceAccountId(), call.tokenId())) {
      return AmgReply.notFound(TOKEN, call.tokenId());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("serviceAccountId", call.serviceAccountId());
    out.put("tokenId", call.tokenId());
    out.put("workspaceId", ws.get().id);
    return AmgReply.ok(out);
  }

  /** 402 ServiceQuotaExceededException for a service account. */
  static AmgReply quotaExceeded(String serviceAccountId) {
    Map<String, Object> members = new LinkedHashMap<>();
    members.put("quotaCode", "ServiceAccountTokensPerServiceAccount");
    members.put("resourceId", serviceAccountId == null ? "" : serviceAccountId);
    members.put("resourceType", SERVICE_ACCOUNT);
    members.put("serviceCode", "grafana");
    return AmgReply.error(
        402,
        "ServiceQuotaExceededException",
        "You have reached the maximum number of tokens for this service account",
        members);
  }

  private static AmgReply cannotParse() {
    return AmgReply.validation(
        "CANNOT_PARSE", "Unable to parse the request body as JSON", List.of());
  }

  private static Optional<JsonNode> parse(byte[] body) {
    if (body == null || body.length == 0) {
      return Optional.of(AmgReply.JSON.createObjectNode());
    }
    try {
      JsonNode node = AmgReply.JSON.readTree(body);
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String encode(String scope, long lastId) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((scope + "|" + lastId).getBytes(StandardCharsets.UTF_8));
  }

  /** The field violations of one request, answered together as the service does. */
  private static final class Violations {
    private final List<Map<String, String>> fields = new ArrayList<>();

    void add(String field, String message) {
      fields.add(Map.of("name", field, "message", message));
    }

    boolean any() {
      return !fields.isEmpty();
    }

    AmgReply reply() {
      StringBuilder msg =
          new StringBuilder(
              fields.size() + " validation error" + (fields.size() > 1 ? "s" : "") + " detected: ");
      for (int i = 0; i < fields.size(); i++) {
        msg.append(i > 0 ? "; " : "")
            .append("Value at '")
            .append(fields.get(i).get("name"))
            .append("' failed to satisfy constraint: ")
            .append(fields.get(i).get("message"));
      }
      return AmgReply.validation("FIELD_VALIDATION_FAILED", msg.toString(), fields);
    }

    void workspaceId(String id) {
      if (id == null || !WORKSPACE_ID.matcher(id).matches()) {
        add("workspaceId", "Member must satisfy regular expression pattern: ^g-[0-9a-f]{10}$");
      }
    }

    String text(JsonNode body, String field, int min, int max) {
      JsonNode node = body.get(field);
      if (node == null || node.isNull()) {
        add(field, "Member must not be null");
        return null;
      }
      String value = node.asText();
      if (value.length() < min || value.length() > max) {
        add(field, "Member must have length between " + min + " and " + max);
        return null;
      }
      return value;
    }

    int maxResults(Map<String, String> query) {
      String raw = query.get("maxResults");
      if (raw == null) {
        return DEFAULT_PAGE_SIZE;
      }
      try {
        int n = Integer.parseInt(raw);
        if (n >= 1 && n <= 100) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      add("maxResults", "Member must have value between 1 and 100");
      return DEFAULT_PAGE_SIZE;
    }

    /** The last id of the previous page, 0 for the first page. */
    long nextToken(Map<String, String> query, String scope) {
      String raw = query.get("nextToken");
      if (raw == null) {
        return 0;
      }
      try {
        String decoded = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8);
        if (decoded.startsWith(scope + "|")) {
          return Long.parseLong(decoded.substring(scope.length() + 1));
        }
      } catch (IllegalArgumentException e) {
        // reported below (NumberFormatException is an IllegalArgumentException)
      }
      add("nextToken", "Invalid pagination token");
      return 0;
    }
  }
}
