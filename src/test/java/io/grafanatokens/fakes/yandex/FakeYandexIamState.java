package io.grafanatokens.fakes.yandex;

import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the fake IAM knows: service accounts, their authorized keys, the tokenCreator grants, the
 * federated Kubernetes tokens and every IAM token it issued. Guarded by its own monitor: every
 * access is synchronized on this object.
 */
final class FakeYandexIamState {
  /** An IAM token: who it authenticates and until when (on the injected clock). */
  static final class Tok {
    final String value;
    final String subjectId;
    final Instant issuedAt;
    final Instant expiresAt;
    boolean revoked;

    Tok(String value, String subjectId, Instant issuedAt, Instant expiresAt) {
      this.value = value;
      this.subjectId = subjectId;
      this.issuedAt = issuedAt;
      this.expiresAt = expiresAt;
    }

    boolean validAt(Instant now) {
      return !revoked && now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
      return "Tok[subject=" + subjectId + ", expiresAt=" + expiresAt + ", revoked=" + revoked + "]";
    }
  }

  /** A grant of iam.serviceAccounts.tokenCreator: caller may mint tokens for target. */
  record Grant(String caller, String target) {}

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  Clock clock;
  Duration tokenLifetime;

  /** createForServiceAccount hands back the target's last token while it is younger than this. */
  Duration reuseYoungerThan = Duration.ZERO;

  /** The next n createForServiceAccount answers repeat the target's last valid token. */
  int repeatNext;

  final Set<String> serviceAccounts = new HashSet<>();
  final Map<String, RSAPublicKey> keys = new HashMap<>();
  final Map<String, String> keyAccounts = new HashMap<>();
  final Set<Grant> grants = new HashSet<>();
  final Map<String, String> federatedKubernetesTokens = new HashMap<>();
  final Map<String, String> oauthTokens = new HashMap<>();
  String metadataAccount;
  final Map<String, Tok> tokens = new LinkedHashMap<>();
  final Map<String, String> lastMintedFor = new HashMap<>();
  final Map<String, List<String>> mintedFor = new HashMap<>();
  final List<String> revoked = new ArrayList<>();
  final List<String> receivedJwts = new ArrayList<>();

  FakeYandexIamState(Clock clock, Duration tokenLifetime) {
    this.clock = clock;
    this.tokenLifetime = tokenLifetime;
  }

  Instant now() {
    return clock.instant();
  }

  /** A new token for the subject, lifetime tokenLifetime. */
  Tok issue(String subjectId) {
    Instant now = now();
    Tok t = new Tok(newTokenValue(), subjectId, now, now.plus(tokenLifetime));
    tokens.put(t.value, t);
    return t;
  }

  /** The token behind "Bearer <value>", when it is valid now and its subject still exists. */
  Tok caller(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return null;
    }
    Tok t = tokens.get(authorization.substring("Bearer ".length()).strip());
    return t != null && t.validAt(now()) && serviceAccountsOrUsers(t.subjectId) ? t : null;
  }

  boolean authenticates(String value) {
    Tok t = tokens.get(value);
    return t != null && t.validAt(now()) && serviceAccountsOrUsers(t.subjectId);
  }

  private boolean serviceAccountsOrUsers(String subjectId) {
    return serviceAccounts.contains(subjectId) || oauthTokens.containsValue(subjectId);
  }

  /** Yandex-shaped ids: a three-letter prefix and 17 lowercase letters and digits. */
  static String newId(String prefix) {
    StringBuilder b = new StringBuilder(prefix);
    for (int i = 0; i < 17; i++) {
      b.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
    }
    return b.toString();
  }

  /** The documented shape t1.<base64url>.<86 base64url characters>. */
  private static String newTokenValue() {
    byte[] head = new byte[48];
    byte[] tail = new byte[64];
    RANDOM.nextBytes(head);
    RANDOM.nextBytes(tail);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return "t1." + b64.encodeToString(head) + "." + b64.encodeToString(tail);
  }
}
