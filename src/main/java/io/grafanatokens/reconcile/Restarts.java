package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.grafanatokens.api.v1alpha1.PendingRevocation;
import io.grafanatokens.reconcile.policy.RenewalSchedule;
import io.grafanatokens.secret.CurrentToken;
import io.grafanatokens.secret.TokenSecretState;
import io.grafanatokens.secret.TokenSecrets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * docs/reference.md#restart-targets: right after the key swap, and again on any later pass that
 * finds the restart outstanding (status.restartedFor names another token). While it is outstanding
 * no previous token of the resource is revoked; once a late restart is done, the previous tokens'
 * grace starts over from it, so that the restarted pods get their full grace.
 */
final class Restarts {
  /**
   * A restart that could not be applied (not a missing workload: an API error) is tried again after
   * this.
   */
  static final Duration RETRY = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(Restarts.class);

  private final PassContext c;
  private final PassState st;

  Restarts(PassContext c, PassState st) {
    this.c = c;
    this.st = st;
  }

  void restart() {
    boolean done = c.d.restarter().restart(c.resource, c.d.clock().instant(), c::warn);
    st.restartOutstanding = !done;
    if (!done) {
      st.retryNoLaterThan(c.now.plus(RETRY));
    }
  }

  /** The restart for the Secret's token was not recorded as done: do it, then restart the grace. */
  void redoOutstanding() {
    LOG.info(
        "{}: the restart of {} for token {} is outstanding; restarting now",
        c.who(),
        c.resource.getSpec().getRestartTargets(),
        st.secret.recordedTokenId().orElse("-"));
    restart();
    if (!st.restartOutstanding) {
      // the previous tokens stay held until their extended grace is recorded: if that write fails,
      // this pass must not revoke them in the middle of the rollout it just started
      st.restartOutstanding = true;
      extendGrace();
      st.restartOutstanding = false;
    }
  }

  private void extendGrace() {
    Optional<CurrentToken> cur = st.secret.current();
    List<PendingRevocation> pending = st.secret.pendingRevocations();
    Optional<Duration> grace =
        cur.flatMap(c.res::schedule).flatMap(RenewalSchedule::gracePeriod).or(c.res::fallbackGrace);
    if (cur.isEmpty() || st.secret.keyEdited() || pending.isEmpty() || grace.isEmpty()) {
      return;
    }
    String notBefore = RenewalSchedule.revokeAt(c.now, grace.get(), null).toString();
    List<PendingRevocation> extended =
        pending.stream()
            .map(p -> revokeAt(p).isBefore(Instant.parse(notBefore)) ? p.notBefore(notBefore) : p)
            .toList();
    if (extended.equals(pending)) {
      return;
    }
    Secret s = st.secret.secret().get();
    Secret desired =
        TokenSecrets.desired(
            s,
            c.res.layout(),
            c.resource,
            cur.get(),
            extended,
            st.secret.rotateRequest().orElse(null));
    st.secret =
        TokenSecretState.of(c.d.store().write(s, desired), c.res.uid(), c.res.layout().key());
  }

  static Instant revokeAt(PendingRevocation p) {
    try {
      return Instant.parse(p.getRevokeAt());
    } catch (RuntimeException e) {
      return Instant.EPOCH;
    }
  }
}
