package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** {@link SecretCache} on the reconciler's label-filtered Secret informer. */
final class InformerSecretCache implements SecretCache {
  private final Supplier<InformerEventSource<Secret, ?>> informer;

  InformerSecretCache(Supplier<InformerEventSource<Secret, ?>> informer) {
    this.informer = informer;
  }

  @Override
  public Optional<Secret> get(String namespace, String name) {
    // get, unlike list, sees the operator's own recent writes (JOSDK 5.3.2, docs/development.md)
    return informer.get().get(new ResourceID(name, namespace));
  }

  @Override
  public List<Secret> byIndex(String index, String key) {
    return informer.get().byIndex(index, key);
  }

  @Override
  public Secret write(Secret desired, UnaryOperator<Secret> operation) {
    return informer.get().eventFilteringUpdateAndCacheResource(desired, operation);
  }

  @Override
  public void remember(Secret previous, Secret actual) {
    ResourceID id = ResourceID.fromResource(actual);
    if (previous == null) {
      informer.get().handleRecentResourceCreate(id, actual);
    } else {
      informer.get().handleRecentResourceUpdate(id, actual, previous);
    }
  }
}
