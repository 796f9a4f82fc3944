package io.grafanatokens.provider;

import java.time.Duration;
import java.util.List;

/**
 * Token operations on one service account, with credentials already resolved. Opening a session
 * makes no provider call; the service account is resolved on first use, once per name.
 */
public interface TokenSession {
  /**
   * Things the user should know that do not stop issuing (e.g. a password sent over plain http),
   * each a sentence for a Warning event; never key material.
   */
  default List<String> warnings() {
    return List.of();
  }

  /** True when {@link #serviceAccountId()} is known without a provider call. */
  default boolean accountResolved() {
    return true;
  }

  /** The resolved service account id, as a string; may look it up (and create it, on ISSUE). */
  String serviceAccountId() throws ProviderException;

  /** This service account's tokens. Only when {@link ProviderCapabilities#canList()}. */
  TokenListing list() throws ProviderException;

  /**
   * The tokens of another service account at the same instance (a previous token recorded under the
   * account the spec named before). Only when {@link ProviderCapabilities#canList()}.
   */
  TokenListing list(String serviceAccountId) throws ProviderException;

  /** Creates a token. Not idempotent: the caller persists the result before anything else. */
  IssuedToken create(String name, Duration lifetime) throws ProviderException;

  /** Revokes a token; a token (or service account) that is already gone counts as done. */
  RevokeOutcome revoke(String serviceAccountId, String tokenId) throws ProviderException;
}
