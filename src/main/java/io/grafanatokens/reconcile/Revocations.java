package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.grafanatokens.api.v1alpha1.PendingRevocation;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.observability.EventEmitter.Type;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.RevokeOutcome;
import io.grafanatokens.provider.TokenSession;
import io.grafanatokens.provider.TransientProviderException;
import io.grafanatokens.reconcile.policy.Backoff;
import io.grafanatokens.reconcile.policy.Locations;
import io.grafanatokens.secret.TokenSecretState;
import io.grafanatokens.secret.TokenSecretState.Ownership;
import io.grafanatokens.secret.TokenSecrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Previous tokens whose grace period is over (docs/reference.md#which-tokens-may-be-deleted). They
 * run on every pass, also while an issue fails or backs off, and one entry never blocks another: a
 * token issued at another location is left to expire with a Warning, one a Secret of another
 * resource holds stays pending and is looked at again, a passing failure is retried, and a
 * permanent refusal drops the entry with a Warning naming the id left to expire.
 */
final class Revocations {
  private static final Logger LOG = LoggerFactory.getLogger(Revocations.class);

  private final PassContext c;
  private final PassState st;

  Revocations(PassContext c, PassState st) {
    this.c = c;
    this.st = st;
  }

  void runDue() throws ProviderException {
    List<PendingRevocation> pending = st.pending();
    List<PendingRevocation> due =
        pending.stream().filter(p -> !Restarts.revokeAt(p).isAfter(c.now)).toList();
    if (due.isEmpty()) {
      return;
    }
    if (st.restartOutstanding) {
      LOG.info("{}: previous tokens {} wait for the outstanding restart", c.who(), ids(due));
      return;
    }
    TokenSession s = c.session();
    RecordedIds recorded = new RecordedIds(c);
    List<PendingRevocation> remaining = new ArrayList<>(pending);
    for (PendingRevocation p : due) {
      if (!issuedHere(p)) {
        remaining.remove(p);
        c.leftToExpire(p.getTokenId(), "previous token " + p.getTokenId() + Locations.ELSEWHERE);
        continue;
      }
      if (c.heldByOthers(p.getServiceAccountId(), p.getTokenId())) {
        LOG.info(
            "{}: previous token {} is held by another resource's Secret; it stays pending",
            c.who(),
            p.getTokenId());
        st.retryNoLaterThan(c.now.plus(Backoff.CREDENTIALS));
        continue;
      }
      Optional<Boolean> ours = ours(recorded, s, p);
      if (ours.isEmpty()) {
        continue;
      }
      if (!ours.get()) {
        remaining.remove(p);
        c.leftToExpire(p.getTokenId(), RecordedIds.notOurs("previous token", p.getTokenId()));
        continue;
      }
      if (revoke(s, p)) {
        remaining.remove(p);
      }
    }
    record(pending, remaining);
  }

  /**
   * Whether the entry names a token of this resource; empty when the provider could not tell now.
   */
  private Optional<Boolean> ours(RecordedIds recorded, TokenSession s, PendingRevocation p)
      throws ProviderException {
    try {
      return Optional.of(recorded.ours(s, p.getServiceAccountId(), p.getTokenId()));
    } catch (TransientProviderException e) {
      LOG.warn(
          "{}: could not list the tokens to check previous token {}, trying again: {}",
          c.who(),
          p.getTokenId(),
          e.getMessage());
      st.retryNoLaterThan(c.now.plus(Backoff.transientDelay(1, Optional.empty(), e.retryAfter())));
      return Optional.empty();
    } catch (ProviderException e) {
      c.providerFailed(e);
      if (Reasons.CREDENTIALS_REJECTED.equals(e.reason())
          || Reasons.CREDENTIALS_NOT_FOUND.equals(e.reason())) {
        throw e;
      }
      // the account is gone, or the list is refused: nothing can prove the id is ours
      return Optional.of(false);
    }
  }

  /** True when the entry is done with (revoked, gone, or dropped after a permanent refusal). */
  private boolean revoke(TokenSession s, PendingRevocation p) throws ProviderException {
    String account =
        p.getServiceAccountId() != null ? p.getServiceAccountId() : s.serviceAccountId();
    try {
      RevokeOutcome outcome = s.revoke(account, p.getTokenId());
      c.providerAnswered();
      if (outcome == RevokeOutcome.REVOKED) {
        c.event(Type.Normal, Reasons.REVOKED, "Revoked previous token " + p.getTokenId());
      }
      LOG.info("{}: previous token {}: {}", c.who(), p.getTokenId(), outcome);
      return true;
    } catch (TransientProviderException e) {
      LOG.warn(
          "{}: revoking previous token {} failed, trying again: {}",
          c.who(),
          p.getTokenId(),
          e.getMessage());
      st.retryNoLaterThan(c.now.plus(Backoff.transientDelay(1, Optional.empty(), e.retryAfter())));
      return false;
    } catch (ProviderException e) {
      c.providerFailed(e);
      if (Reasons.CREDENTIALS_REJECTED.equals(e.reason())
          || Reasons.CREDENTIALS_NOT_FOUND.equals(e.reason())) {
        // the credential, not the token, is at fault: keep every entry for when it is fixed
        throw e;
      }
      c.leftToExpire(
          p.getTokenId(),
          "previous token "
              + p.getTokenId()
              + " could not be revoked ("
              + e.getMessage()
              + "); it is left to expire");
      return true;
    }
  }

  /**
   * An entry names where it was issued (its location); older entries count as the current location
   * only by the rule of {@link Locations}, judged against the Secret (or status) they sit in.
   */
  private boolean issuedHere(PendingRevocation p) {
    boolean inSecret = st.secret.exists();
    return Locations.current(
        p.getLocation(),
        p.getTarget(),
        inSecret ? st.secret.recordedLocation().orElse(null) : c.previousStatus().getLocation(),
        inSecret ? st.secret.recordedTargetHash().orElse(null) : c.previousStatus().getTarget(),
        c.res.here());
  }

  private void record(List<PendingRevocation> before, List<PendingRevocation> remaining) {
    if (remaining.equals(before)) {
      return;
    }
    if (st.secret.ownership() == Ownership.OWNED
        && st.secret.current().isPresent()
        && !st.secret.keyEdited()) {
      Secret s = st.secret.secret().get();
      Secret desired =
          TokenSecrets.desired(
              s,
              c.res.layout(),
              c.resource,
              st.secret.current().get(),
              remaining,
              st.secret.rotateRequest().orElse(null));
      st.secret =
          TokenSecretState.of(c.d.store().write(s, desired), c.res.uid(), c.res.layout().key());
    } else if (st.secret.ownership() != Ownership.OWNED) {
      st.pendingWithoutSecret = remaining;
    }
    // an edited key is never written back as ours: the entries stay and a revoked one answers 404
    // next time
  }

  private static List<String> ids(List<PendingRevocation> ps) {
    return ps.stream().map(PendingRevocation::getTokenId).toList();
  }
}
