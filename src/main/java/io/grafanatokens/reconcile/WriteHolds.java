package io.grafanatokens.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Secret writes known to fail, so that no token is minted for them again and again:
 * <ul>
 *   <li>the API server refused this resource's Secret (an immutable Secret, a missing RBAC verb):
 *       no new token until the spec, the Secret or the credentials change, or 10 minutes pass;
 *   <li>an unlabelled Secret of someone else sits at the name (the informer cannot see it, a
 *       create met 409): SecretConflict, looked at again with one GET a minute.
 * </ul>
 */
final class WriteHolds {
  static final Duration REJECTED_FOR = Duration.ofMinutes(10);
  static final Duration FOREIGN_RECHECK = Duration.ofMinutes(1);

  /** What the refused write was made against. */
  record Rejected(long generation, String secretVersion, String credentials, Instant until, String message) {
    boolean holds(long generationNow, String secretVersionNow, String credentialsNow, Instant now) {
      return generation == generationNow && secretVersion.equals(secretVersionNow) && credentials.equals(credentialsNow)
          && now.isBefore(until);
    }
  }

  private final Map<String, Rejected> rejected = new ConcurrentHashMap<>();
  private final Map<String, Instant> foreign = new ConcurrentHashMap<>();

  void rejected(String uid, Rejected r) {
    rejected.put(uid, r);
  }

  Optional<Rejected> rejection(String uid) {
    return Optional.ofNullable(rejected.get(uid));
  }

  void written(String uid) {
    rejected.remove(uid);
  }

  void foreign(String namespace, String name, Instant checkedAt) {
    foreign.put(namespace + "/" + name, checkedAt);
  }

  /** When a foreign Secret was last seen at the name; empty when none is known. */
  Optional<Instant> foreignSeenAt(String namespace, String name) {
    return Optional.ofNullable(foreign.get(namespace + "/" + name));
  }

  void notForeign(String namespace, String name) {
    foreign.remove(namespace + "/" + name);
  }

  void forget(String uid) {
    rejected.remove(uid);
  }
}
