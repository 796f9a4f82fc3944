package io.grafanatokens.provider;

import java.time.Instant;

/**
 * A freshly created token. The key is shown only here, so {@link #toString()} never prints it.
 *
 * @param issuedAt when the create was sent (our clock)
 * @param expiresAt the expiry: the estimate send time + lifetime, or the provider's answer
 * @param lifetimeFromProvider true when expiresAt came from the provider's response
 */
public record IssuedToken(
    String id,
    String name,
    String key,
    String serviceAccountId,
    Instant issuedAt,
    Instant expiresAt,
    boolean lifetimeFromProvider) {
  @Override
  public String toString() {
    return "IssuedToken[id="
        + id
        + ", name="
        + name
        + ", serviceAccountId="
        + serviceAccountId
        + ", expiresAt="
        + expiresAt
        + ", key=***]";
  }
}
