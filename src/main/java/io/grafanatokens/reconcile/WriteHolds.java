package io.grafanatokens.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Secret writes known to fail, so that no token is minted for them again and again:
 *
 * <ul>
 *   <li>the API server refused this resource's Secret (an immutable Secret, a missing RBAC verb):
 *       no new token until the spec, the Secret or the credentials change, or 10 minutes pass;
 *   <li>an unlabelled Secret of someone else sits at the name (the informer cannot see it, a create
 *       met 409): SecretConflict, looked at again with one GET a minute;
 *   <li>a token whose Secret write had an unknown outcome, where no token list will ever show it to
 *       a sweep (Yandex IAM): settled on a later pass from the Secret as the API server has it.
 * </ul>
 */
final class WriteHolds {
  static final Duration REJECTED_FOR = Duration.ofMinutes(10);
  static final Duration FOREIGN_RECHECK = Duration.ofMinutes(1);

  /** What the refused write was made against. */
  record Rejected(
      long generation, String secretVersion, String credentials, Instant until, String message) {
    boolean holds(long generationNow, String secretVersionNow, String credentialsNow, Instant now) {
      return generation == generationNow
          && secretVersion.equals(secretVersionNow)
          && credentials.equals(credentialsNow)
          && now.isBefore(until);
    }
  }

  private final Map<String, Rejected> rejected = new ConcurrentHashMap<>();
  private final Map<String, Instant> foreign = new ConcurrentHashMap<>();
  private final Map<String, List<Unsettled>> unsettled = new ConcurrentHashMap<>();

  /**
   * A minted token that may or may not be in the Secret: its account, id and the hash of its key.
   */
  record Unsettled(String serviceAccountId, String tokenId, String keySha256) {}

  void unsettled(String uid, Unsettled u) {
    unsettled.computeIfAbsent(uid, k -> new CopyOnWriteArrayList<>()).add(u);
  }

  List<Unsettled> unsettled(String uid) {
    return unsettled.getOrDefault(uid, List.of());
  }

  void settled(String uid, Unsettled u) {
    unsettled.computeIfPresent(
        uid,
        (k, l) -> {
          l.remove(u);
          return l.isEmpty() ? null : l;
        });
  }

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
    unsettled.remove(uid);
  }
}
