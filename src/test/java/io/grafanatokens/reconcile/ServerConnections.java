package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.grafanatokens.api.v1alpha1.ClusterGrafanaConnection;
import io.grafanatokens.api.v1alpha1.GrafanaConnection;
import java.util.Optional;

/** The connections read from the API server on every call, for pass-level tests. */
final class ServerConnections implements ConnectionLookup {
  private final KubernetesClient client;

  ServerConnections(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Optional<GrafanaConnection> namespaced(String namespace, String name) {
    return Optional.ofNullable(
        client.resources(GrafanaConnection.class).inNamespace(namespace).withName(name).get());
  }

  @Override
  public Optional<ClusterGrafanaConnection> cluster(String name) {
    return Optional.ofNullable(
        client.resources(ClusterGrafanaConnection.class).withName(name).get());
  }

  @Override
  public boolean servesClusterConnections() {
    return true;
  }
}
