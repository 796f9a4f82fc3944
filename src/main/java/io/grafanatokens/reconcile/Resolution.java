package io.grafanatokens.reconcile;

/**
 * A resource turned into something a pass can work with, or the reason it cannot be: checked before
 * anything else and before any provider call.
 */
sealed interface Resolution {
  /** Usable: the effective provider block and where its credentials are read. */
  record Usable(ResolvedResource res, KubernetesSecretLookup lookup) implements Resolution {}

  /**
   * Not usable (InvalidSpec, NotPermitted, ConnectionNotFound): no provider call, and — for a
   * delete — no token of it may be revoked with the operator's identity.
   */
  record Refused(String reason, String message) implements Resolution {}
}
