package io.grafanatokens.reconcile;

import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.TransientProviderException;
import io.grafanatokens.reconcile.policy.Backoff;
import io.grafanatokens.reconcile.policy.RenewalSchedule;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * docs/reference.md#failures-and-retries for an issue that failed: the backoff its reason asks for,
 * a throttled Warning, the failure counter, and the 401 gate closed for the credential used.
 */
final class IssueFailure {
  private static final Logger LOG = LoggerFactory.getLogger(IssueFailure.class);

  private final PassContext c;
  private final PassState st;

  IssueFailure(PassContext c, PassState st) {
    this.c = c;
    this.st = st;
  }

  void record(ProviderException e) {
    c.providerFailed(e);
    st.issueFailure = e;
    int attempts = c.d.retries().attempts(c.res.uid()) + 1;
    Duration delay =
        switch (e.reason()) {
          // the 401 gate, not a timer, decides when a rejected credential is tried again
          case Reasons.CREDENTIALS_REJECTED -> Backoff.CREDENTIALS;
          case Reasons.CREDENTIALS_NOT_FOUND -> withinKeyLife(Backoff.CREDENTIALS);
          case Reasons.SAME_TOKEN_RETURNED -> withinKeyLife(Backoff.sameTokenDelay(attempts));
          default ->
              withinKeyLife(
                  e instanceof TransientProviderException
                      ? Backoff.transientDelay(attempts, renewBefore(), e.retryAfter())
                      : Backoff.PERMANENT);
        };
    remember(attempts, delay, e.reason(), e.getMessage());
  }

  /** A Secret write whose outcome is unknown: retried like a transient provider failure. */
  void recordKubernetes(String message) {
    int attempts = c.d.retries().attempts(c.res.uid()) + 1;
    String reason = st.trigger.map(t -> t.reason()).orElse(Reasons.PROVIDER_ERROR);
    remember(
        attempts,
        withinKeyLife(Backoff.transientDelay(attempts, renewBefore(), Optional.empty())),
        reason,
        message);
  }

  private Duration withinKeyLife(Duration delay) {
    return Backoff.beforeExpiry(delay, c.now, st.secret.current().map(t -> t.expiresAt()));
  }

  private void remember(int attempts, Duration delay, String reason, String message) {
    c.d
        .retries()
        .failed(
            c.res.uid(),
            new RetryBook.Failure(attempts, c.now.plus(delay), reason, message, c.generation()));
    String full = st.trigger.map(t -> t.description() + "; ").orElse("") + message;
    c.warn(reason, full);
    c.d.metrics().issueFailed(c.res.namespace(), c.res.name(), c.res.kind().specName(), reason);
    LOG.warn(
        "{}: {} (attempt {}, next in {}s): {}",
        c.who(),
        reason,
        attempts,
        delay.getSeconds(),
        full);
  }

  private Optional<Duration> renewBefore() {
    return st.secret
        .current()
        .flatMap(c.res::schedule)
        .map(RenewalSchedule::renewBefore)
        .or(c.res::renewBefore);
  }
}
