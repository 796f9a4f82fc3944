package io.grafanatokens.reconcile;

import io.grafanatokens.provider.ProviderException;
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

  /** Lists an account's tokens. */
  interface Lister {
    List<TokenInfo> list() throws ProviderException;
  }

  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  /**
   * The account's tokens as listed within maxAge and after {@code notBefore}, listing them once
   * when there is no such listing: resources reconciled at the same time wait for one call.
   */
  List<TokenInfo> tokens(String account, Instant now, Duration maxAge, Instant notBefore, Lister lister)
      throws ProviderException {
    synchronized (locks.computeIfAbsent(account, k -> new Object())) {
      Listing l = listings.get(account);
      if (l != null && !l.fetchedAt().plus(maxAge).isBefore(now) && (notBefore == null || l.fetchedAt().isAfter(notBefore))) {
        return l.tokens();
      }
      List<TokenInfo> tokens = lister.list();
      put(account, now, tokens);
      return tokens;
    }
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
