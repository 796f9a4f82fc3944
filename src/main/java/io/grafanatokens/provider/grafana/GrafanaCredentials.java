package io.grafanatokens.provider.grafana;

import io.grafanatokens.api.v1alpha1.CredentialsSecretRef;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.provider.PermanentProviderException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The credential the operator presents to Grafana, read from the credentials Secret: a bearer token
 * or a username and password. Its {@link #toString()} never shows the secret part.
 */
final class GrafanaCredentials {
  private final String secretName;
  private final boolean bearer;
  private final String authorization;

  private GrafanaCredentials(String secretName, boolean bearer, String authorization) {
    this.secretName = secretName;
    this.bearer = bearer;
    this.authorization = authorization;
  }

  /**
   * Bearer when the Secret has a non-blank tokenKey, else basic when it has both usernameKey and
   * passwordKey, else CredentialsNotFound naming the Secret and the keys looked for.
   */
  static GrafanaCredentials from(CredentialsSecretRef ref, Map<String, String> data)
      throws PermanentProviderException {
    String name = ref.getName();
    String tokenKey = orDefault(ref.getTokenKey(), CredentialsSecretRef.DEFAULT_TOKEN_KEY);
    String usernameKey = orDefault(ref.getUsernameKey(), CredentialsSecretRef.DEFAULT_USERNAME_KEY);
    String passwordKey = orDefault(ref.getPasswordKey(), CredentialsSecretRef.DEFAULT_PASSWORD_KEY);
    // Values written with `echo` or --from-file usually end in a newline, which an HTTP header
    // cannot carry; the token and username never contain surrounding whitespace in Grafana.
    String token = strip(data.get(tokenKey));
    if (token != null && !token.isEmpty()) {
      requireHeaderSafe(token, name, tokenKey);
      return new GrafanaCredentials(name, true, "Bearer " + token);
    }
    String username = strip(data.get(usernameKey));
    String password = stripNewline(data.get(passwordKey));
    if (username != null && !username.isEmpty() && password != null && !password.isEmpty()) {
      String pair = username + ":" + password;
      return new GrafanaCredentials(
          name,
          false,
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    throw new PermanentProviderException(
        Reasons.CREDENTIALS_NOT_FOUND,
        "Secret "
            + name
            + " has neither key "
            + tokenKey
            + " (bearer token) nor both keys "
            + usernameKey
            + " and "
            + passwordKey
            + " (basic auth)");
  }

  /** The Secret the credential came from, for messages. */
  String secretName() {
    return secretName;
  }

  boolean isBearer() {
    return bearer;
  }

  /** The Authorization header value; never log it. */
  String authorizationHeader() {
    return authorization;
  }

  @Override
  public String toString() {
    return "GrafanaCredentials["
        + (bearer ? "bearer" : "basic")
        + " from Secret "
        + secretName
        + ", ***]";
  }

  private static void requireHeaderSafe(String value, String secret, String key)
      throws PermanentProviderException {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      // the JDK refuses such a header with a message that quotes the value: refuse it first,
      // naming the key and never the value
      if (c < 0x20 || c == 0x7f) {
        throw new PermanentProviderException(
            Reasons.CREDENTIALS_NOT_FOUND,
            "key "
                + key
                + " of Secret "
                + secret
                + " holds control characters, which an HTTP header cannot carry");
      }
      if (c > 0xff) {
        throw new PermanentProviderException(
            Reasons.CREDENTIALS_NOT_FOUND,
            "key "
                + key
                + " of Secret "
                + secret
                + " holds characters outside Latin-1, which an HTTP header cannot "
                + "carry (a Grafana token is ASCII: was the value pasted with typographic quotes?)");
      }
    }
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }

  private static String strip(String value) {
    return value == null ? null : value.strip();
  }

  private static String stripNewline(String value) {
    if (value == null) {
      return null;
    }
    int end = value.length();
    while (end > 0 && (value.charAt(end - 1) == '\n' || value.charAt(end - 1) == '\r')) {
      end--;
    }
    return value.substring(0, end);
  }
}
