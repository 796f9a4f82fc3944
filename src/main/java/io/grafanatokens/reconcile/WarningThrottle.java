package io.grafanatokens.reconcile;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Warning event per reason at the 1st, 2nd, 4th, 8th ... occurrence in a row: a failure retried
 * every few seconds for an hour writes a dozen events, not a thousand. Some warnings are worth
 * saying once per run only (a password sent over plain http).
 */
final class WarningThrottle {
  private final Map<String, Map<String, Integer>> counts = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> said = new ConcurrentHashMap<>();

  /** Counts one occurrence; true when this one deserves an event. */
  boolean occurred(String uid, String reason) {
    int n =
        counts.computeIfAbsent(uid, k -> new ConcurrentHashMap<>()).merge(reason, 1, Integer::sum);
    return Integer.bitCount(n) == 1;
  }

  /** True the first time this warning is seen for the resource in this run. */
  boolean once(String uid, String warning) {
    return said.computeIfAbsent(uid, k -> ConcurrentHashMap.newKeySet()).add(warning);
  }

  /** The resource got a token: the next failure warns from its first occurrence again. */
  void recovered(String uid) {
    counts.remove(uid);
  }

  void forget(String uid) {
    counts.remove(uid);
    said.remove(uid);
  }
}
