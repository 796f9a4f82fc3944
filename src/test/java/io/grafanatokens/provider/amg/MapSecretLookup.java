package io.grafanatokens.provider.amg;

import io.grafanatokens.provider.SecretLookup;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Secrets of one namespace held in memory, for provider tests without a cluster. */
final class MapSecretLookup implements SecretLookup {
  private final Map<String, Map<String, String>> secrets = new HashMap<>();

  MapSecretLookup with(String name, Map<String, String> data) {
    secrets.put(name, Map.copyOf(data));
    return this;
  }

  @Override
  public Optional<Map<String, String>> data(String secretName) {
    return Optional.ofNullable(secrets.get(secretName));
  }
}
