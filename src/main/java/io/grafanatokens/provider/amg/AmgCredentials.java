package io.grafanatokens.provider.amg;

import io.grafanatokens.api.v1alpha1.NamedSecretRef;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.provider.SecretLookup;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The AWS credentials one resource signs with: static keys from its credentials Secret, or the
 * operator's own identity. {@link #identity()} tells clients apart without holding the secret in
 * clear; {@link #toString()} never shows key material.
 */
final class AmgCredentials {
  static final String ACCESS_KEY_ID = "accessKeyId";
  static final String SECRET_ACCESS_KEY = "secretAccessKey";
  static final String SESSION_TOKEN = "sessionToken";

  private final AwsCredentialsProvider provider;
  private final String identity;
  private final String secretName;
  private final String accessKeyId;

  private AmgCredentials(
      AwsCredentialsProvider provider, String identity, String secretName, String accessKeyId) {
    this.provider = provider;
    this.identity = identity;
    this.secretName = secretName;
    this.accessKeyId = accessKeyId;
  }

  /** The operator's own identity (docs/reference.md#ambient-credentials). */
  static AmgCredentials ambient(AwsCredentialsProvider provider) {
    return new AmgCredentials(provider, "ambient", null, null);
  }

  /**
   * Keys accessKeyId, secretAccessKey and optional sessionToken of the Secret; CredentialsNotFound
   * naming the Secret and every key missing.
   */
  static AmgCredentials fromSecret(NamedSecretRef ref, SecretLookup secrets)
      throws PermanentProviderException {
    String name = ref.getName();
    Optional<Map<String, String>> data = secrets.data(name);
    if (data.isEmpty()) {
      throw new PermanentProviderException(
          Reasons.CREDENTIALS_NOT_FOUND,
          "credentials Secret "
              + name
              + " (spec.amazonManagedGrafana.credentialsSecretRef) not found");
    }
    // kubectl create secret --from-file and `echo` leave a newline; AWS keys never hold whitespace
    String accessKeyId = strip(data.get().get(ACCESS_KEY_ID));
    String secretAccessKey = strip(data.get().get(SECRET_ACCESS_KEY));
    String sessionToken = strip(data.get().get(SESSION_TOKEN));
    List<String> missing = new ArrayList<>();
    if (accessKeyId == null || accessKeyId.isEmpty()) {
      missing.add(ACCESS_KEY_ID);
    }
    if (secretAccessKey == null || secretAccessKey.isEmpty()) {
      missing.add(SECRET_ACCESS_KEY);
    }
    if (!missing.isEmpty()) {
      throw new PermanentProviderException(
          Reasons.CREDENTIALS_NOT_FOUND,
          "credentials Secret "
              + name
              + " has no key "
              + String.join(" and no key ", missing)
              + " (expected "
              + ACCESS_KEY_ID
              + ", "
              + SECRET_ACCESS_KEY
              + " and optionally "
              + SESSION_TOKEN
              + ")");
    }
    requireHeaderSafe(name, ACCESS_KEY_ID, accessKeyId);
    boolean session = sessionToken != null && !sessionToken.isEmpty();
    if (session) {
      requireHeaderSafe(name, SESSION_TOKEN, sessionToken);
    }
    AwsCredentials credentials =
        session
            ? AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken)
            : AwsBasicCredentials.create(accessKeyId, secretAccessKey);
    String identity =
        "static:"
            + accessKeyId
            + ":"
            + sha256(secretAccessKey + "\n" + (session ? sessionToken : ""));
    return new AmgCredentials(
        StaticCredentialsProvider.create(credentials), identity, name, accessKeyId);
  }

  AwsCredentialsProvider provider() {
    return provider;
  }

  /**
   * Equal for equal credentials: part of the client cache key (a hash stands in for the secret).
   */
  String identity() {
    return identity;
  }

  /** The credentials Secret; null for the operator's own identity. */
  String secretName() {
    return secretName;
  }

  /**
   * The access key id from the Secret (an identifier, not a secret); null for the operator's own
   * identity.
   */
  String accessKeyId() {
    return accessKeyId;
  }

  @Override
  public String toString() {
    return "AmgCredentials["
        + (secretName == null ? "ambient" : accessKeyId + " from Secret " + secretName)
        + ", ***]";
  }

  private static void requireHeaderSafe(String secret, String key, String value)
      throws PermanentProviderException {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c == 0x7f) {
        throw new PermanentProviderException(
            Reasons.CREDENTIALS_NOT_FOUND,
            "key "
                + key
                + " of Secret "
                + secret
                + " holds whitespace or control characters, which an AWS "
                + "signature cannot carry");
      }
    }
  }

  private static String strip(String value) {
    return value == null ? null : value.strip();
  }

  private static String sha256(String text) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
