package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.grafanatokens.secret.SecretAnnotations;
import io.grafanatokens.secret.TokenSecretState;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads and writes the operator's Secrets: from the label-filtered informer cache, from the API
 * server when the cache cannot know (an unlabelled Secret of someone else, an unknown write
 * outcome), and writes that tell the informer about themselves so the next reconcile sees them.
 */
public final class SecretStore {
  private final KubernetesClient client;
  private final Supplier<InformerEventSource<Secret, ?>> informer;

  public SecretStore(KubernetesClient client, Supplier<InformerEventSource<Secret, ?>> informer) {
    this.client = client;
    this.informer = informer;
  }

  /** The Secret as the cache knows it, or as the API server has it when the cache has none. */
  public TokenSecretState read(String namespace, String name, String ownerUid) {
    Optional<Secret> cached = informer.get().get(new ResourceID(name, namespace));
    if (cached.isPresent()) {
      return TokenSecretState.of(cached.get(), ownerUid);
    }
    return TokenSecretState.of(readFromServer(namespace, name), ownerUid);
  }

  /** The Secret as the API server has it now (after a write whose outcome is unknown). */
  public Secret readFromServer(String namespace, String name) {
    return client.secrets().inNamespace(namespace).withName(name).get();
  }

  /**
   * Creates the Secret, or updates it conditionally on the resourceVersion it was read at: a
   * concurrent change fails with 409 instead of being overwritten.
   */
  public Secret write(Secret existing, Secret desired) {
    InformerEventSource<Secret, ?> ies = informer.get();
    if (existing == null) {
      desired.getMetadata().setResourceVersion(null);
      return ies.eventFilteringUpdateAndCacheResource(desired, s -> client.resource(s).create());
    }
    desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
    return ies.eventFilteringUpdateAndCacheResource(desired, s -> client.resource(s).update());
  }

  /** Tells the informer about a Secret read back after a write whose answer was lost. */
  public void remember(Secret previous, Secret actual) {
    ResourceID id = ResourceID.fromResource(actual);
    if (previous == null) {
      informer.get().handleRecentResourceCreate(id, actual);
    } else {
      informer.get().handleRecentResourceUpdate(id, actual, previous);
    }
  }

  public void delete(Secret secret) {
    client.resource(secret).delete();
  }

  /** The managed Secrets of a namespace that this resource controls. */
  public java.util.List<Secret> ownedBy(String namespace, String ownerUid) {
    return informer.get().list(namespace, s -> TokenSecretState.of(s, ownerUid).ownership()
        == TokenSecretState.Ownership.OWNED).toList();
  }

  /** True when any managed Secret the operator can see records this token as its current one. */
  public boolean anyHolds(String serviceAccountId, String tokenId) {
    return informer.get().list(s -> TokenSecretState.isManaged(s) && s.getMetadata().getAnnotations() != null
            && tokenId.equals(s.getMetadata().getAnnotations().get(SecretAnnotations.TOKEN_ID))
            && (serviceAccountId == null || serviceAccountId.equals(
                s.getMetadata().getAnnotations().get(SecretAnnotations.SERVICE_ACCOUNT_ID))))
        .findAny().isPresent();
  }

  /** The API server refuses new content because the namespace is being deleted. */
  public static boolean namespaceTerminating(KubernetesClientException e) {
    return e.getCode() == 403 && e.getMessage() != null && e.getMessage().contains("being terminated");
  }
}
