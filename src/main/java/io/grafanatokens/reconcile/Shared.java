package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/**
 * What the token controller and the connection controllers share: one read of a credentials Secret
 * and one 401 gate per Secret for all of them, the Namespace watch, the tokens-by-connection index.
 */
public record Shared(
    Namespaces namespaces,
    TokensByConnection tokens,
    CredentialSecrets credentials,
    CredentialGate gate) {
  public static Shared create(KubernetesClient client, Clock clock) {
    return new Shared(
        new Namespaces(client, clock),
        new TokensByConnection(),
        new CredentialSecrets(client, clock),
        new CredentialGate());
  }
}
