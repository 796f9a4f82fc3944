package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grafanatokens.provider.SecretLookup;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads credential Secrets from the resource's namespace only, and remembers the resourceVersion
 * of each so that a rejected credential is not retried until its Secret changes.
 */
final class KubernetesSecretLookup implements SecretLookup {
  private final KubernetesClient client;
  private final String namespace;
  private final Map<String, String> versions = new TreeMap<>();

  KubernetesSecretLookup(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  @Override
  public Optional<Map<String, String>> data(String secretName) {
    Secret s = client.secrets().inNamespace(namespace).withName(secretName).get();
    versions.put(secretName, s == null ? "absent" : s.getMetadata().getResourceVersion());
    if (s == null) {
      return Optional.empty();
    }
    Map<String, String> out = new HashMap<>();
    if (s.getData() != null) {
      s.getData().forEach((k, v) -> out.put(k, decode(v)));
    }
    if (s.getStringData() != null) {
      out.putAll(s.getStringData());
    }
    return Optional.of(out);
  }

  /** name=resourceVersion of every Secret read so far. */
  String fingerprint() {
    return versions.toString();
  }

  private static String decode(String v) {
    try {
      return new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return v;
    }
  }
}
