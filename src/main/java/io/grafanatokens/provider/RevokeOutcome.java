package io.grafanatokens.provider;

/** What a revocation did: an event says "Revoked" only when a token really stopped working. */
public enum RevokeOutcome {
  /** The provider revoked or deleted the token. */
  REVOKED,
  /** The token (or its service account) was already gone: nothing left to revoke. */
  ALREADY_GONE,
  /**
   * The provider cannot revoke it from here (a value minted before a restart): it expires by
   * itself.
   */
  LEFT_TO_EXPIRE;

  /** True when the token no longer works. */
  public boolean gone() {
    return this != LEFT_TO_EXPIRE;
  }
}
