package io.grafanatokens.provider.yandex;

import io.grafanatokens.secret.Hashing;

/**
 * The name of an IAM token in annotations and status (docs/reference.md#yandexcloud-specifics): IAM
 * tokens have no id, and the value itself is stored nowhere but the Secret.
 */
final class TokenHandle {
  static final String PREFIX = "sha256:";
  private static final int HEX_DIGITS = 16;

  private TokenHandle() {}

  /** "sha256:" + the first 16 hex digits of SHA-256(token). */
  static String of(String token) {
    return PREFIX + Hashing.sha256Hex(token).substring(0, HEX_DIGITS);
  }
}
