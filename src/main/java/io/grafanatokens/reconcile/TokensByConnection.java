package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.grafanatokens.api.v1alpha1.ClusterGrafanaConnection;
import io.grafanatokens.api.v1alpha1.ConnectionRef;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The tokens that name a connection, from an index of the token controller's own cache: a
 * connection's change reconciles exactly those, and a connection's status counts them.
 */
public final class TokensByConnection {
  private volatile IndexerResourceCache<GrafanaServiceAccountToken> tokens;

  void use(IndexerResourceCache<GrafanaServiceAccountToken> tokens) {
    this.tokens = tokens;
  }

  /**
   * "kind/namespace/name" of the connection a token names (the namespace empty for a cluster one).
   */
  static Optional<String> keyOf(GrafanaServiceAccountToken t) {
    ConnectionRef ref = t.getSpec() == null ? null : t.getSpec().getConnectionRef();
    if (ref == null || ref.getName() == null) {
      return Optional.empty();
    }
    boolean cluster = ConnectionRef.CLUSTER.equals(ref.kindOrDefault());
    return Optional.of(
        key(ref.kindOrDefault(), cluster ? "" : t.getMetadata().getNamespace(), ref.getName()));
  }

  static String keyOf(HasMetadata connection) {
    boolean cluster = connection instanceof ClusterGrafanaConnection;
    return key(
        cluster ? ConnectionRef.CLUSTER : ConnectionRef.NAMESPACED,
        cluster ? "" : connection.getMetadata().getNamespace(),
        connection.getMetadata().getName());
  }

  private static String key(String kind, String namespace, String name) {
    return kind + "/" + namespace + "/" + name;
  }

  Set<ResourceID> tokensOf(String connectionKey) {
    IndexerResourceCache<GrafanaServiceAccountToken> t = tokens;
    return t == null
        ? Set.of()
        : t.byIndex(GrafanaServiceAccountTokenReconciler.CONNECTION_INDEX, connectionKey).stream()
            .map(ResourceID::fromResource)
            .collect(Collectors.toSet());
  }

  /** How many tokens name this connection now. */
  public int count(HasMetadata connection) {
    IndexerResourceCache<GrafanaServiceAccountToken> t = tokens;
    return t == null
        ? 0
        : t.byIndex(GrafanaServiceAccountTokenReconciler.CONNECTION_INDEX, keyOf(connection))
            .size();
  }
}
