package io.grafanatokens.reconcile;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last failed issue of each resource: its backoff attempt and the earliest next attempt, and
 * the highest token-name counter found taken (so a pass never begins again at a name it found
 * taken). Lost on restart by design: a restart costs one attempt, never a lock-out (the 401 gate
 * keeps Grafana's admin safe within a run; after a restart one resource tries once).
 */
final class RetryBook {
  /** One resource's failure record. */
  record Failure(int attempts, Instant notBefore, String reason, String message, long generation) {}

  private final Map<String, Failure> failures = new ConcurrentHashMap<>();

  /** The highest token-name counter found taken at the provider: a pass never starts below it. */
  private final Map<String, Long> countersSeen = new ConcurrentHashMap<>();

  /** Tokens a delete still waiting on something has already revoked: not called again. */
  private final Map<String, java.util.Set<String>> revokedOnDelete = new ConcurrentHashMap<>();

  Optional<Failure> failure(String uid) {
    return Optional.ofNullable(failures.get(uid));
  }

  int attempts(String uid) {
    Failure f = failures.get(uid);
    return f == null ? 0 : f.attempts();
  }

  void failed(String uid, Failure f) {
    failures.put(uid, f);
  }

  void succeeded(String uid) {
    failures.remove(uid);
  }

  long highestCounterSeen(String uid) {
    return countersSeen.getOrDefault(uid, 0L);
  }

  void sawCounter(String uid, long counter) {
    countersSeen.merge(uid, counter, Math::max);
  }

  java.util.Set<String> revokedOnDelete(String uid) {
    return revokedOnDelete.computeIfAbsent(uid, k -> ConcurrentHashMap.newKeySet());
  }

  void forget(String uid) {
    failures.remove(uid);
    revokedOnDelete.remove(uid);
    countersSeen.remove(uid);
  }
}
