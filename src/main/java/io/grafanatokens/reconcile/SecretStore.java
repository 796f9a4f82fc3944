package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.grafanatokens.secret.TokenSecretState;
import java.util.List;
import java.util.Optional;

/**
 * Reads and writes the operator's Secrets: from the label-filtered cache, from the API server only
 * where the cache cannot know (right before a rotation's create, after a write whose outcome is
 * unknown), and writes conditional on the resourceVersion they were read at.
 */
public final class SecretStore {
  private final KubernetesClient client;
  private final SecretCache cache;

  public SecretStore(KubernetesClient client, SecretCache cache) {
    this.client = client;
    this.cache = cache;
  }

  /** The Secret as the cache knows it; an unlabelled Secret of someone else is not seen here. */
  public Optional<Secret> cached(String namespace, String name) {
    return cache.get(namespace, name);
  }

  /** The Secret as the API server has it now. */
  public Secret readFromServer(String namespace, String name) {
    return client.secrets().inNamespace(namespace).withName(name).get();
  }

  /**
   * Creates the Secret, or updates it conditionally on the resourceVersion it was read at: a
   * concurrent change fails with 409 instead of being overwritten.
   */
  public Secret write(Secret existing, Secret desired) {
    if (existing == null) {
      desired.getMetadata().setResourceVersion(null);
      return cache.write(desired, s -> client.resource(s).create());
    }
    desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
    return cache.write(desired, s -> client.resource(s).update());
  }

  /** Tells the cache about a Secret read back after a write whose answer was lost. */
  public void remember(Secret previous, Secret actual) {
    cache.remember(previous, actual);
  }

  public void delete(Secret secret) {
    try {
      client.resource(secret).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** The managed Secrets this resource controls, whatever their name. */
  public List<Secret> ownedBy(String ownerUid) {
    return cache.byIndex(SecretCache.OWNER_INDEX, ownerUid);
  }

  /**
   * True when a managed Secret of another resource holds the token named by this index key
   * (docs/reference.md#which-tokens-may-be-deleted): this resource's own Secrets never count, so a
   * half-done move cannot pin a token.
   */
  public boolean heldByOthers(String ownerUid, String holderKey) {
    return cache.byIndex(SecretCache.HOLDER_INDEX, holderKey).stream()
        .anyMatch(s -> !TokenSecretState.controllerUid(s).map(ownerUid::equals).orElse(false));
  }

  /** The API server refuses new content because the namespace is being deleted. */
  public static boolean namespaceTerminating(KubernetesClientException e) {
    return e.getCode() == 403
        && e.getMessage() != null
        && e.getMessage().contains("being terminated");
  }
}
