package io.grafanatokens.api.v1alpha1;

/** The kinds a token's spec.connectionRef may name: the schema enum of spec.connectionRef.kind. */
public enum ConnectionKind {
  GrafanaConnection,
  ClusterGrafanaConnection
}
