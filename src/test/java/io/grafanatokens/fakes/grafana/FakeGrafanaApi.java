package io.grafanatokens.fakes.grafana;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grafanatokens.fakes.grafana.Binding.BindException;
import io.grafanatokens.fakes.grafana.FakeGrafanaState.Identity;
import io.grafanatokens.fakes.grafana.FakeGrafanaState.Sa;
import io.grafanatokens.fakes.grafana.FakeGrafanaState.Tok;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The handler logic of Grafana's service-account endpoints, in the processing order of
 * docs/provider-apis.md#grafana-endpoints (authentication and RBAC have already passed).
 */
final class FakeGrafanaApi {
  static final int MAX_LISTED_TOKENS = 300;
  private static final Set<String> ROLES = Set.of("None", "Viewer", "Editor", "Admin");
  private static final long SEVEN_DAYS = 7 * 24 * 3600;
  private static final long DAY = 24 * 3600;

  private final FakeGrafanaState state;

  FakeGrafanaApi(FakeGrafanaState state) {
    this.state = state;
  }

  /** GET /api/serviceaccounts/search (§2.1). */
  Reply search(Identity caller, Map<String, String> query) {
    int perPage = intParam(query.get("perpage"));
    if (perPage <= 0) {
      perPage = 1000;
    }
    int page = Math.max(1, intParam(query.get("page")));
    String q = query.getOrDefault("query", "").toLowerCase(Locale.ROOT);
    boolean onlyDisabled = "true".equals(query.get("disabled"));
    boolean onlyExpired = "true".equals(query.get("expiredTokens"));
    synchronized (state) {
      long nowMillis = state.now().toEpochMilli();
      List<Sa> matches = new ArrayList<>();
      for (Sa sa : state.serviceAccounts.values()) {
        if (sa.orgId != caller.orgId()) {
          continue;
        }
        // SQL LIKE %q% on email (= login), name or login; case-insensitive as on SQLite and MySQL.
        boolean text =
            q.isEmpty()
                || sa.name.toLowerCase(Locale.ROOT).contains(q)
                || sa.login.toLowerCase(Locale.ROOT).contains(q);
        boolean expired =
            state.tokens.values().stream()
                .anyMatch(t -> t.saId == sa.id && expiredAt(t, nowMillis));
        if (text && (!onlyDisabled || sa.disabled) && (!onlyExpired || expired)) {
          matches.add(sa);
        }
      }
      matches.sort(Comparator.comparing((Sa sa) -> sa.login));
      List<Object> rows = new ArrayList<>();
      long offset = (long) perPage * (page - 1);
      for (long i = offset; i < Math.min(matches.size(), offset + perPage); i++) {
        rows.add(
            dto(
                matches.get((int) i),
                "/avatar/" + FakeGrafanaState.md5(matches.get((int) i).login)));
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("totalCount", matches.size());
      body.put("serviceAccounts", rows);
      body.put("page", page);
      body.put("perPage", perPage);
      return Reply.json(200, body);
    }
  }

  /** POST /api/serviceaccounts (§2.2). */
  Reply createServiceAccount(Identity caller, String contentType, byte[] raw) {
    String name;
    String role;
    Boolean disabled;
    try {
      ObjectNode body = Binding.object(contentType, raw);
      name = Binding.required(Binding.string(body, "name"), "Name");
      role = Binding.optionalString(body, "role");
      disabled = Binding.optionalBool(body, "isDisabled");
    } catch (BindException e) {
      return Reply.badRequestData();
    }
    if (role != null && !ROLES.contains(role)) {
      return Reply.errutil(
          400, "serviceaccounts.ErrInvalidRoleSpecified", "invalid role specified");
    }
    // ErrRoleForbidden (a role above the caller's) cannot happen: only Admins pass RBAC here.
    Optional<Sa> sa =
        state.createServiceAccount(
            caller.orgId(), name, role == null ? "Viewer" : role, Boolean.TRUE.equals(disabled));
    if (sa.isEmpty()) {
      return Reply.errutil(
          400, "serviceaccounts.ErrAlreadyExists", "service account already exists");
    }
    return Reply.json(201, dto(sa.get(), ""));
  }

  /** GET /api/serviceaccounts/:id (§2.3). */
  Reply getServiceAccount(Identity caller, long id) {
    if (id == 0) {
      return Reply.legacy(500, "Failed to retrieve service account", true);
    }
    synchronized (state) {
      Optional<Sa> found = state.serviceAccountInOrg(caller.orgId(), id);
      if (found.isEmpty()) {
        return saNotFound();
      }
      return Reply.json(200, profile(found.get()));
    }
  }

  /** PATCH /api/serviceaccounts/:id (§2.4); renaming keeps the login. */
  Reply updateServiceAccount(Identity caller, long id, String contentType, byte[] raw) {
    String name;
    String role;
    Boolean disabled;
    try {
      ObjectNode body = Binding.object(contentType, raw);
      name = Binding.optionalString(body, "name");
      role = Binding.optionalString(body, "role");
      disabled = Binding.optionalBool(body, "isDisabled");
    } catch (BindException e) {
      return Reply.badRequestData();
    }
    if (role != null && !ROLES.contains(role)) {
      return Reply.errutil(
          400, "serviceaccounts.ErrInvalidRoleSpecified", "invalid role specified");
    }
    synchronized (state) {
      Optional<Sa> found = state.serviceAccountInOrg(caller.orgId(), id);
      if (found.isEmpty()) {
        return saNotFound();
      }
      Sa sa = found.get();
      if (name != null && !name.isEmpty()) {
        sa.name = name;
      }
      if (role != null) {
        sa.role = role;
      }
      if (disabled != null) {
        sa.disabled = disabled;
      }
      sa.updated = Instant.ofEpochSecond(state.nowSeconds());
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("id", sa.id);
      body.put("message", "Service account updated");
      body.put("name", sa.name);
      body.put("serviceaccount", profile(sa));
      return Reply.json(200, body);
    }
  }

  /** DELETE /api/serviceaccounts/:id (§2.5). */
  Reply deleteServiceAccount(Identity caller, long id) {
    if (id == 0) {
      return Reply.errutil(
          400, "serviceaccounts.ErrInvalidId", "invalid service account id specified");
    }
    synchronized (state) {
      if (state.serviceAccountInOrg(caller.orgId(), id).isEmpty()) {
        return saNotFound();
      }
      state.deleteServiceAccount(id);
      return Reply.legacy(200, "Service account deleted", false);
    }
  }

  /** GET /api/serviceaccounts/:id/tokens (§2.6): no existence check, [] for a missing account. */
  Reply listTokens(Identity caller, long id) {
    synchronized (state) {
      long nowMillis = state.now().toEpochMilli();
      long now = Math.floorDiv(nowMillis, 1000);
      List<Object> rows = new ArrayList<>();
      state.tokens.values().stream()
          .filter(t -> t.orgId == caller.orgId() && t.saId == id)
          .sorted(Comparator.comparing((Tok t) -> t.name))
          .limit(MAX_LISTED_TOKENS)
          .forEach(t -> rows.add(tokenDto(t, now, nowMillis)));
      return Reply.json(200, rows);
    }
  }

  /** POST /api/serviceaccounts/:id/tokens, in the exact order of §2.7. */
  Reply createToken(Identity caller, long id, String contentType, byte[] raw) {
    synchronized (state) {
      if (id == 0) {
        return Reply.legacy(500, "Failed to retrieve service account", true);
      }
      Optional<Sa> sa = state.serviceAccountInOrg(caller.orgId(), id);
      if (sa.isEmpty()) {
        return saNotFound();
      }
      String name;
      long secondsToLive;
      try {
        ObjectNode body = Binding.object(contentType, raw);
        name = Binding.required(Binding.string(body, "name"), "Name");
        secondsToLive = Binding.int64(body, "secondsToLive");
      } catch (BindException e) {
        return Reply.badRequestData();
      }
      if (state.apiKeyMaxSecondsToLive != -1) {
        if (secondsToLive == 0) {
          return Reply.legacy(400, "Number of seconds before expiration should be set", false);
        }
        if (secondsToLive > state.apiKeyMaxSecondsToLive) {
          return Reply.legacy(
              400, "Number of seconds before expiration is greater than the global limit", false);
        }
      }
      if (state.tokenExpirationDayLimit > 0) {
        // Day-granular, as Go's Truncate(24h) on both sides: up to the end of the limit day passes.
        long now = state.nowSeconds();
        long limit = truncateToDay(now + state.tokenExpirationDayLimit * DAY);
        long expiry = truncateToDay(now + secondsToLive);
        if (expiry > limit) {
          return Reply.text(
              400,
              "The expiration date input exceeds the limit for service account access tokens expiration date");
        }
      }
      if (state.tokenNameTaken(caller.orgId(), name)) {
        // Grafana <= 9.3 answered 409 with a plain message (no messageId) [unverified text].
        return state.legacyDuplicate409
            ? Reply.legacy(
                409,
                "service account token with given name already exists in the organization",
                false)
            : Reply.errutil(
                400,
                "serviceaccounts.ErrTokenAlreadyExists",
                "service account token with given name already exists in the organization");
      }
      if (secondsToLive < 0) {
        return Reply.errutil(400, "serviceaccounts.ErrInvalidInput", "invalid SecondsToLive value");
      }
      Map.Entry<Tok, String> created = state.insertToken(sa.get(), name, secondsToLive);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("id", created.getKey().id);
      body.put("name", created.getKey().name);
      body.put("key", created.getValue());
      return Reply.json(200, body);
    }
  }

  /** DELETE /api/serviceaccounts/:id/tokens/:tokenId (§2.8). */
  Reply deleteToken(Identity caller, long id, String rawTokenId) {
    synchronized (state) {
      if (state.serviceAccountInOrg(caller.orgId(), id).isEmpty()) {
        return saNotFound();
      }
      long tokenId;
      try {
        tokenId = Long.parseLong(rawTokenId);
      } catch (NumberFormatException e) {
        return Reply.legacy(400, "Token ID is invalid", true);
      }
      if (tokenId == 0) {
        return Reply.errutil(
            400, "serviceaccounts.ErrInvalidTokenId", "invalid service account token id specified");
      }
      Tok tok = state.tokens.get(tokenId);
      if (tok == null || tok.orgId != caller.orgId() || tok.saId != id) {
        return Reply.errutil(
            404, "serviceaccounts.ErrTokenNotFound", "service account token not found");
      }
      state.deleteToken(tokenId);
      return Reply.legacy(200, "Service account token deleted", false);
    }
  }

  /** GET /api/user: the signed-in identity, a cheap check that a key authenticates. */
  Reply currentUser(Identity caller) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", caller.id());
    body.put("email", caller.serviceAccount() ? caller.login() : caller.login() + "@localhost");
    body.put("name", caller.login());
    body.put("login", caller.login());
    body.put("orgId", caller.orgId());
    body.put("isGrafanaAdmin", false);
    body.put("isDisabled", false);
    return Reply.json(200, body);
  }

  /** GET /api/org: the request's organisation. */
  Reply currentOrg(Identity caller) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", caller.orgId());
    synchronized (state) {
      body.put("name", state.orgs.getOrDefault(caller.orgId(), ""));
    }
    Map<String, Object> address = new LinkedHashMap<>();
    for (String field : List.of("address1", "address2", "city", "zipCode", "state", "country")) {
      address.put(field, "");
    }
    body.put("address", address);
    return Reply.json(200, body);
  }

  private static Reply saNotFound() {
    return Reply.errutil(404, "serviceaccounts.ErrNotFound", "service account not found");
  }

  /** ServiceAccountDTO in Go field order. */
  private Map<String, Object> dto(Sa sa, String avatarUrl) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", sa.id);
    m.put("uid", sa.uid);
    m.put("name", sa.name);
    m.put("login", sa.login);
    m.put("orgId", sa.orgId);
    m.put("isDisabled", sa.disabled);
    m.put("role", sa.role);
    m.put("tokens", state.tokenCount(sa.id));
    m.put("avatarUrl", avatarUrl);
    return m;
  }

  /** ServiceAccountProfileDTO in Go field order; tokens omitted when 0, teams null. */
  private Map<String, Object> profile(Sa sa) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", sa.id);
    m.put("uid", sa.uid);
    m.put("name", sa.name);
    m.put("login", sa.login);
    m.put("orgId", sa.orgId);
    m.put("isDisabled", sa.disabled);
    m.put("createdAt", rfc3339(sa.created));
    m.put("updatedAt", rfc3339(sa.updated));
    m.put("avatarUrl", "/avatar/" + FakeGrafanaState.md5(sa.login));
    m.put("role", sa.role);
    m.put("teams", null);
    long count = state.tokenCount(sa.id);
    if (count > 0) {
      m.put("tokens", count);
    }
    return m;
  }

  /** TokenDTO (§2.6). */
  private static Map<String, Object> tokenDto(Tok t, long now, long nowMillis) {
    boolean expired = expiredAt(t, nowMillis);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id);
    m.put("name", t.name);
    m.put("created", rfc3339(t.created));
    m.put("lastUsedAt", t.lastUsed == null ? null : rfc3339(t.lastUsed));
    m.put("expiration", t.expires == null ? null : rfc3339(Instant.ofEpochSecond(t.expires)));
    Number seconds = 0;
    if (t.expires != null && !expired && t.expires - now <= SEVEN_DAYS) {
      double s = (t.expires * 1000 - nowMillis) / 1000.0;
      // Go prints a whole float64 without a fraction.
      seconds = s == Math.rint(s) ? (Number) (long) s : (Number) s;
    }
    m.put("secondsUntilExpiration", seconds);
    m.put("hasExpired", expired);
    m.put("isRevoked", t.revoked);
    return m;
  }

  /**
   * hasExpired: the expiry instant is before now (so a token is expired within its last second
   * too).
   */
  private static boolean expiredAt(Tok t, long nowMillis) {
    return t.expires != null && t.expires * 1000 < nowMillis;
  }

  static String rfc3339(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  private static long truncateToDay(long epochSeconds) {
    return epochSeconds - Math.floorMod(epochSeconds, DAY);
  }

  /** Go's c.QueryInt: anything unparsable is 0. */
  private static int intParam(String value) {
    if (value == null) {
      return 0;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
