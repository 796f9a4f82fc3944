package io.grafanatokens.fakes.grafana;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The fake's data (orgs, users, service accounts, tokens) and its authentication rules. Every
 * method is synchronized: the HTTP threads and the test thread share one instance.
 */
final class FakeGrafanaState {
  static final long MAIN_ORG = 1;
  private static final int BRUTE_FORCE_MAX_ATTEMPTS = 5;
  private static final Duration BRUTE_FORCE_WINDOW = Duration.ofMinutes(5);
  private static final Duration LAST_USED_UPDATE = Duration.ofMinutes(5);
  private static final String UID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final Random random = new SecureRandom();
  private volatile Clock clock;

  final Map<Long, String> orgs = new LinkedHashMap<>();
  final Map<String, User> users = new HashMap<>();
  final Map<Long, Sa> serviceAccounts = new LinkedHashMap<>();
  final Map<Long, Tok> tokens = new LinkedHashMap<>();
  private final Map<String, Long> tokenIdByHash = new HashMap<>();
  private final Map<String, Deque<Instant>> failedLogins = new HashMap<>();
  private long nextOrgId = 2;

  /**
   * Users and service accounts share Grafana's user table, hence one id sequence; 1 is the built-in
   * admin.
   */
  private long nextUserId = 2;

  private long nextTokenId = 1;

  // Knobs (docs/provider-apis.md#grafana-server-settings-that-change-answers).
  boolean legacyDuplicate409;
  int tokenExpirationDayLimit = -1;
  long apiKeyMaxSecondsToLive = -1;
  boolean orgScopedTokenLookup;
  boolean bruteForceProtection = true;

  FakeGrafanaState(Clock clock) {
    this.clock = clock;
    orgs.put(MAIN_ORG, "Main Org.");
  }

  /** A Grafana user or admin. */
  static final class User {
    final long id;
    final String login;
    final String password;

    /** Role per org; allOrgsAdmin makes the user Admin in every org, existing or future. */
    final Map<Long, String> roles = new HashMap<>();

    final boolean allOrgsAdmin;

    User(long id, String login, String password, boolean allOrgsAdmin) {
      this.id = id;
      this.login = login;
      this.password = password;
      this.allOrgsAdmin = allOrgsAdmin;
    }

    String roleIn(long orgId) {
      return allOrgsAdmin ? "Admin" : roles.get(orgId);
    }
  }

  /** A service account (a row of Grafana's user table with is_service_account). */
  static final class Sa {
    final long id;
    final String uid;
    final long orgId;
    String name;
    final String login;
    String role;
    boolean disabled;
    final Instant created;
    Instant updated;

    Sa(
        long id,
        String uid,
        long orgId,
        String name,
        String login,
        String role,
        boolean disabled,
        Instant created) {
      this.id = id;
      this.uid = uid;
      this.orgId = orgId;
      this.name = name;
      this.login = login;
      this.role = role;
      this.disabled = disabled;
      this.created = created;
      this.updated = created;
    }

    ServiceAccountSnapshot snapshot() {
      return new ServiceAccountSnapshot(id, uid, orgId, name, login, role, disabled);
    }
  }

  /** A row of Grafana's api_key table; the key itself is kept only as a hash. */
  static final class Tok {
    final long id;
    final long orgId;
    final long saId;
    final String name;
    final String hash;
    final Instant created;

    /** Unix seconds, null = never expires. */
    final Long expires;

    boolean revoked;
    Instant lastUsed;

    Tok(long id, long orgId, long saId, String name, String hash, Instant created, Long expires) {
      this.id = id;
      this.orgId = orgId;
      this.saId = saId;
      this.name = name;
      this.hash = hash;
      this.created = created;
      this.expires = expires;
    }

    boolean expiredAt(long nowSeconds) {
      return expires != null && expires <= nowSeconds;
    }

    TokenSnapshot snapshot() {
      return new TokenSnapshot(
          id,
          name,
          saId,
          orgId,
          created,
          expires == null ? null : Instant.ofEpochSecond(expires),
          revoked);
    }
  }

  /** Who a request acts as: a user or a service account, with its role in the request's org. */
  record Identity(long orgId, String role, boolean serviceAccount, long id, String login) {}

  /**
   * The result of authentication: an identity, or the 401 to answer (and in which org, for the UID
   * resolver).
   */
  record Auth(Identity identity, Reply failure) {}

  synchronized Clock clock() {
    return clock;
  }

  synchronized void setClock(Clock clock) {
    this.clock = clock;
  }

  Instant now() {
    return clock.instant();
  }

  long nowSeconds() {
    return Math.floorDiv(now().toEpochMilli(), 1000);
  }

  // ---- setup -------------------------------------------------------------------------------

  synchronized long createOrg(String name) {
    long id = nextOrgId++;
    orgs.put(id, name);
    return id;
  }

  /** An admin user: Admin in every org, existing or future (a server admin added everywhere). */
  synchronized void addAdminUser(String login, String password) {
    users.put(login, new User(nextUserId++, login, password, true));
  }

  /** A user with a role in one org; call again to add more orgs (the first password stays). */
  synchronized void addUser(String login, String password, long orgId, String role) {
    users
        .computeIfAbsent(login, l -> new User(nextUserId++, l, password, false))
        .roles
        .put(orgId, role);
  }

  /**
   * Creates a service account the way POST /api/serviceaccounts does; empty when the login is
   * taken.
   */
  synchronized Optional<Sa> createServiceAccount(
      long orgId, String name, String role, boolean disabled) {
    String login = "sa-" + orgId + "-" + name.toLowerCase(Locale.ROOT).replace(' ', '-');
    boolean taken =
        users.containsKey(login)
            || serviceAccounts.values().stream().anyMatch(sa -> sa.login.equals(login));
    if (taken) {
      return Optional.empty();
    }
    Sa sa = new Sa(nextUserId++, newUid(), orgId, name, login, role, disabled, now());
    serviceAccounts.put(sa.id, sa);
    return Optional.of(sa);
  }

  /** Inserts a token row; the caller has done every check. Returns the key. */
  synchronized Map.Entry<Tok, String> insertToken(Sa sa, String name, long secondsToLive) {
    String key = GrafanaKeys.newKey(random);
    Long expires = secondsToLive > 0 ? nowSeconds() + secondsToLive : null;
    Tok tok =
        new Tok(
            nextTokenId++,
            sa.orgId,
            sa.id,
            name,
            hash(key),
            Instant.ofEpochSecond(nowSeconds()),
            expires);
    tokens.put(tok.id, tok);
    tokenIdByHash.put(tok.hash, tok.id);
    return Map.entry(tok, key);
  }

  synchronized boolean tokenNameTaken(long orgId, String name) {
    return tokens.values().stream().anyMatch(t -> t.orgId == orgId && t.name.equals(name));
  }

  synchronized boolean deleteToken(long tokenId) {
    Tok tok = tokens.remove(tokenId);
    if (tok != null) {
      tokenIdByHash.remove(tok.hash);
    }
    return tok != null;
  }

  synchronized boolean deleteServiceAccount(long saId) {
    Sa sa = serviceAccounts.remove(saId);
    if (sa == null) {
      return false;
    }
    // One transaction in Grafana: the account's tokens go with it.
    tokens
        .values()
        .removeIf(
            t -> {
              if (t.saId == saId) {
                tokenIdByHash.remove(t.hash);
                return true;
              }
              return false;
            });
    return true;
  }

  synchronized Optional<Sa> serviceAccountInOrg(long orgId, long saId) {
    Sa sa = serviceAccounts.get(saId);
    return sa != null && sa.orgId == orgId ? Optional.of(sa) : Optional.empty();
  }

  synchronized Optional<Long> resolveUid(long orgId, String uid) {
    return serviceAccounts.values().stream()
        .filter(sa -> sa.orgId == orgId && sa.uid.equals(uid))
        .map(sa -> sa.id)
        .findFirst();
  }

  synchronized long tokenCount(long saId) {
    return tokens.values().stream().filter(t -> t.saId == saId).count();
  }

  // ---- authentication (docs/provider-apis.md#grafana-authentication) -----------------------

  /**
   * True iff the key maps to an existing, unexpired, unrevoked token of an enabled service account.
   */
  synchronized boolean authenticates(String key) {
    if (!GrafanaKeys.isWellFormed(key)) {
      return false;
    }
    Long id = tokenIdByHash.get(hash(key));
    Tok tok = id == null ? null : tokens.get(id);
    if (tok == null || tok.revoked || tok.expiredAt(nowSeconds())) {
      return false;
    }
    Sa sa = serviceAccounts.get(tok.saId);
    return sa != null && !sa.disabled;
  }

  /**
   * Authenticates an Authorization header. requestedOrg is targetOrgId or X-Grafana-Org-Id (null
   * when absent).
   */
  synchronized Auth authenticate(String authorization, Long requestedOrg) {
    if (authorization == null) {
      return fail("auth.unauthorized", "Unauthorized");
    }
    if (authorization.startsWith("Bearer ")) {
      return tokenAuth(authorization.substring("Bearer ".length()), requestedOrg);
    }
    if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded =
            new String(
                Base64.getDecoder().decode(authorization.substring(6).strip()),
                StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return fail("auth.unauthorized", "Unauthorized");
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        return fail("auth.unauthorized", "Unauthorized");
      }
      String login = decoded.substring(0, colon);
      String password = decoded.substring(colon + 1);
      if (login.equals("api_key")) {
        return tokenAuth(password, requestedOrg);
      }
      return passwordAuth(login, password, requestedOrg);
    }
    return fail("auth.unauthorized", "Unauthorized");
  }

  private Auth tokenAuth(String key, Long requestedOrg) {
    if (!GrafanaKeys.isWellFormed(key)) {
      return fail("api-key.invalid", "Invalid API key");
    }
    Long id = tokenIdByHash.get(hash(key));
    Tok tok = id == null ? null : tokens.get(id);
    if (tok == null) {
      return fail("api-key.invalid", "Invalid API key");
    }
    if (orgScopedTokenLookup && tok.orgId != (requestedOrg == null ? MAIN_ORG : requestedOrg)) {
      // Grafana main: the hash lookup is scoped to the requested org (default 1).
      return fail("api-key.invalid", "Invalid API key");
    }
    if (tok.expiredAt(nowSeconds())) {
      return fail("api-key.expired", "Expired API key");
    }
    if (tok.revoked) {
      return fail("api-key.revoked", "Revoked API key");
    }
    if (requestedOrg != null && requestedOrg != tok.orgId) {
      return fail(
          "api-key.organization-mismatch", "API key does not belong to the requested organization");
    }
    Sa sa = serviceAccounts.get(tok.saId);
    if (sa == null) {
      return fail("api-key.invalid", "Invalid API key");
    }
    if (sa.disabled) {
      return fail("identity.disabled", "Unauthorized");
    }
    Instant now = now();
    if (tok.lastUsed == null || tok.lastUsed.plus(LAST_USED_UPDATE).isBefore(now)) {
      tok.lastUsed = Instant.ofEpochSecond(nowSeconds());
    }
    return new Auth(new Identity(tok.orgId, sa.role, true, sa.id, sa.login), null);
  }

  private Auth passwordAuth(String login, String password, Long requestedOrg) {
    Instant now = now();
    Deque<Instant> failures = failedLogins.computeIfAbsent(login, l -> new ArrayDeque<>());
    while (!failures.isEmpty() && !failures.peekFirst().isAfter(now.minus(BRUTE_FORCE_WINDOW))) {
      failures.removeFirst();
    }
    boolean locked = bruteForceProtection && failures.size() >= BRUTE_FORCE_MAX_ATTEMPTS;
    User user = users.get(login);
    if (locked || user == null || !user.password.equals(password)) {
      if (!locked) {
        failures.addLast(now);
      }
      // The lockout answers exactly like a wrong password.
      return fail("password-auth.failed", "Invalid username or password");
    }
    failures.clear();
    long orgId = requestedOrg == null ? MAIN_ORG : requestedOrg;
    String role = orgs.containsKey(orgId) ? user.roleIn(orgId) : null;
    return new Auth(new Identity(orgId, role, false, user.id, user.login), null);
  }

  private static Auth fail(String messageId, String message) {
    return new Auth(null, Reply.unauthorized(messageId, message));
  }

  // ---- helpers ------------------------------------------------------------------------------

  synchronized String newAccessErrorId() {
    return String.format(
        "ACE%010d", (long) random.nextInt(1_000_000_000) * 10 + random.nextInt(10));
  }

  private String newUid() {
    StringBuilder uid = new StringBuilder(14);
    for (int i = 0; i < 14; i++) {
      uid.append(UID_ALPHABET.charAt(random.nextInt(UID_ALPHABET.length())));
    }
    return uid.toString();
  }

  static String hash(String key) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String md5(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
