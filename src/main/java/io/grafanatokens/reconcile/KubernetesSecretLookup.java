package io.grafanatokens.reconcile;

import io.grafanatokens.provider.SecretLookup;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads one resource's credential Secrets, from the namespace its provider block may read (its
 * own), through the shared {@link CredentialSecrets}; remembers the resourceVersion of each so that
 * a rejected credential is not retried until its Secret changes.
 */
final class KubernetesSecretLookup implements SecretLookup {
  private final CredentialSecrets secrets;
  private final String namespace;
  private final Map<String, String> versions = new TreeMap<>();

  KubernetesSecretLookup(CredentialSecrets secrets, String namespace) {
    this.secrets = secrets;
    this.namespace = namespace;
  }

  @Override
  public Optional<Map<String, String>> data(String secretName) {
    CredentialSecrets.Snapshot s = secrets.read(namespace, secretName);
    versions.put(secretName, s.version());
    return s.data();
  }

  /** The resourceVersion a Secret had when read by this lookup (reading it if it was not). */
  String version(String secretName) {
    return versions.computeIfAbsent(secretName, n -> secrets.read(namespace, n).version());
  }

  /**
   * The version this lookup read, else the last one any lookup read, else a read now: enough to
   * tell whether a credential is known to work without a call in every pass.
   */
  String knownVersion(String secretName) {
    String v = versions.get(secretName);
    return v != null
        ? v
        : secrets.lastVersion(namespace, secretName).orElseGet(() -> version(secretName));
  }

  String namespace() {
    return namespace;
  }

  /** The credential was refused: read it afresh next time. */
  void forget(String secretName) {
    secrets.forget(namespace, secretName);
  }
}
