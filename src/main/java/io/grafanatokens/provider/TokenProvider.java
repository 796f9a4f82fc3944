package io.grafanatokens.provider;

import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import java.util.Optional;

/**
 * One backend that mints tokens. Implementations live in their own package and are long-lived
 * singletons; everything resource-specific arrives in the arguments.
 */
public interface TokenProvider {
  ProviderKind kind();

  ProviderCapabilities capabilities();

  /** The provider's shaping fields after defaulting and normalisation, as a canonical string. */
  String shapingFields(GrafanaServiceAccountTokenSpec spec);

  /** The base URL written under spec.secret.urlKey, when the provider has one. */
  Optional<String> baseUrl(GrafanaServiceAccountTokenSpec spec);

  /** True when the spec asks for the operator's own identity (docs/reference.md#ambient-credentials). */
  boolean usesAmbientCredentials(GrafanaServiceAccountTokenSpec spec);

  /**
   * Resolves credentials and the service account (looking it up or creating it when asked) and
   * returns a session bound to it.
   */
  TokenSession open(GrafanaServiceAccountTokenSpec spec, SecretLookup secrets) throws ProviderException;
}
