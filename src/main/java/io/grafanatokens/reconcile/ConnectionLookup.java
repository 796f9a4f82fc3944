package io.grafanatokens.reconcile;

import io.grafanatokens.api.v1alpha1.ClusterGrafanaConnection;
import io.grafanatokens.api.v1alpha1.GrafanaConnection;
import java.util.Optional;

/** The connections tokens name, as the operator's caches know them. */
interface ConnectionLookup {
  Optional<GrafanaConnection> namespaced(String namespace, String name);

  Optional<ClusterGrafanaConnection> cluster(String name);

  /** False in an install that may not read ClusterGrafanaConnections (namespaced Roles only). */
  boolean servesClusterConnections();

  /** No connections at all: for wiring that has none. */
  ConnectionLookup NONE =
      new ConnectionLookup() {
        @Override
        public Optional<GrafanaConnection> namespaced(String namespace, String name) {
          return Optional.empty();
        }

        @Override
        public Optional<ClusterGrafanaConnection> cluster(String name) {
          return Optional.empty();
        }

        @Override
        public boolean servesClusterConnections() {
          return false;
        }
      };
}
