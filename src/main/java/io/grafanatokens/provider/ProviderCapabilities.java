package io.grafanatokens.provider;

/**
 * What a provider can do beyond issuing.
 *
 * @param canList the provider lists a service account's tokens (real expiry, liveness, sweep)
 * @param tokensHaveIds tokens have ids; otherwise the handle is derived from the value
 */
public record ProviderCapabilities(boolean canList, boolean tokensHaveIds) {}
