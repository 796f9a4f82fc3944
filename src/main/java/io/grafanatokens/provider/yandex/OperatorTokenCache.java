package io.grafanatokens.provider.yandex;

import io.grafanatokens.provider.ProviderException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's own IAM tokens, one per identity, reused until shortly before their expiry: the
 * token endpoints are not called on every reconcile. Held only in memory.
 */
final class OperatorTokenCache {
  private final Map<String, OperatorToken> tokens = new ConcurrentHashMap<>();
  private final Clock clock;

  OperatorTokenCache(Clock clock) {
    this.clock = clock;
  }

  /** The cached token of this identity, or a new one when it is missing or about to expire. */
  OperatorToken get(OperatorCredential credential) throws ProviderException {
    tokens.values().removeIf(t -> !t.freshAt(clock.instant()));
    OperatorToken cached = tokens.get(credential.cacheKey());
    if (cached != null) {
      return cached;
    }
    // two passes may both fetch for one identity at once; both tokens are valid, one is kept
    OperatorToken fresh = credential.obtain();
    tokens.put(credential.cacheKey(), fresh);
    return fresh;
  }

  /** Drops the token IAM just rejected (unless another pass has already replaced it). */
  void invalidate(OperatorCredential credential, OperatorToken rejected) {
    tokens.remove(credential.cacheKey(), rejected);
  }
}
