package io.grafanatokens.fakes.grafana;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Grafana's service-account key format: glsa_ + 32 alphanumerics + _ + CRC-32 checksum
 * (docs/provider-apis.md#grafana-token-format).
 */
public final class GrafanaKeys {
  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final Pattern SHAPE = Pattern.compile("glsa_([0-9A-Za-z]{32})_([0-9a-f]{8})");

  private GrafanaKeys() {}

  /** A fresh key with a correct checksum. */
  public static String newKey(Random random) {
    StringBuilder secret = new StringBuilder(32);
    for (int i = 0; i < 32; i++) {
      secret.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return "glsa_" + secret + "_" + checksum(secret.toString());
  }

  /** CRC-32 (IEEE) of "glsa_" + secret, its four bytes written little-endian, as lowercase hex. */
  public static String checksum(String secret) {
    CRC32 crc = new CRC32();
    crc.update(("glsa_" + secret).getBytes(StandardCharsets.US_ASCII));
    long v = crc.getValue();
    return String.format(
        "%02x%02x%02x%02x", v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  }

  /**
   * True when the key has the glsa_ shape and its checksum matches, as Grafana checks before any
   * lookup.
   */
  public static boolean isWellFormed(String key) {
    if (key == null) {
      return false;
    }
    var m = SHAPE.matcher(key);
    return m.matches() && checksum(m.group(1)).equals(m.group(2));
  }
}
