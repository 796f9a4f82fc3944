package io.grafanatokens.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Triggers that no annotation records: a token the liveness check found gone (remembered until a
 * token is issued for it, docs/reference.md#when-a-new-token-is-issued) and the recent re-issues
 * for a deleted Secret (at most 3 an hour). Losing them on restart is safe: the next liveness check
 * finds the dead token again, and a restart allows three more re-issues at worst.
 */
final class TriggerBook {
  static final int SECRET_MISSING_PER_HOUR = 3;

  private final Map<String, String> goneTokens = new ConcurrentHashMap<>();
  private final Map<String, Deque<Instant>> secretMissingIssues = new ConcurrentHashMap<>();

  void tokenGone(String uid, String tokenId) {
    goneTokens.put(uid, tokenId);
  }

  /** True while the token the Secret holds is the one found gone. */
  boolean isGone(String uid, String tokenId) {
    return tokenId != null && tokenId.equals(goneTokens.get(uid));
  }

  /** A new token is in the Secret: the dead one is no longer a trigger. */
  void issued(String uid) {
    goneTokens.remove(uid);
  }

  /** When the next re-issue for a deleted Secret is allowed; empty when it is allowed now. */
  Optional<Instant> secretMissingAllowedAt(String uid, Instant now) {
    Deque<Instant> d = secretMissingIssues.get(uid);
    if (d == null) {
      return Optional.empty();
    }
    synchronized (d) {
      d.removeIf(t -> !t.isAfter(now.minus(Duration.ofHours(1))));
      return d.size() < SECRET_MISSING_PER_HOUR
          ? Optional.empty()
          : Optional.of(d.peekFirst().plus(Duration.ofHours(1)));
    }
  }

  void secretMissingIssued(String uid, Instant now) {
    Deque<Instant> d = secretMissingIssues.computeIfAbsent(uid, k -> new ArrayDeque<>());
    synchronized (d) {
      d.addLast(now);
    }
  }

  void forget(String uid) {
    goneTokens.remove(uid);
    secretMissingIssues.remove(uid);
  }
}
