package io.grafanatokens.provider;

/**
 * What a provider can do beyond issuing; the reconciler branches on these, never on the kind.
 *
 * @param canList the provider lists a service account's tokens (real expiry, liveness, sweep)
 * @param tokensHaveIds tokens have ids of their own; otherwise the handle is derived from the
 *     value, the same value may be handed to several callers (a same-token answer is no rotation)
 *     and "held by another Secret" is decided by the key's hash
 * @param revokesPreviousByDefault a previous token is revoked after the default grace period;
 *     otherwise it is left to expire unless spec.rotation.gracePeriod is set explicitly
 * @param decidesLifetime the provider, not spec.secondsToLive, decides how long a token lives
 */
public record ProviderCapabilities(
    boolean canList,
    boolean tokensHaveIds,
    boolean revokesPreviousByDefault,
    boolean decidesLifetime) {

  /** Grafana and AMG: listable tokens with ids, revoked after the grace period. */
  public static final ProviderCapabilities LISTED_TOKENS =
      new ProviderCapabilities(true, true, true, false);

  /** Yandex IAM: unlisted values whose lifetime the service decides. */
  public static final ProviderCapabilities UNLISTED_VALUES =
      new ProviderCapabilities(false, false, false, true);
}
