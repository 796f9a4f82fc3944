package io.grafanatokens.fakes.amg;

import io.grafanatokens.fakes.grafana.GrafanaKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The fake's workspaces, service accounts and tokens, with AMG's domain rules: names unique per
 * workspace, a per-service-account token quota that counts expired tokens, tokens gone with their
 * service account. Callers hold the instance's monitor (every public path is synchronized).
 */
final class FakeAmgState {
  static final int DEFAULT_TOKEN_QUOTA = 99;
  private static final String HEX = "0123456789abcdef";

  private final Random random = new SecureRandom();
  private volatile Clock clock;
  final Map<String, Workspace> workspaces = new LinkedHashMap<>();
  private final Map<String, Tok> tokensByKeyHash = new LinkedHashMap<>();
  int tokenQuota = DEFAULT_TOKEN_QUOTA;

  FakeAmgState(Clock clock) {
    this.clock = clock;
  }

  /**
   * A workspace: its service accounts and every token ever created in it (deleted ones kept as
   * tombstones).
   */
  static final class Workspace {
    final String id;
    final Map<String, Sa> serviceAccounts = new LinkedHashMap<>();
    final Map<String, Tok> tokens = new LinkedHashMap<>();
    // Grafana numbers service accounts in its user table (1 is the admin) and tokens separately.
    long nextServiceAccountId = 2;
    long nextTokenId = 1;

    Workspace(String id) {
      this.id = id;
    }

    List<Tok> existingTokensOf(String serviceAccountId) {
      return tokens.values().stream()
          .filter(t -> t.deleted == null && t.serviceAccountId.equals(serviceAccountId))
          .toList();
    }

    boolean tokenNameTaken(String name) {
      return tokens.values().stream().anyMatch(t -> t.deleted == null && t.name.equals(name));
    }
  }

  /** A workspace service account. */
  static final class Sa {
    final String id;
    final String name;
    final String role;
    final String workspaceId;

    Sa(String id, String name, String role, String workspaceId) {
      this.id = id;
      this.name = name;
      this.role = role;
      this.workspaceId = workspaceId;
    }

    AmgServiceAccountSnapshot snapshot() {
      return new AmgServiceAccountSnapshot(id, name, role, workspaceId);
    }
  }

  /** A token; only the SHA-256 of its key is kept, as Grafana does. */
  static final class Tok {
    final String id;
    final String name;
    final String workspaceId;
    final String serviceAccountId;
    final Instant created;
    final Instant expires;
    Instant deleted;

    Tok(
        String id,
        String name,
        String workspaceId,
        String serviceAccountId,
        Instant created,
        Instant expires) {
      this.id = id;
      this.name = name;
      this.workspaceId = workspaceId;
      this.serviceAccountId = serviceAccountId;
      this.created = created;
      this.expires = expires;
    }

    AmgTokenSnapshot snapshot() {
      return new AmgTokenSnapshot(
          id, name, workspaceId, serviceAccountId, created, expires, deleted);
    }
  }

  Clock clock() {
    return clock;
  }

  void setClock(Clock clock) {
    this.clock = clock;
  }

  synchronized String createWorkspace(String id) {
    String wsId = id;
    if (wsId == null) {
      do {
        StringBuilder b = new StringBuilder("g-");
        for (int i = 0; i < 10; i++) {
          b.append(HEX.charAt(random.nextInt(16)));
        }
        wsId = b.toString();
      } while (workspaces.containsKey(wsId));
    }
    if (workspaces.putIfAbsent(wsId, new Workspace(wsId)) != null) {
      throw new IllegalStateException("workspace " + wsId + " exists");
    }
    return wsId;
  }

  synchronized Optional<Workspace> workspace(String id) {
    return Optional.ofNullable(workspaces.get(id));
  }

  /** Empty when the name is taken in the workspace. */
  synchronized Optional<Sa> createServiceAccount(Workspace ws, String name, String role) {
    if (ws.serviceAccounts.values().stream().anyMatch(sa -> sa.name.equals(name))) {
      return Optional.empty();
    }
    Sa sa = new Sa(Long.toString(ws.nextServiceAccountId++), name, role, ws.id);
    ws.serviceAccounts.put(sa.id, sa);
    return Optional.of(sa);
  }

  /** Deletes the account and its tokens, whose keys stop working at once. */
  synchronized boolean deleteServiceAccount(Workspace ws, String serviceAccountId) {
    Sa sa = ws.serviceAccounts.remove(serviceAccountId);
    if (sa == null) {
      return false;
    }
    Instant now = clock.instant();
    ws.existingTokensOf(serviceAccountId).forEach(t -> t.deleted = now);
    return true;
  }

  /** A new token and its key; the caller has checked the name and quota. */
  synchronized Map.Entry<Tok, String> insertToken(
      Workspace ws, Sa sa, String name, long secondsToLive) {
    // Grafana stores whole seconds: expiry = floor(now) + secondsToLive.
    Instant created = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Tok tok =
        new Tok(
            Long.toString(ws.nextTokenId++),
            name,
            ws.id,
            sa.id,
            created,
            created.plusSeconds(secondsToLive));
    ws.tokens.put(tok.id, tok);
    String key = GrafanaKeys.newKey(random);
    tokensByKeyHash.put(sha256(key), tok);
    return Map.entry(tok, key);
  }

  /** Marks a token deleted; false when it did not exist (or was deleted already). */
  synchronized boolean deleteToken(Workspace ws, String serviceAccountId, String tokenId) {
    Tok tok = ws.tokens.get(tokenId);
    if (tok == null || tok.deleted != null || !tok.serviceAccountId.equals(serviceAccountId)) {
      return false;
    }
    tok.deleted = clock.instant();
    return true;
  }

  /** True iff the key is a well-formed key of an existing, unexpired token. */
  synchronized boolean authenticates(String key) {
    if (!GrafanaKeys.isWellFormed(key)) {
      return false;
    }
    Tok tok = tokensByKeyHash.get(sha256(key));
    return tok != null && tok.deleted == null && tok.expires.isAfter(clock.instant());
  }

  synchronized List<AmgTokenSnapshot> tokens(String workspaceId, String serviceAccountId) {
    Workspace ws = workspaces.get(workspaceId);
    List<AmgTokenSnapshot> out = new ArrayList<>();
    if (ws != null) {
      ws.tokens.values().stream()
          .filter(t -> serviceAccountId == null || t.serviceAccountId.equals(serviceAccountId))
          .map(Tok::snapshot)
          .forEach(out::add);
    }
    return out;
  }

  private static String sha256(String key) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
