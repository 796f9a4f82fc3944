package io.grafanatokens.provider.yandex;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The IAM token values this operator minted, by handle, kept only in memory and only until they
 * expire: Yandex revokes by value, and the value is stored nowhere but the Secret. After a restart
 * the map is empty and previous tokens are left to expire (at most 12 h).
 */
final class IssuedTokenValues {
  /**
   * Where a value came from. A session revokes only values it could have minted itself, so that a
   * handle copied into another resource's annotations never sends a value to another endpoint.
   */
  record Origin(String iamEndpoint, String serviceAccountId) {}

  /** A remembered value; {@link #toString()} never shows it. */
  record Remembered(String value, Origin origin, Instant expiresAt, Set<String> holders) {
    /** IAM hands the same young token to every caller: more than one resource may hold it. */
    boolean heldByMoreThanOneResource() {
      return holders.size() > 1;
    }

    @Override
    public String toString() {
      return "Remembered[origin="
          + origin
          + ", expiresAt="
          + expiresAt
          + ", holders="
          + holders
          + ", value=***]";
    }
  }

  private final Map<String, Remembered> byHandle = new HashMap<>();

  /**
   * Records a value just minted.
   *
   * @param holder the resource it was minted for (its token-name prefix)
   */
  synchronized void remember(
      String handle, String value, Origin origin, Instant expiresAt, String holder) {
    Remembered known = byHandle.get(handle);
    Set<String> holders = new HashSet<>(known == null ? Set.of() : known.holders());
    holders.add(holder);
    Instant expiry =
        known != null && known.expiresAt().isAfter(expiresAt) ? known.expiresAt() : expiresAt;
    byHandle.put(handle, new Remembered(value, origin, expiry, Set.copyOf(holders)));
  }

  /** The value behind a handle, when it is remembered (call {@link #dropExpired} first). */
  synchronized Optional<Remembered> get(String handle) {
    return Optional.ofNullable(byHandle.get(handle));
  }

  synchronized void forget(String handle) {
    byHandle.remove(handle);
  }

  /** Drops every value that has expired: an expired token needs no revocation. */
  synchronized void dropExpired(Instant now) {
    byHandle.values().removeIf(r -> !r.expiresAt().isAfter(now));
  }

  synchronized int size() {
    return byHandle.size();
  }
}
