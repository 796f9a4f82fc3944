package io.grafanatokens.reconcile;

import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenStatus;
import io.grafanatokens.api.v1alpha1.PendingRevocation;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.reconcile.policy.Hold;
import io.grafanatokens.reconcile.policy.IssueTrigger;
import io.grafanatokens.reconcile.policy.RenewalSchedule;
import io.grafanatokens.secret.CurrentToken;
import io.grafanatokens.secret.TokenSecretState.Ownership;
import io.grafanatokens.status.StatusBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The end of every pass: a status that tells the truth whatever failed in it — Ready and Expired
 * from the Secret as it is now, Issuing from the trigger and its failure or hold — and the next
 * look, never later than renewal, the next revocation, expiry or a retry.
 */
final class PassReport {
  /** A failsafe: even with nothing due, a resource is looked at this often. */
  static final Duration LONGEST_WAIT = Duration.ofMinutes(5);

  private final PassContext c;
  private final PassState st;
  private final StatusBuilder status;

  PassReport(PassContext c, PassState st) {
    this.c = c;
    this.st = st;
    this.status =
        new StatusBuilder(c.resource.getStatus(), c.resource.getMetadata().getGeneration(), c.now)
            .provider(c.res.kind().specName())
            .secretName(c.res.secretName());
  }

  /** InvalidSpec, NotPermitted, ConnectionNotFound: looked at again when the resource changes. */
  static Outcome refused(
      ReconcileDeps d, GrafanaServiceAccountToken r, Resolution.Refused refused) {
    StatusBuilder b =
        new StatusBuilder(r.getStatus(), r.getMetadata().getGeneration(), d.clock().instant())
            .notReady(refused.reason(), refused.message())
            .idle();
    return new Outcome(b.build(), !b.unchanged(), Optional.empty(), false);
  }

  Outcome outcome() {
    Instant next = c.now.plus(LONGEST_WAIT);
    Optional<CurrentToken> held =
        st.secret.ownership() == Ownership.OWNED && !st.secret.keyEdited()
            ? st.secret.current()
            : Optional.empty();
    if (held.isPresent()) {
      next = earliest(next, reportToken(held.get()));
    } else {
      status.pendingRevocations(st.pending());
      status.notReady(
          failureReason().orElse(Reasons.SECRET_MISSING),
          failureMessage().orElse("the Secret " + c.res.secretName() + " holds no token yet"));
    }
    reportIssuing();
    for (PendingRevocation p : st.pending()) {
      next = earliest(next, Restarts.revokeAt(p));
    }
    next = earliest(next, st.hold.flatMap(Hold::until).orElse(null));
    next = earliest(next, st.retryAt);
    if (st.issueFailure != null || st.kubernetesFailure != null) {
      next =
          earliest(
              next,
              c.d.retries().failure(c.res.uid()).map(RetryBook.Failure::notBefore).orElse(null));
    }
    return new Outcome(status.build(), !status.unchanged(), Optional.of(next), st.lookAgainNow);
  }

  /**
   * The status of the token the Secret holds; returns the next instant something about it is due.
   */
  private Instant reportToken(CurrentToken t) {
    GrafanaServiceAccountTokenStatus previous = c.previousStatus();
    long n =
        c.res
            .naming()
            .counterOf(t.tokenName())
            .orElse(previous.getRotationCount() == null ? 1 : previous.getRotationCount());
    String restartedFor =
        st.restartOutstanding
            ? (previous.getRestartedFor() != null
                ? previous.getRestartedFor()
                : previous.getTokenId())
            : t.tokenId();
    status
        .token(c.res.kind().specName(), t, n)
        .pendingRevocations(st.secret.pendingRevocations())
        .lastRotateRequest(st.secret.rotateRequest().orElse(null))
        .issuedFor(t.targetHash(), t.location())
        .restartedFor(restartedFor);
    Optional<RenewalSchedule> schedule = c.res.schedule(t);
    schedule.ifPresent(s -> status.renewalTime(s.renewalTime()));
    Instant next = c.now.plus(LONGEST_WAIT);
    if (t.expiresAt() != null && !c.now.isBefore(t.expiresAt())) {
      status.notReady(
          Reasons.EXPIRED,
          "the key in Secret "
              + c.res.secretName()
              + " expired at "
              + t.expiresAt()
              + failureMessage().map(m -> "; " + m).orElse(""));
    } else if (st.tokenGone) {
      status.notReady(
          Reasons.TOKEN_GONE,
          "the token in Secret "
              + c.res.secretName()
              + " (id "
              + t.tokenId()
              + ") no longer works at the provider"
              + failureMessage().map(m -> "; " + m).orElse(""));
      next = earliest(next, t.expiresAt());
    } else {
      List<String> notes = new ArrayList<>(c.res.provider().notes(c.res.effectiveSpec()));
      notes.addAll(st.notes);
      status.ready(
          readyReason(t),
          "Secret "
              + c.res.secretName()
              + " holds token "
              + t.tokenName()
              + " (id "
              + t.tokenId()
              + "), valid until "
              + t.expiresAt()
              + schedule.map(s -> ", renewal at " + s.renewalTime()).orElse("")
              + (notes.isEmpty() ? "" : "; " + String.join("; ", notes)));
      next = earliest(next, t.expiresAt());
    }
    next = earliest(next, schedule.map(RenewalSchedule::renewalTime).orElse(null));
    if (!c.d.tokenCheckInterval().isZero() && c.res.capabilities().canList()) {
      next =
          earliest(
              next, c.d.liveness().nextCheck(c.res.uid(), c.d.tokenCheckInterval()).orElse(null));
    }
    return next;
  }

  private void reportIssuing() {
    Optional<IssueTrigger> trigger = st.trigger;
    if (st.issueFailure != null) {
      status.issuing(
          st.issueFailure.reason(),
          trigger.map(t -> t.description() + "; ").orElse("") + st.issueFailure.getMessage());
    } else if (st.secretRejected != null) {
      status.issuing(Reasons.SECRET_REJECTED, st.secretRejected);
    } else if (st.hold.isPresent() && trigger.isPresent()) {
      Hold h = st.hold.get();
      status.issuing(h.reason() != null ? h.reason() : trigger.get().reason(), h.message());
    } else if (st.kubernetesFailure != null && trigger.isPresent()) {
      status.issuing(
          trigger.get().reason(), trigger.get().description() + "; " + st.kubernetesFailure);
    } else if (trigger.isPresent() && !st.issued) {
      status.issuing(trigger.get().reason(), trigger.get().description());
    } else {
      status.idle();
    }
  }

  private Optional<String> failureReason() {
    if (st.issueFailure != null) {
      return Optional.of(st.issueFailure.reason());
    }
    if (st.secretRejected != null) {
      return Optional.of(Reasons.SECRET_REJECTED);
    }
    return st.hold.map(
        h -> h.reason() != null ? h.reason() : st.trigger.map(IssueTrigger::reason).orElse(null));
  }

  private Optional<String> failureMessage() {
    if (st.issueFailure != null) {
      return Optional.of(st.issueFailure.getMessage());
    }
    if (st.secretRejected != null) {
      return Optional.of(st.secretRejected);
    }
    if (st.hold.isPresent()) {
      return Optional.of(st.hold.get().message());
    }
    return Optional.ofNullable(st.kubernetesFailure);
  }

  /** Issued for the first token of this resource, Rotated once a later one replaced it. */
  private String readyReason(CurrentToken t) {
    GrafanaServiceAccountTokenStatus previous = c.previousStatus();
    if (previous.getTokenId() == null) {
      return Reasons.ISSUED;
    }
    if (!previous.getTokenId().equals(t.tokenId())) {
      return Reasons.ROTATED;
    }
    // the same token as before: keep what was said of it; after a failure, the counter tells
    String byCounter =
        c.res.naming().counterOf(t.tokenName()).orElse(1) > 1 ? Reasons.ROTATED : Reasons.ISSUED;
    return status
        .condition(StatusBuilder.READY)
        .map(x -> x.getReason())
        .filter(x -> x.equals(Reasons.ISSUED) || x.equals(Reasons.ROTATED))
        .orElse(byCounter);
  }

  private static Instant earliest(Instant a, Instant b) {
    return b == null || a.isBefore(b) ? a : b;
  }
}
