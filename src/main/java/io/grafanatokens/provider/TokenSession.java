package io.grafanatokens.provider;

import java.time.Duration;
import java.util.List;

/** Token operations on one service account, with credentials already resolved. */
public interface TokenSession {
  /**
   * Things the user should know that do not stop issuing (e.g. a password sent over plain
   * http), each a sentence for a Warning event; never key material.
   */
  default List<String> warnings() {
    return List.of();
  }

  /** The resolved service account id, as a string. */
  String serviceAccountId();

  /** This service account's tokens. Only when {@link ProviderCapabilities#canList()}. */
  List<TokenInfo> list() throws ProviderException;

  /** Creates a token. Not idempotent: the caller persists the result before anything else. */
  IssuedToken create(String name, Duration lifetime) throws ProviderException;

  /** Revokes a token; a token that is already gone counts as done. */
  void revoke(String serviceAccountId, String tokenId) throws ProviderException;
}
