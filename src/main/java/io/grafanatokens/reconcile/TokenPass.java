package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenStatus;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.provider.SessionPurpose;
import io.grafanatokens.reconcile.policy.HoldFacts;
import io.grafanatokens.reconcile.policy.IssuePolicy;
import io.grafanatokens.reconcile.policy.IssueTrigger;
import io.grafanatokens.reconcile.policy.RenewalSchedule;
import io.grafanatokens.reconcile.policy.RestartRecord;
import io.grafanatokens.reconcile.policy.TriggerFacts;
import io.grafanatokens.secret.TokenSecretState;
import io.grafanatokens.secret.TokenSecretState.Ownership;
import java.util.List;
import java.util.Optional;

/**
 * One reconcile of one resource, in docs/reference.md#issuing-crash-safe's order: observe the
 * Secret and what is remembered, decide with the pure {@link IssuePolicy}, act in a fixed order —
 * Secret upkeep, an outstanding restart, the liveness check, the issue, due revocations, metadata —
 * each effect recorded before the next and each failure caught where it happens, then report a
 * status built from the Secret as it is ({@link PassReport}).
 */
final class TokenPass {
  private final ReconcileDeps d;
  private final GrafanaServiceAccountToken resource;

  TokenPass(ReconcileDeps d, GrafanaServiceAccountToken resource) {
    this.d = d;
    this.resource = resource;
  }

  Outcome run() {
    Resolution resolution = new Resolver(d).resolve(resource);
    if (resolution instanceof Resolution.Refused refused) {
      if (d.warnings().occurred(resource.getMetadata().getUid(), refused.reason())) {
        d.events()
            .emit(
                resource,
                io.grafanatokens.observability.EventEmitter.Type.Warning,
                refused.reason(),
                refused.message());
      }
      return PassReport.refused(d, resource, refused);
    }
    Resolution.Usable usable = (Resolution.Usable) resolution;
    PassContext c = new PassContext(d, usable.res(), usable.lookup(), SessionPurpose.ISSUE);
    try {
      PassState st = observe(c);
      act(c, st);
      return new PassReport(c, st).outcome();
    } finally {
      c.passEnded();
    }
  }

  // ---- observe

  private PassState observe(PassContext c) {
    ResolvedResource res = c.res;
    GrafanaServiceAccountTokenStatus status = c.previousStatus();
    TokenSecretState secret =
        TokenSecretState.of(
            d.store().cached(res.namespace(), res.secretName()).orElse(null),
            res.uid(),
            res.layout().key());
    if (secret.ownership() == Ownership.ABSENT) {
      secret = foreignIfKnown(c).orElse(secret);
    }
    PassState st =
        new PassState(
            secret,
            status.getPendingRevocations() == null
                ? List.of()
                : List.copyOf(status.getPendingRevocations()));
    String held =
        secret.ownership() == Ownership.OWNED ? secret.recordedTokenId().orElse(null) : null;
    List<?> targets = resource.getSpec().getRestartTargets();
    st.restartOutstanding =
        RestartRecord.outstanding(
            targets != null && !targets.isEmpty(),
            held,
            status.getRestartedFor(),
            status.getTokenId());
    st.tokenGone = d.triggers().isGone(res.uid(), held);
    return st;
  }

  /**
   * An unlabelled Secret of someone else met by an earlier create: looked at again once a minute.
   */
  private Optional<TokenSecretState> foreignIfKnown(PassContext c) {
    var seen = d.holds().foreignSeenAt(c.res.namespace(), c.res.secretName());
    if (seen.isEmpty()) {
      return Optional.empty();
    }
    if (c.now.isBefore(seen.get().plus(WriteHolds.FOREIGN_RECHECK))) {
      return Optional.of(TokenSecretState.foreign());
    }
    TokenSecretState s =
        TokenSecretState.of(
            d.store().readFromServer(c.res.namespace(), c.res.secretName()),
            c.res.uid(),
            c.res.layout().key());
    if (s.ownership() == Ownership.FOREIGN) {
      d.holds().foreign(c.res.namespace(), c.res.secretName(), c.now);
      return Optional.of(s);
    }
    d.holds().notForeign(c.res.namespace(), c.res.secretName());
    return Optional.empty();
  }

  // ---- decide and act

  private void act(PassContext c, PassState st) {
    PassEffects e = new PassEffects(c, st);
    SecretUpkeep upkeep = new SecretUpkeep(c, st);
    e.kubernetes(() -> upkeep.moveOrTidy(ownedElsewhere(c)));
    boolean[] adoptWithNewToken = {false};
    if (st.secret.ownership() == Ownership.ADOPTABLE) {
      e.kubernetes(() -> adoptWithNewToken[0] = !upkeep.adoptKeepingKey());
    }
    if (st.restartOutstanding) {
      e.kubernetes(() -> new Restarts(c, st).redoOutstanding());
    }
    PassContext.CredentialCheck credential = c.credentialCheck();
    boolean providerBlocked =
        credential.decision() == CredentialGate.Decision.CLOSED
            || credential.decision() == CredentialGate.Decision.WAIT;
    if (credential.decision() == CredentialGate.Decision.WAIT) {
      st.lookAgainNow = true;
    }
    LivenessCheck liveness = new LivenessCheck(c, st);
    st.trigger = IssuePolicy.trigger(triggerFacts(c, st, adoptWithNewToken[0]));
    if (st.trigger.isEmpty() && !providerBlocked && liveness.due()) {
      e.provider(liveness::run);
      st.trigger = IssuePolicy.trigger(triggerFacts(c, st, adoptWithNewToken[0]));
    }
    if (!providerBlocked) {
      e.provider(() -> new UnsettledWrites(c).settle());
    }
    st.trigger.ifPresent(
        t -> {
          st.hold = IssuePolicy.hold(holdFacts(c, st, t, credential));
          if (st.hold.isEmpty()) {
            e.issue(() -> new Issuance(c, st).issue(t, adoptWithNewToken[0]));
          } else {
            e.held(st.hold.get());
          }
        });
    if (!providerBlocked) {
      e.provider(() -> new Revocations(c, st).runDue());
    }
    if (!st.issued) {
      e.kubernetes(upkeep::applyMetadata);
      e.scheduleChanged();
    }
    if (st.secretRejected != null) {
      c.warn(Reasons.SECRET_REJECTED, st.secretRejected);
    }
  }

  private List<Secret> ownedElsewhere(PassContext c) {
    return d.store().ownedBy(c.res.uid()).stream()
        .filter(
            s ->
                !s.getMetadata().getName().equals(c.res.secretName())
                    && c.res.namespace().equals(s.getMetadata().getNamespace()))
        .toList();
  }

  private TriggerFacts triggerFacts(PassContext c, PassState st, boolean adoptWithNewToken) {
    TokenSecretState s = st.secret;
    boolean ours = s.ownership() == Ownership.OWNED || s.ownership() == Ownership.ADOPTABLE;
    return new TriggerFacts(
        c.now,
        ours && s.recordedTokenId().isPresent(),
        ours && s.keyEdited(),
        s.recordedTargetHash(),
        c.res.targetHash(),
        adoptWithNewToken,
        c.res.rotateAnnotation(),
        s.rotateRequest(),
        s.current().flatMap(c.res::schedule).map(RenewalSchedule::renewalTime),
        st.tokenGone);
  }

  private HoldFacts holdFacts(
      PassContext c, PassState st, IssueTrigger trigger, PassContext.CredentialCheck credential) {
    boolean reissue =
        trigger == IssueTrigger.SECRET_MISSING && c.previousStatus().getTokenId() != null;
    return new HoldFacts(
        c.now,
        st.secret.ownership() == Ownership.FOREIGN,
        credential.decision() == CredentialGate.Decision.CLOSED
            ? Optional.of(credential.message())
            : Optional.empty(),
        credential.decision() == CredentialGate.Decision.WAIT
            ? Optional.of(credential.message())
            : Optional.empty(),
        d.retries()
            .failure(c.res.uid())
            .filter(f -> f.generation() == c.generation())
            .map(
                f ->
                    new HoldFacts.Failure(
                        f.reason(), trigger.description() + "; " + f.message(), f.notBefore())),
        d.holds()
            .rejection(c.res.uid())
            .filter(
                r ->
                    r.holds(
                        c.generation(),
                        secretVersion(st),
                        PassEffects.credentialsVersions(c),
                        c.now))
            .map(WriteHolds.Rejected::message),
        d.namespaces().terminating(c.res.namespace()),
        reissue ? d.triggers().secretMissingAllowedAt(c.res.uid(), c.now) : Optional.empty());
  }

  static String secretVersion(PassState st) {
    return st.secret.secret().map(s -> s.getMetadata().getResourceVersion()).orElse("absent");
  }
}
