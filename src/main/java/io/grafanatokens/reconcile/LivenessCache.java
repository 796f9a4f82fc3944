package io.grafanatokens.reconcile;

import io.grafanatokens.provider.TokenInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last token list per service account, shared by the resources on it, so that the liveness
 * check costs one list call per account and interval rather than one per resource.
 */
final class LivenessCache {
  /** A list and when it was fetched. */
  record Listing(Instant fetchedAt, List<TokenInfo> tokens) {}

  private final Map<String, Listing> listings = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastChecked = new ConcurrentHashMap<>();

  Optional<Listing> fresh(String account, Instant now, Duration maxAge) {
    Listing l = listings.get(account);
    return l != null && !l.fetchedAt().plus(maxAge).isBefore(now) ? Optional.of(l) : Optional.empty();
  }

  void put(String account, Instant fetchedAt, List<TokenInfo> tokens) {
    listings.put(account, new Listing(fetchedAt, List.copyOf(tokens)));
  }

  boolean due(String uid, Instant now, Duration interval) {
    Instant last = lastChecked.get(uid);
    return last == null || !last.plus(interval).isAfter(now);
  }

  Optional<Instant> nextCheck(String uid, Duration interval) {
    return Optional.ofNullable(lastChecked.get(uid)).map(t -> t.plus(interval));
  }

  void checked(String uid, Instant now) {
    lastChecked.put(uid, now);
  }

  void forget(String uid) {
    lastChecked.remove(uid);
  }
}
