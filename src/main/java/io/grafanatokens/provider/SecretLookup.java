package io.grafanatokens.provider;

import java.util.Map;
import java.util.Optional;

/** Reads Secrets of the resource's namespace for a provider's credentials. */
public interface SecretLookup {
  /** The decoded data of a Secret, or empty when it does not exist. */
  Optional<Map<String, String>> data(String secretName);
}
