package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grafanatokens.secret.TokenSecretState;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The informer's view, read from the API server on every call: pass-level tests need no running
 * operator, and see the operator's writes at once. Like the informer it sees only labelled Secrets.
 */
final class ServerSecretCache implements SecretCache {
  private final KubernetesClient client;
  private final java.util.Map<String, Secret> stale =
      new java.util.concurrent.ConcurrentHashMap<>();

  ServerSecretCache(KubernetesClient client) {
    this.client = client;
  }

  /** From now on the cache answers this old copy for the Secret, as a lagging informer would. */
  void lagBehind(Secret old) {
    stale.put(old.getMetadata().getNamespace() + "/" + old.getMetadata().getName(), old);
  }

  @Override
  public Optional<Secret> get(String namespace, String name) {
    Secret old = stale.get(namespace + "/" + name);
    if (old != null) {
      return Optional.of(old);
    }
    return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get())
        .filter(TokenSecretState::isManaged);
  }

  @Override
  public List<Secret> byIndex(String index, String key) {
    var indexer = SecretCache.indexers().get(index);
    return client
        .secrets()
        .inAnyNamespace()
        .withLabel(
            io.grafanatokens.secret.SecretAnnotations.MANAGED_BY_LABEL,
            io.grafanatokens.secret.SecretAnnotations.MANAGED_BY_VALUE)
        .list()
        .getItems()
        .stream()
        .filter(s -> indexer.apply(s).contains(key))
        .toList();
  }

  @Override
  public Secret write(Secret desired, UnaryOperator<Secret> operation) {
    return operation.apply(desired);
  }

  @Override
  public void remember(Secret previous, Secret actual) {}
}
