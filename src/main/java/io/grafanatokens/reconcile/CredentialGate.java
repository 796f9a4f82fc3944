package io.grafanatokens.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * docs/reference.md#failures-and-retries: after a 401 the provider is not called again with that
 * credentials Secret until the Secret changes. One gate per Secret, shared by every resource that
 * uses it: five resources each trying a wrong password once would lock Grafana's admin user out as
 * surely as one resource trying five times. When the Secret changes, one resource tries first; the
 * others wait for its answer.
 */
public final class CredentialGate {
  /** A trial holds the gate this long at most; a trial that never reports back frees it then. */
  static final Duration TRIAL_TIMEOUT = Duration.ofMinutes(2);

  /**
   * Grafana's brute-force lockout window: a locked user gets the same 401 as a wrong password, even
   * with the right one. A credential's first 401 is tried once more after it.
   */
  static final Duration LOCKOUT_WINDOW = Duration.ofMinutes(5);

  /** What a resource may do now. */
  enum Decision {
    /** No rejection on record: call the provider. */
    OPEN,
    /** The Secret changed since the rejection and this resource is the one to try it. */
    TRIAL,
    /** The rejected credential is unchanged, or another resource is trying the new one. */
    CLOSED,
    /**
     * The credential never answered yet and another resource is trying it first: look again soon.
     */
    WAIT
  }

  /**
   * @param recheckAt set while the rejection is the credential's first: it may have met a lockout
   *     window, so it is tried once more from then on; null once a second 401 made it final
   */
  private record Rejection(
      String version, String message, String trialBy, Instant trialSince, Instant recheckAt) {
    Rejection trial(String uid, Instant now) {
      return new Rejection(version, message, uid, now, recheckAt);
    }
  }

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
    if (r.version().equals(version) && (r.recheckAt() == null || now.isBefore(r.recheckAt()))) {
      return Decision.CLOSED;
    }
    if (r.trialBy() == null
        || r.trialBy().equals(uid)
        || !now.isBefore(r.trialSince().plus(TRIAL_TIMEOUT))) {
      rejections.put(secret, r.trial(uid, now));
      return Decision.TRIAL;
    }
    return Decision.CLOSED;
  }

  /**
   * A credential that never answered is tried by one resource at a time: resources applied together
   * (a GitOps sync) would otherwise each try a wrong password at once.
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

  /**
   * True when this Secret's version is not known to work: only then is a pass held back by the
   * gate.
   */
  boolean unproven(String secret, String version) {
    return rejections.containsKey(secret) || !proven.containsKey(secret + "@" + version);
  }

  /** The message of the rejection on record, for the status of resources waiting behind it. */
  String message(String secret) {
    Rejection r = rejections.get(secret);
    return r == null ? "" : r.message();
  }

  /**
   * A 401 for this version. Where the provider locks users out (Grafana), the first one may have
   * met the lockout window (a user who just fixed a password some client was trying): it is tried
   * once more after the window, and a second 401 closes the gate on this version for good.
   */
  synchronized void rejected(
      String secret, String version, String message, Instant now, boolean mayBeLockout) {
    Rejection before = rejections.get(secret);
    boolean first = mayBeLockout && (before == null || !before.version().equals(version));
    rejections.put(
        secret,
        new Rejection(version, message, null, null, first ? now.plus(LOCKOUT_WINDOW) : null));
    firstUse.remove(secret + "@" + version);
  }

  synchronized void accepted(String secret, String version) {
    rejections.remove(secret);
    proven.put(secret + "@" + version, Boolean.TRUE);
    firstUse.remove(secret + "@" + version);
  }

  /**
   * A trial lasts one pass at most: a pass that took it and then had no reason to call the provider
   * (an idle resource after a restart) must not keep the others waiting for minutes.
   */
  synchronized void passEnded(String secret, String uid) {
    firstUse
        .entrySet()
        .removeIf(e -> e.getKey().startsWith(secret + "@") && e.getValue().uid().equals(uid));
    Rejection r = rejections.get(secret);
    if (r != null && uid.equals(r.trialBy())) {
      rejections.put(secret, new Rejection(r.version(), r.message(), null, null, r.recheckAt()));
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
