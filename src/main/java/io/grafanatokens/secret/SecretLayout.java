package io.grafanatokens.secret;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where and how the key is written: spec.secret after defaulting.
 *
 * @param urlValue the base URL written under urlKey, or null
 */
public record SecretLayout(
    String namespace,
    String name,
    String key,
    String urlKey,
    String urlValue,
    Map<String, String> labels,
    Map<String, String> annotations) {
  public SecretLayout {
    labels = labels == null ? Map.of() : new TreeMap<>(labels);
    annotations = annotations == null ? Map.of() : new TreeMap<>(annotations);
    urlKey = urlKey == null || urlKey.isEmpty() ? null : urlKey;
  }
}
