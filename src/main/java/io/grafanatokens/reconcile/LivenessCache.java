package io.grafanatokens.reconcile;

import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.TokenInfo;
import io.grafanatokens.provider.TokenListing;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The last token list per service account, shared by the resources on it, so that the liveness
 * check costs one list call per account and interval rather than one per resource; and what is
 * needed to trust a listing about a token: its request must have been sent after the token's create
 * was answered, or a token created a moment ago would be reported gone. The order is kept with a
 * counter, not the clock, which may stand still or step back.
 */
final class LivenessCache {
  /** A listing, when it was fetched and the order in which its request was sent. */
  record Listing(Instant fetchedAt, long sent, TokenListing tokens, Map<String, String> names) {
    Listing(Instant fetchedAt, long sent, TokenListing tokens) {
      this(
          fetchedAt,
          sent,
          tokens,
          tokens.tokens().stream()
              .filter(t -> t.id() != null && t.name() != null)
              .collect(
                  java.util.stream.Collectors.toUnmodifiableMap(
                      TokenInfo::id, TokenInfo::name, (a, b) -> a)));
    }
  }

  /** Lists an account's tokens. */
  interface Lister {
    TokenListing list() throws ProviderException;
  }

  private final AtomicLong order = new AtomicLong();
  private final Map<String, Listing> listings = new ConcurrentHashMap<>();

  /** Per account: tokens created since its last listing, and when (in {@link #order}). */
  private final Map<String, Map<String, Long>> created = new ConcurrentHashMap<>();

  private final Map<String, Instant> lastChecked = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  /**
   * The account's tokens as listed within maxAge by a request sent after {@code tokenId} was
   * created, listing them once when there is no such listing: resources reconciled together wait
   * for one call. Tokens created before this process started count as created before any listing.
   */
  TokenListing tokens(String account, String tokenId, Instant now, Duration maxAge, Lister lister)
      throws ProviderException {
    long createdOrder = created.getOrDefault(account, Map.of()).getOrDefault(tokenId, 0L);
    synchronized (locks.computeIfAbsent(account, k -> new Object())) {
      Listing l = listings.get(account);
      if (l != null && l.fetchedAt().plus(maxAge).isAfter(now) && l.sent() > createdOrder) {
        return l.tokens();
      }
      long ticket = beforeList();
      TokenListing tokens = lister.list();
      put(account, now, ticket, tokens);
      return tokens;
    }
  }

  /**
   * The token's name in the last listing of its account; empty when that listing lacks it (or there
   * is none).
   */
  Optional<String> listedName(String account, String tokenId) {
    Listing l = listings.get(account);
    return l == null ? Optional.empty() : Optional.ofNullable(l.names().get(tokenId));
  }

  /** Taken right before a list request is sent; pass it to {@link #put}. */
  long beforeList() {
    return order.incrementAndGet();
  }

  void put(String account, Instant fetchedAt, long ticket, TokenListing tokens) {
    listings.merge(
        account, new Listing(fetchedAt, ticket, tokens), (a, b) -> b.sent() < a.sent() ? a : b);
    // a listing sent after a create answers for that token from now on: forget the create
    Map<String, Long> since = created.get(account);
    if (since != null) {
      since.values().removeIf(order -> order < ticket);
    }
  }

  /** A token this process created: called once its create was answered. */
  void created(String account, String tokenId) {
    created
        .computeIfAbsent(account, k -> new ConcurrentHashMap<>())
        .put(tokenId, order.incrementAndGet());
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
