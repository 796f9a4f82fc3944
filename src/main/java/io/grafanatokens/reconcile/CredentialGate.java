package io.grafanatokens.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * docs/reference.md#failures-and-retries: after a 401 the provider is not called again with that
 * credentials Secret until the Secret changes. One gate per Secret, shared by every resource that
 * uses it: five resources each trying a wrong password once would lock Grafana's admin user out
 * as surely as one resource trying five times. When the Secret changes, one resource tries first;
 * the others wait for its answer.
 */
final class CredentialGate {
  /** A trial holds the gate this long at most; a trial that never reports back frees it then. */
  static final Duration TRIAL_TIMEOUT = Duration.ofMinutes(2);

  /** What a resource may do now. */
  enum Decision {
    /** No rejection on record: call the provider. */
    OPEN,
    /** The Secret changed since the rejection and this resource is the one to try it. */
    TRIAL,
    /** The rejected credential is unchanged, or another resource is trying the new one. */
    CLOSED
  }

  private record Rejection(String version, String message, String trialBy, Instant trialSince) {}

  private final Map<String, Rejection> rejections = new ConcurrentHashMap<>();

  /**
   * @param secret namespace/name of the credentials Secret
   * @param version its resourceVersion now
   */
  synchronized Decision check(String secret, String version, String uid, Instant now) {
    Rejection r = rejections.get(secret);
    if (r == null) {
      return Decision.OPEN;
    }
    if (r.version().equals(version)) {
      return Decision.CLOSED;
    }
    if (r.trialBy() == null || r.trialBy().equals(uid) || !now.isBefore(r.trialSince().plus(TRIAL_TIMEOUT))) {
      rejections.put(secret, new Rejection(r.version(), r.message(), uid, now));
      return Decision.TRIAL;
    }
    return Decision.CLOSED;
  }

  /** True when a 401 is on record for this Secret: only then is its version worth reading. */
  boolean rejected(String secret) {
    return rejections.containsKey(secret);
  }

  /** The message of the rejection on record, for the status of resources waiting behind it. */
  String message(String secret) {
    Rejection r = rejections.get(secret);
    return r == null ? "" : r.message();
  }

  synchronized void rejected(String secret, String version, String message) {
    rejections.put(secret, new Rejection(version, message, null, null));
  }

  synchronized void accepted(String secret) {
    rejections.remove(secret);
  }
}
