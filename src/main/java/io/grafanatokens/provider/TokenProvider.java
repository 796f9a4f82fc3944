package io.grafanatokens.provider;

import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import java.util.List;
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

  /**
   * Where a token id means something (docs/reference.md#which-tokens-may-be-deleted): the instance,
   * not the other shaping fields, normalised like them, as a canonical string. A token recorded at
   * another location is never deleted here.
   */
  String locationFields(GrafanaServiceAccountTokenSpec spec);

  /** The base URL written under spec.secret.urlKey, when the provider has one. */
  Optional<String> baseUrl(GrafanaServiceAccountTokenSpec spec);

  /**
   * Facts worth a line in the Ready message that call for no action from the operator (e.g. the
   * service account's role differs from the one asked for at creation), known without a call.
   */
  default List<String> notes(GrafanaServiceAccountTokenSpec spec) {
    return List.of();
  }

  /**
   * True when the spec asks for the operator's own identity
   * (docs/reference.md#ambient-credentials).
   */
  boolean usesAmbientCredentials(GrafanaServiceAccountTokenSpec spec);

  /**
   * One cheap authenticated read that tells whether a connection's credentials work, for its status
   * (docs/reference.md#connection-status); the spec holds the connection's block, which names no
   * service account.
   */
  void probe(GrafanaServiceAccountTokenSpec connection, SecretLookup secrets)
      throws ProviderException;

  /**
   * Resolves credentials (reading their Secrets through {@code secrets}) and returns a session
   * bound to the spec's service account. Makes no provider call: a missing or unusable credential
   * fails here, a refused one at the first call.
   */
  TokenSession open(
      GrafanaServiceAccountTokenSpec spec, SecretLookup secrets, SessionPurpose purpose)
      throws ProviderException;
}
