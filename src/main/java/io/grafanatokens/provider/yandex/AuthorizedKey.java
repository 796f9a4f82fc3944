package io.grafanatokens.provider.yandex;

import com.fasterxml.jackson.databind.JsonNode;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.provider.PermanentProviderException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A service-account authorized key as `yc iam key create` writes it (snake_case) or the REST API
 * returns it (camelCase). {@link #toString()} never shows the private key.
 *
 * @param fingerprint SHA-256 of the private key's encoding: the operator's cached token belongs to
 *     the key itself, not to a key id someone could copy into another Secret
 */
record AuthorizedKey(
    String id, String serviceAccountId, PrivateKey privateKey, String fingerprint) {
  private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String END = "-----END PRIVATE KEY-----";
  private static final String BEGIN_PKCS1 = "-----BEGIN RSA PRIVATE KEY-----";

  /**
   * Parses the key file's JSON. The private_key value starts with a "PLEASE DO NOT REMOVE THIS
   * LINE! Yandex.Cloud SA Key ID ..." marker line before the PEM block; only the base64 between the
   * PEM boundaries is read.
   *
   * @param where names the Secret and data key, for messages
   */
  static AuthorizedKey parse(String json, String where) throws PermanentProviderException {
    JsonNode root;
    try {
      root = YandexHttp.JSON.readTree(json.strip());
    } catch (IOException e) {
      // the parser's message may quote the input, which is key material: leave it out
      throw invalid(where, "is not JSON (expected the file written by yc iam key create)");
    }
    if (root == null || !root.isObject()) {
      throw invalid(where, "is not a JSON object (expected the file written by yc iam key create)");
    }
    String id = field(root, "id", "id", where);
    String account = field(root, "service_account_id", "serviceAccountId", where);
    String pem = field(root, "private_key", "privateKey", where);
    PrivateKey key = privateKey(pem, where);
    return new AuthorizedKey(id, account, key, HexFormat.of().formatHex(sha256(key.getEncoded())));
  }

  private static String field(JsonNode root, String snake, String camel, String where)
      throws PermanentProviderException {
    JsonNode v = root.hasNonNull(snake) ? root.get(snake) : root.get(camel);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw invalid(where, "has no field " + snake + " (or " + camel + ")");
    }
    return v.asText().strip();
  }

  private static PrivateKey privateKey(String pem, String where) throws PermanentProviderException {
    if (pem.contains(BEGIN_PKCS1)) {
      throw invalid(
          where,
          "holds a PKCS#1 key (BEGIN RSA PRIVATE KEY); use the PKCS#8 key yc iam key create "
              + "writes, or convert it with openssl pkcs8 -topk8 -nocrypt");
    }
    int begin = pem.indexOf(BEGIN);
    int end = pem.indexOf(END);
    if (begin < 0 || end < begin) {
      throw invalid(where, "has a private_key without a -----BEGIN PRIVATE KEY----- block");
    }
    String base64 = pem.substring(begin + BEGIN.length(), end).replaceAll("\\s", "");
    try {
      byte[] der = Base64.getDecoder().decode(base64);
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw invalid(where, "has a private_key that is not an RSA private key in PKCS#8");
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static PermanentProviderException invalid(String where, String what) {
    return new PermanentProviderException(
        Reasons.CREDENTIALS_NOT_FOUND,
        where + " " + what + ": it must hold a Yandex authorized key");
  }

  @Override
  public String toString() {
    return "AuthorizedKey[id="
        + id
        + ", serviceAccountId="
        + serviceAccountId
        + ", privateKey=***]";
  }
}
