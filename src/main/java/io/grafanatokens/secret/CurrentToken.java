package io.grafanatokens.secret;

import java.time.Instant;

/**
 * The token consumers hold, as recorded on the Secret. {@link #toString()} never prints the key.
 *
 * @param key the key itself; only ever written into the Secret's data
 * @param targetHash the shaping fields it was issued for: whether a new token is needed
 * @param location where its id means something, hence where it may be deleted; null when it was
 *     recorded before locations were
 */
public record CurrentToken(
    String tokenId,
    String tokenName,
    String serviceAccountId,
    Instant issuedAt,
    Instant expiresAt,
    String key,
    String targetHash,
    String location) {

  public CurrentToken withExpiresAt(Instant newExpiresAt) {
    return new CurrentToken(
        tokenId, tokenName, serviceAccountId, issuedAt, newExpiresAt, key, targetHash, location);
  }

  @Override
  public String toString() {
    return "CurrentToken[id="
        + tokenId
        + ", name="
        + tokenName
        + ", serviceAccountId="
        + serviceAccountId
        + ", expiresAt="
        + expiresAt
        + ", key=***]";
  }
}
