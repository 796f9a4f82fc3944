package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.reconcile.policy.Backoff;
import io.grafanatokens.reconcile.policy.Hold;
import io.grafanatokens.reconcile.policy.RenewalSchedule;
import java.util.Optional;

/**
 * The failure handling of every effect of a pass, in one place: each effect runs, and what fails is
 * recorded in the pass state instead of escaping, so that the report tells the truth and the
 * effects after it still run.
 */
final class PassEffects {
  /** An effect that may fail at the provider. */
  interface ProviderEffect {
    void run() throws ProviderException;
  }

  private final PassContext c;
  private final PassState st;

  PassEffects(PassContext c, PassState st) {
    this.c = c;
    this.st = st;
  }

  void kubernetes(Runnable effect) {
    try {
      effect.run();
    } catch (KubernetesClientException e) {
      kubernetesFailed(e);
    }
  }

  void provider(ProviderEffect effect) {
    try {
      effect.run();
    } catch (ProviderException e) {
      c.providerFailed(e);
      st.retryNoLaterThan(c.now.plus(Backoff.transientDelay(1, Optional.empty(), e.retryAfter())));
    } catch (KubernetesClientException e) {
      kubernetesFailed(e);
    }
  }

  void issue(ProviderEffect effect) {
    try {
      effect.run();
    } catch (ProviderException e) {
      new IssueFailure(c, st).record(e);
    } catch (KubernetesClientException e) {
      kubernetesFailed(e);
    }
    if (st.secretRejected != null) {
      c.d
          .holds()
          .rejected(
              c.res.uid(),
              new WriteHolds.Rejected(
                  c.generation(),
                  TokenPass.secretVersion(st),
                  credentialsVersions(c),
                  c.now.plus(WriteHolds.REJECTED_FOR),
                  st.secretRejected));
      c.d
          .metrics()
          .issueFailed(
              c.res.namespace(), c.res.name(), c.res.kind().specName(), Reasons.SECRET_REJECTED);
    } else if (st.kubernetesFailure != null) {
      new IssueFailure(c, st).recordKubernetes(st.kubernetesFailure);
    }
  }

  /**
   * A hold found by this pass is worth a Warning; failures and refusals warned when they happened.
   */
  void held(Hold hold) {
    if (Reasons.SECRET_CONFLICT.equals(hold.reason())
        || Reasons.SECRET_MISSING.equals(hold.reason())) {
      c.warn(hold.reason(), hold.message());
    }
  }

  /**
   * docs/reference.md#rotation-timing: a renewBefore or gracePeriod edit can make the lifetime
   * short.
   */
  void scheduleChanged() {
    if (c.previousStatus().getObservedGeneration() == null
        || c.previousStatus().getObservedGeneration() == c.generation()) {
      return;
    }
    st.secret
        .current()
        .flatMap(c.res::schedule)
        .flatMap(RenewalSchedule::shortLifetime)
        .ifPresent(msg -> c.warn(Reasons.SHORT_LIFETIME, msg));
  }

  static String credentialsVersions(PassContext c) {
    StringBuilder b = new StringBuilder();
    CredentialRefs.names(c.res.effectiveSpec())
        .forEach(n -> b.append(n).append('=').append(c.lookup.version(n)).append(';'));
    return b.toString();
  }

  private void kubernetesFailed(KubernetesClientException e) {
    switch (WriteOutcome.of(e)) {
      case REFUSED -> {
        if (SecretStore.namespaceTerminating(e)) {
          c.d.namespaces().sawTerminating(c.res.namespace());
        }
        st.secretRejected =
            "the Secret " + c.res.secretName() + " cannot be written: " + WriteOutcome.message(e);
      }
      case CONFLICT -> st.lookAgainNow = true;
      default -> {
        st.kubernetesFailure = WriteOutcome.message(e);
        st.retryNoLaterThan(c.now.plusSeconds(2));
      }
    }
  }
}
