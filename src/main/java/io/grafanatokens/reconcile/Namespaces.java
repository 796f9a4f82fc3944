package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Whether a namespace is being deleted. An install with namespaced Roles only may not read
 * Namespaces: then this says no, and the API server's 403 "being terminated" is the signal.
 */
final class Namespaces {
  private final KubernetesClient client;
  /** Set once reading Namespaces is forbidden (a namespaced install): then never asked again. */
  private volatile boolean forbidden;

  Namespaces(KubernetesClient client) {
    this.client = client;
  }

  boolean terminating(String namespace) {
    if (forbidden) {
      return false;
    }
    try {
      Namespace n = client.namespaces().withName(namespace).get();
      return n != null && (n.getMetadata().getDeletionTimestamp() != null
          || (n.getStatus() != null && "Terminating".equals(n.getStatus().getPhase())));
    } catch (KubernetesClientException e) {
      forbidden = e.getCode() == 403;
      return false;
    }
  }
}
