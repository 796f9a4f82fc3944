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
public final class CredentialGate {
  /** A trial holds the gate this long at most; a trial that never reports back frees it then. */
  static final Duration TRIAL_TIMEOUT = Duration.ofMinutes(2);

  /** What a resource may do now. */
  enum Decision {
    /** No rejection on record: call the provider. */
    OPEN,
    /** The Secret changed since the rejection and this resource is the one to try it. */
    TRIAL,
    /** The rejected credential is unchanged, or another resource is trying the new one. */
    CLOSED,
    /** The credential never answered yet and another resource is trying it first: look again soon. */
    WAIT
  }

  private record Rejection(String version, String message, String trialBy, Instant trialSince) {}

  private final Map<String, Rejection> rejections = new ConcurrentHashMap<>();
  /** namespace/name@resourceVersion of credentials that answered at least once: no trial needed. */
  private final Map<String, Boolean> proven = new ConcurrentHashMap<>();
  /** Who is trying an unproven credential first, and since when. */
  private final Map<String, Trial> firstUse = new ConcurrentHashMap<>();

  private record Trial(String uid, Instant since) {}

  /**
   * @param secret namespace/name of the credentials Secret
   * @param version its resourceVersion now
   */
  synchronized Decision check(String secret, String version, String uid, Instant now) {
    Rejection r = rejections.get(secret);
    if (r == null) {
      return firstUse(secret + "@" + version, uid, now);
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

  /**
   * A credential that never answered is tried by one resource at a time: resources applied
   * together (a GitOps sync) would otherwise each try a wrong password at once.
   */
  private Decision firstUse(String versioned, String uid, Instant now) {
    if (proven.containsKey(versioned)) {
      return Decision.OPEN;
    }
    Trial t = firstUse.get(versioned);
    if (t == null || t.uid().equals(uid) || !now.isBefore(t.since().plus(TRIAL_TIMEOUT))) {
      firstUse.put(versioned, new Trial(uid, now));
      return Decision.TRIAL;
    }
    return Decision.WAIT;
  }

  /** True when this Secret's version is not known to work: only then is a pass held back by the gate. */
  boolean unproven(String secret, String version) {
    return rejections.containsKey(secret) || !proven.containsKey(secret + "@" + version);
  }

  /** The message of the rejection on record, for the status of resources waiting behind it. */
  String message(String secret) {
    Rejection r = rejections.get(secret);
    return r == null ? "" : r.message();
  }

  synchronized void rejected(String secret, String version, String message) {
    rejections.put(secret, new Rejection(version, message, null, null));
    firstUse.remove(secret + "@" + version);
  }

  synchronized void accepted(String secret, String version) {
    rejections.remove(secret);
    proven.put(secret + "@" + version, Boolean.TRUE);
    firstUse.remove(secret + "@" + version);
  }

  /**
   * A trial lasts one pass at most: a pass that took it and then had no reason to call the
   * provider (an idle resource after a restart) must not keep the others waiting for minutes.
   */
  synchronized void passEnded(String secret, String uid) {
    firstUse.entrySet().removeIf(e -> e.getKey().startsWith(secret + "@") && e.getValue().uid().equals(uid));
    Rejection r = rejections.get(secret);
    if (r != null && uid.equals(r.trialBy())) {
      rejections.put(secret, new Rejection(r.version(), r.message(), null, null));
    }
  }

  /** The call made with an unproven credential got no answer either way: let another try. */
  synchronized void unanswered(String secret, String version, String uid) {
    Trial t = firstUse.get(secret + "@" + version);
    if (t != null && t.uid().equals(uid)) {
      firstUse.remove(secret + "@" + version);
    }
  }
}
