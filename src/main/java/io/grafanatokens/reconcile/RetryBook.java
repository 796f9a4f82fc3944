package io.grafanatokens.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory memory of failures per resource: the backoff attempt, the earliest next attempt, the
 * credentials a 401 was given for, and recent re-issues for a deleted Secret. Lost on restart by
 * design: a restart costs one attempt, never a lock-out.
 */
final class RetryBook {
  /** One resource's failure record. */
  record Failure(int attempts, Instant notBefore, String reason, String message, long generation, String credentials) {}

  private final Map<String, Failure> failures = new ConcurrentHashMap<>();
  private final Map<String, Deque<Instant>> secretMissingIssues = new ConcurrentHashMap<>();
  private final Map<String, java.util.Set<String>> warned = new ConcurrentHashMap<>();

  /** True the first time this warning is seen for the resource (since the operator started). */
  boolean firstWarning(String uid, String warning) {
    return warned.computeIfAbsent(uid, k -> ConcurrentHashMap.newKeySet()).add(warning);
  }

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

  void forget(String uid) {
    failures.remove(uid);
    secretMissingIssues.remove(uid);
    warned.remove(uid);
  }

  /**
   * api.md: a deleted Secret is re-issued at most 3 times an hour. Returns when the next one is
   * allowed, or empty when it is allowed now.
   */
  Optional<Instant> secretMissingAllowedAt(String uid, Instant now) {
    Deque<Instant> d = secretMissingIssues.getOrDefault(uid, new ArrayDeque<>());
    synchronized (d) {
      d.removeIf(t -> !t.isAfter(now.minus(Duration.ofHours(1))));
      return d.size() < 3 ? Optional.empty() : Optional.of(d.peekFirst().plus(Duration.ofHours(1)));
    }
  }

  void secretMissingIssued(String uid, Instant now) {
    Deque<Instant> d = secretMissingIssues.computeIfAbsent(uid, k -> new ArrayDeque<>());
    synchronized (d) {
      d.addLast(now);
    }
  }
}
