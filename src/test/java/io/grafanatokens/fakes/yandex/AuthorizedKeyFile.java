package io.grafanatokens.fakes.yandex;

import java.security.interfaces.RSAPublicKey;

/**
 * An authorized key the fake generated, as `yc iam key create -o key.json` writes it (snake_case,
 * private_key starting with the "PLEASE DO NOT REMOVE THIS LINE!" marker) and as the REST API
 * returns it (camelCase). {@link #toString()} never shows the key.
 */
public record AuthorizedKeyFile(
    String keyId,
    String serviceAccountId,
    RSAPublicKey publicKey,
    String json,
    String camelCaseJson) {
  @Override
  public String toString() {
    return "AuthorizedKeyFile[keyId="
        + keyId
        + ", serviceAccountId="
        + serviceAccountId
        + ", json=***]";
  }
}
