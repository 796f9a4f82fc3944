package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * How a failed Kubernetes write ended (docs/reference.md#issuing-crash-safe): refused for good, in
 * conflict with another writer, or unknown — the server may have acted (a 5xx, a timeout, a reset
 * connection), so nothing may be concluded without reading back.
 */
enum WriteOutcome {
  /** 4xx other than 409 and 429: invalid, forbidden, immutable. Definitely not applied. */
  REFUSED,
  /** 409: our resourceVersion was stale, or the object exists. Not applied. */
  CONFLICT,
  /** 5xx, 429, timeouts, I/O: it may have landed. */
  UNKNOWN;

  static WriteOutcome of(KubernetesClientException e) {
    int code = e.getCode();
    if (code == 409) {
      return CONFLICT;
    }
    if (code >= 400 && code < 500 && code != 429) {
      return REFUSED;
    }
    return UNKNOWN;
  }

  /** The API server's own words, short and without the object (never key material). */
  static String message(KubernetesClientException e) {
    String m =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : e.getMessage();
    m = m == null ? "HTTP " + e.getCode() : m;
    return io.grafanatokens.provider.Redaction.cut(
        "the API server answered " + e.getCode() + ": " + m);
  }
}
