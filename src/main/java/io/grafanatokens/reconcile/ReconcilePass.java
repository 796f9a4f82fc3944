package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.PendingRevocation;
import io.grafanatokens.observability.EventEmitter.Type;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.ProviderKind;
import io.grafanatokens.provider.ProviderReasons;
import io.grafanatokens.provider.TokenInfo;
import io.grafanatokens.provider.TokenProvider;
import io.grafanatokens.provider.TokenSession;
import io.grafanatokens.provider.TransientProviderException;
import io.grafanatokens.reconcile.policy.Backoff;
import io.grafanatokens.reconcile.policy.IssueDecision;
import io.grafanatokens.reconcile.policy.IssueTrigger;
import io.grafanatokens.reconcile.policy.Reasons;
import io.grafanatokens.reconcile.policy.RenewalSchedule;
import io.grafanatokens.reconcile.policy.SpecValidator;
import io.grafanatokens.reconcile.policy.Violation;
import io.grafanatokens.secret.CurrentToken;
import io.grafanatokens.secret.TokenSecretState;
import io.grafanatokens.secret.TokenSecretState.Ownership;
import io.grafanatokens.secret.TokenSecrets;
import io.grafanatokens.status.StatusBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile of one resource, in the order of api.md: validate, check permissions and the
 * Secret, decide, issue (crash-safe), revoke what is due, then status and the next look.
 */
final class ReconcilePass {
  private static final Logger LOG = LoggerFactory.getLogger(ReconcilePass.class);
  /** Grafana's token list stops at 300 rows: a token missing from a full list may still exist. */
  private static final int LIST_CAP = 300;

  private final ReconcileDeps d;
  private final GrafanaServiceAccountToken r;
  private final KubernetesSecretLookup lookup;
  private final Instant now;
  private final StatusBuilder status;
  private ResolvedResource res;
  private TokenSecretState state;
  private TokenSession session;
  private String expiryNote = "";

  ReconcilePass(ReconcileDeps d, GrafanaServiceAccountToken r, KubernetesSecretLookup lookup) {
    this.d = d;
    this.r = r;
    this.lookup = lookup;
    this.now = d.clock().instant();
    this.status = new StatusBuilder(r.getStatus(), r.getMetadata().getGeneration(), now);
  }

  Outcome run() {
    List<Violation> violations = SpecValidator.validate(r.getSpec());
    if (!violations.isEmpty()) {
      return blocked(Reasons.INVALID_SPEC, violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
    }
    ProviderKind kind = ProviderRegistry.kindOf(r.getSpec());
    Optional<TokenProvider> provider = d.providers().forKind(kind);
    if (provider.isEmpty()) {
      return blocked(Reasons.INVALID_SPEC, "spec." + kind.specName() + ": this provider is not available in this "
          + "build of the operator");
    }
    res = ResolvedResource.of(r, kind, provider.get());
    status.provider(kind.specName()).secretName(res.secretName());
    if (provider.get().usesAmbientCredentials(r.getSpec()) && !d.ambientAllowed().test(res.namespace())) {
      return blocked(Reasons.NOT_PERMITTED, "spec." + kind.specName() + " uses the operator's own identity, which "
          + "namespace " + res.namespace() + " may not use: list it in AMBIENT_CREDENTIALS_NAMESPACES or give a "
          + "credentials Secret");
    }

    state = d.store().read(res.namespace(), res.secretName(), res.uid());
    moveFromOldSecretName();
    if (state.ownership() == Ownership.FOREIGN) {
      return secretConflict();
    }
    boolean adoptWithNewToken = state.ownership() == Ownership.ADOPTABLE && !adopt();

    Optional<IssueTrigger> trigger = adoptWithNewToken ? Optional.of(IssueTrigger.SPEC_CHANGED) : decide(false);
    Optional<Outcome> waiting = waitForBackoff(trigger);
    if (waiting.isPresent()) {
      return waiting.get();
    }
    try {
      if (trigger.isEmpty() && livenessDue()) {
        trigger = checkLiveness();
      }
      if (trigger.isPresent()) {
        Optional<Outcome> held = issue(trigger.get(), adoptWithNewToken);
        if (held.isPresent()) {
          return held.get();
        }
      } else {
        applyMetadata();
      }
      revokeDue();
      d.retries().succeeded(res.uid());
    } catch (ProviderException e) {
      return failed(e, trigger);
    }
    return settled(true);
  }

  // ---- the Secret: name changes, conflicts, adoption

  /** spec.secret.name changed: the new Secret gets the current key, the old owned one goes. */
  private void moveFromOldSecretName() {
    if (state.ownership() != Ownership.ABSENT) {
      return;
    }
    for (Secret old : d.store().ownedBy(res.namespace(), res.uid())) {
      if (old.getMetadata().getName().equals(res.secretName())) {
        continue;
      }
      TokenSecretState oldState = TokenSecretState.of(old, res.uid());
      if (state.ownership() == Ownership.ABSENT && oldState.current().isPresent() && !oldState.keyEdited()) {
        Secret moved = TokenSecrets.desired(null, res.layout(), r, oldState.current().get(),
            oldState.pendingRevocations(), oldState.rotateRequest().orElse(null));
        state = TokenSecretState.of(d.store().write(null, moved), res.uid());
        LOG.info("{}/{}: moved the key from Secret {} to {}", res.namespace(), res.name(),
            old.getMetadata().getName(), res.secretName());
      }
      d.store().delete(old);
    }
  }

  private Outcome secretConflict() {
    status.notReady(Reasons.SECRET_CONFLICT, "Secret " + res.secretName() + " exists and is not owned by this "
        + "resource; it is never overwritten: delete it or choose another spec.secret.name").idle();
    warnOnce(Reasons.SECRET_CONFLICT, "Secret " + res.secretName() + " exists and is not owned by this resource");
    return new Outcome(status.build(), !status.unchanged(), Optional.of(Backoff.CREDENTIALS));
  }

  /**
   * A Secret left by Retain (managed-by label, no controller). Returns true when its key is kept
   * (same shaping fields); false when a new token must be issued at once.
   */
  private boolean adopt() {
    Optional<CurrentToken> cur = state.current();
    if (cur.isEmpty() || state.keyEdited() || !res.targetHash().equals(cur.get().targetHash())) {
      return false;
    }
    Secret adopted = TokenSecrets.desired(state.secret().get(), res.layout(), r, cur.get(),
        state.pendingRevocations(), state.rotateRequest().orElse(null));
    state = TokenSecretState.of(d.store().write(state.secret().get(), adopted), res.uid());
    LOG.info("{}/{}: adopted Secret {} and its token {}", res.namespace(), res.name(), res.secretName(),
        cur.get().tokenId());
    return true;
  }

  // ---- deciding

  private Optional<IssueTrigger> decide(boolean tokenGone) {
    Optional<CurrentToken> cur = state.current();
    return new IssueDecision(
        state.exists() && state.recordedTokenId().isPresent(),
        state.keyEdited(),
        cur.map(CurrentToken::targetHash).orElse(null),
        res.targetHash(),
        res.rotateAnnotation(),
        state.rotateRequest(),
        cur.flatMap(this::schedule).map(RenewalSchedule::renewalTime),
        tokenGone,
        now).evaluate();
  }

  private Optional<RenewalSchedule> schedule(CurrentToken t) {
    if (t.issuedAt() == null || t.expiresAt() == null || !t.expiresAt().isAfter(t.issuedAt())) {
      return Optional.empty();
    }
    return Optional.of(RenewalSchedule.compute(t.issuedAt(), Duration.between(t.issuedAt(), t.expiresAt()),
        res.renewBefore(), res.gracePeriod(), res.kind() != ProviderKind.YANDEX_CLOUD, res.uid()));
  }

  private boolean livenessDue() {
    return !d.tokenCheckInterval().isZero() && res.provider().capabilities().canList() && state.current().isPresent()
        && d.liveness().due(res.uid(), now, d.tokenCheckInterval());
  }

  /** api.md "Liveness check": is the token in the Secret still alive at the provider? */
  private Optional<IssueTrigger> checkLiveness() throws ProviderException {
    CurrentToken cur = state.current().get();
    TokenSession s = session();
    String account = accountKey(s);
    List<TokenInfo> tokens = d.liveness().tokens(account, now, d.tokenCheckInterval(),
        cur.issuedAt() == null ? now : cur.issuedAt(), s::list);
    d.liveness().checked(res.uid(), now);
    Optional<TokenInfo> found = tokens.stream().filter(t -> cur.tokenId().equals(t.id())).findFirst();
    boolean gone = found.map(t -> t.revoked() || t.expired()).orElse(tokens.size() < LIST_CAP);
    if (gone) {
      LOG.info("{}/{}: token {} is gone or revoked at the provider", res.namespace(), res.name(), cur.tokenId());
    }
    return gone ? decide(true) : Optional.empty();
  }

  // ---- issuing

  private Optional<Outcome> issue(IssueTrigger trigger, boolean adoptWithNewToken) throws ProviderException {
    if (trigger == IssueTrigger.SECRET_MISSING && hadTokenBefore()) {
      Optional<Instant> allowedAt = d.retries().secretMissingAllowedAt(res.uid(), now);
      if (allowedAt.isPresent()) {
        String msg = "the Secret " + res.secretName() + " was deleted 3 times within an hour; the next token is "
            + "issued at " + allowedAt.get();
        status.issuing(trigger.reason(), msg).notReady(trigger.reason(), msg);
        warnOnce(trigger.reason(), msg);
        return Optional.of(new Outcome(status.build(), !status.unchanged(),
            Optional.of(Duration.between(now, allowedAt.get()))));
      }
    }
    if (d.namespaces().terminating(res.namespace())) {
      // a token minted now could not be written: the namespace refuses new content
      status.issuing(trigger.reason(), "namespace " + res.namespace() + " is being deleted; no token is issued");
      return Optional.of(new Outcome(status.build(), !status.unchanged(), Optional.empty()));
    }
    TokenSession s = session();
    boolean canList = res.provider().capabilities().canList();
    List<TokenInfo> before = canList ? s.list() : List.of();
    if (canList) {
      d.liveness().put(accountKey(s), now, before);
    }
    long known = Math.max(previousRotationCount().orElse(0L),
        state.recordedTokenName().flatMap(n -> boxed(res.naming().counterOf(n))).orElse(0L));
    long counter = res.naming().next(known, before.stream().map(TokenInfo::name).toList());

    List<PendingRevocation> pending = new ArrayList<>(adoptWithNewToken ? List.of() : state.pendingRevocations());
    previousToRevoke(trigger, adoptWithNewToken, before).ifPresent(pending::add);
    Secret existing = state.ownership() == Ownership.ABSENT ? null : state.secret().orElse(null);

    CurrentToken held = state.ownership() == Ownership.OWNED && !state.keyEdited() ? state.current().orElse(null) : null;
    TokenIssuer.Written w;
    try {
      w = d.issuer().issue(res, s, existing, held, counter, pending, res.rotateAnnotation().orElse(null));
    } catch (PermanentProviderException e) {
      if (!ProviderReasons.QUOTA_EXCEEDED.equals(e.reason()) || !canList) {
        throw e;
      }
      // AMG counts expired tokens against the quota: sweep this resource's, then try once more
      sweep(s, before, pending);
      w = d.issuer().issue(res, s, existing, held, counter, pending, res.rotateAnnotation().orElse(null));
    }
    if (trigger == IssueTrigger.SECRET_MISSING && hadTokenBefore()) {
      d.retries().secretMissingIssued(res.uid(), now);
    }
    state = TokenSecretState.of(w.secret(), res.uid());
    CurrentToken token = w.token();
    List<TokenInfo> after = before;
    if (canList) {
      after = correctExpiry(s, token, pending);
    }
    sweep(s, after, pending);

    long n = res.naming().counterOf(token.tokenName()).orElse(counter);
    String what = "token " + token.tokenName() + " (id " + token.tokenId() + ") in Secret " + res.secretName()
        + ", valid until " + state.current().map(CurrentToken::expiresAt).orElse(token.expiresAt());
    boolean first = !hadTokenBefore();
    if (!first) {
      // consumers that read the key from an env var or a subPath mount never see the Secret change
      d.restarter().restart(r, d.clock().instant());
      d.metrics().rotated(res.namespace(), res.name(), res.kind().specName());
    }
    d.events().emit(r, Type.Normal, first ? Reasons.ISSUED : Reasons.ROTATED,
        (first ? "Issued " : "Rotated (" + trigger.reason() + "): issued ") + what);
    LOG.info("{}/{}: {} {}", res.namespace(), res.name(), first ? "issued" : "rotated (" + trigger.reason() + "):", what);
    state.current().flatMap(this::schedule).flatMap(RenewalSchedule::shortLifetime)
        .ifPresent(msg -> d.events().emit(r, Type.Warning, Reasons.SHORT_LIFETIME, msg));
    return Optional.empty();
  }

  /** Issued for the first token of this resource, Rotated once a later one replaced it. */
  private String readyReason(CurrentToken t) {
    Optional<io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenStatus> previous = Optional.ofNullable(r.getStatus());
    String previousId = previous.map(st -> st.getTokenId()).orElse(null);
    if (previousId == null) {
      return Reasons.ISSUED;
    }
    if (!previousId.equals(t.tokenId())) {
      return Reasons.ROTATED;
    }
    return new StatusBuilder(previous.get(), 0L, now).condition(StatusBuilder.READY)
        .map(c -> c.getReason()).filter(x -> x.equals(Reasons.ISSUED) || x.equals(Reasons.ROTATED))
        .orElse(Reasons.ISSUED);
  }

  private Optional<Long> previousRotationCount() {
    return Optional.ofNullable(r.getStatus()).map(st -> st.getRotationCount());
  }

  private boolean hadTokenBefore() {
    return r.getStatus() != null && r.getStatus().getTokenId() != null;
  }

  /** The token consumers held until now, to revoke after the grace period, if it may be revoked. */
  private Optional<PendingRevocation> previousToRevoke(IssueTrigger trigger, boolean adoptWithNewToken,
      List<TokenInfo> listed) {
    Optional<String> id = state.recordedTokenId();
    if (adoptWithNewToken || state.ownership() != Ownership.OWNED || id.isEmpty() || trigger == IssueTrigger.TOKEN_GONE) {
      return Optional.empty();
    }
    if (trigger == IssueTrigger.SPEC_CHANGED) {
      // the instance or account may have changed: only revoke what this account's list proves ours
      boolean provablyOurs = listed.stream().anyMatch(t -> id.get().equals(t.id())
          && Objects.equals(t.name(), state.recordedTokenName().orElse(null)));
      if (!provablyOurs) {
        LOG.info("{}/{}: previous token {} is not on the current service account; it is left to expire",
            res.namespace(), res.name(), id.get());
        return Optional.empty();
      }
    }
    Optional<CurrentToken> cur = state.current();
    Optional<Duration> grace = cur.flatMap(this::schedule).map(RenewalSchedule::gracePeriod)
        .orElse(res.kind() == ProviderKind.YANDEX_CLOUD ? res.gracePeriod() : Optional.of(Duration.ofMinutes(10)));
    if (grace.isEmpty()) {
      return Optional.empty();
    }
    Instant previousExpiry = cur.map(CurrentToken::expiresAt).orElse(null);
    Instant at = RenewalSchedule.revokeAt(d.clock().instant(), grace.get(), previousExpiry);
    return Optional.of(new PendingRevocation(id.get(), state.recordedServiceAccountId().orElse(null), at.toString()));
  }

  /** api.md step 4: replace the estimated expiry with the provider's. Returns the list read. */
  private List<TokenInfo> correctExpiry(TokenSession s, CurrentToken token, List<PendingRevocation> pending) {
    List<TokenInfo> after;
    try {
      after = s.list();
    } catch (ProviderException e) {
      expiryNote = " (expiry estimated: the token list could not be read: " + e.getMessage() + ")";
      return List.of();
    }
    d.liveness().put(accountKey(s), d.clock().instant(), after);
    Optional<Instant> real = TokenIssuer.realExpiry(token, after);
    if (real.isEmpty()) {
      expiryNote = " (expiry estimated: the provider's token list does not show the token)";
      return after;
    }
    if (!real.get().equals(token.expiresAt())) {
      Secret corrected = TokenSecrets.desired(state.secret().get(), res.layout(), r, token.withExpiresAt(real.get()),
          pending, res.rotateAnnotation().orElse(null));
      state = TokenSecretState.of(d.store().write(state.secret().get(), corrected), res.uid());
    }
    return after;
  }

  /**
   * api.md "Which tokens the operator may delete" (b): this resource's tokens by name that no
   * managed Secret holds and that are not pending revocation — lost creates and expired ones.
   */
  private void sweep(TokenSession s, List<TokenInfo> listed, List<PendingRevocation> pending) throws ProviderException {
    Set<String> keep = pending.stream().map(PendingRevocation::getTokenId).collect(Collectors.toSet());
    state.recordedTokenId().ifPresent(keep::add);
    for (TokenInfo t : listed) {
      if (!res.naming().isOurs(t.name()) || keep.contains(t.id()) || d.store().anyHolds(s.serviceAccountId(), t.id())) {
        continue;
      }
      s.revoke(s.serviceAccountId(), t.id());
      LOG.info("{}/{}: swept stray token {} ({})", res.namespace(), res.name(), t.name(), t.id());
    }
  }

  // ---- metadata-only changes and revocations

  /** spec.secret labels, annotations, key, urlKey changed: patch the Secret, no new token. */
  private void applyMetadata() {
    Optional<CurrentToken> cur = state.current();
    if (state.ownership() != Ownership.OWNED || cur.isEmpty()) {
      return;
    }
    Secret desired = TokenSecrets.desired(state.secret().get(), res.layout(), r, cur.get(),
        state.pendingRevocations(), state.rotateRequest().orElse(null));
    if (!TokenSecrets.sameContent(state.secret().get(), desired)) {
      state = TokenSecretState.of(d.store().write(state.secret().get(), desired), res.uid());
      LOG.info("{}/{}: updated the metadata of Secret {}", res.namespace(), res.name(), res.secretName());
    }
  }

  /** Revokes previous tokens whose grace period is over, never one a managed Secret holds. */
  private void revokeDue() throws ProviderException {
    List<PendingRevocation> pending = state.pendingRevocations();
    List<PendingRevocation> due = pending.stream().filter(p -> !revokeAt(p).isAfter(now)).toList();
    if (due.isEmpty() || state.current().isEmpty()) {
      return;
    }
    TokenSession s = session();
    List<PendingRevocation> remaining = new ArrayList<>(pending);
    for (PendingRevocation p : due) {
      if (d.store().anyHolds(p.getServiceAccountId(), p.getTokenId())) {
        LOG.warn("{}/{}: token {} is held by a managed Secret; not revoking it", res.namespace(), res.name(), p.getTokenId());
      } else {
        s.revoke(p.getServiceAccountId() != null ? p.getServiceAccountId() : s.serviceAccountId(), p.getTokenId());
        d.events().emit(r, Type.Normal, Reasons.REVOKED, "Revoked previous token " + p.getTokenId());
        LOG.info("{}/{}: revoked previous token {}", res.namespace(), res.name(), p.getTokenId());
      }
      remaining.remove(p);
    }
    Secret desired = TokenSecrets.desired(state.secret().get(), res.layout(), r, state.current().get(), remaining,
        state.rotateRequest().orElse(null));
    state = TokenSecretState.of(d.store().write(state.secret().get(), desired), res.uid());
  }

  private Instant revokeAt(PendingRevocation p) {
    try {
      return Instant.parse(p.getRevokeAt());
    } catch (DateTimeParseException | NullPointerException e) {
      return Instant.EPOCH;
    }
  }

  // ---- failures and waiting

  /** api.md "Failures and retries": while a backoff runs, no provider is called. */
  private Optional<Outcome> waitForBackoff(Optional<IssueTrigger> trigger) {
    Optional<RetryBook.Failure> f = d.retries().failure(res.uid());
    if (f.isEmpty() || f.get().generation() != generation()) {
      return Optional.empty();
    }
    // a rejected credential from a Secret waits for the Secret to change (a wrong password retried
    // locks Grafana's admin out); an ambient identity has no Secret and is fixed outside
    // Kubernetes (a federation, a role), so it waits out its delay like other failures
    if (ProviderReasons.CREDENTIALS_REJECTED.equals(f.get().reason()) && !CredentialRefs.names(r.getSpec()).isEmpty()) {
      CredentialRefs.names(r.getSpec()).forEach(lookup::data);
      if (!lookup.fingerprint().equals(f.get().credentials())) {
        return Optional.empty();
      }
      return Optional.of(settledWithRecheck(Backoff.CREDENTIALS));
    }
    if (!now.isBefore(f.get().notBefore())) {
      return Optional.empty();
    }
    return Optional.of(settledWithRecheck(Duration.between(now, f.get().notBefore())));
  }

  private Outcome failed(ProviderException e, Optional<IssueTrigger> trigger) {
    int attempts = d.retries().attempts(res.uid()) + 1;
    String reason = e.reason();
    Duration delay = switch (reason) {
      case ProviderReasons.CREDENTIALS_REJECTED, ProviderReasons.CREDENTIALS_NOT_FOUND -> Backoff.CREDENTIALS;
      case ProviderReasons.SAME_TOKEN_RETURNED -> Backoff.sameTokenDelay(attempts);
      default -> e instanceof TransientProviderException
          ? Backoff.transientDelay(attempts, state.current().flatMap(this::schedule).map(RenewalSchedule::renewBefore)
              .or(res::renewBefore), e.retryAfter())
          : Backoff.PERMANENT;
    };
    Optional<RetryBook.Failure> previous = d.retries().failure(res.uid());
    d.retries().failed(res.uid(), new RetryBook.Failure(attempts, now.plus(delay), reason, e.getMessage(),
        generation(), lookup.fingerprint()));
    String message = trigger.map(t -> t.description() + "; ").orElse("") + e.getMessage();
    boolean reasonChanged = previous.map(p -> !p.reason().equals(reason)).orElse(true);
    if (reasonChanged || Integer.bitCount(attempts) == 1) {
      d.events().emit(r, Type.Warning, reason, message);
    }
    LOG.warn("{}/{}: {} (attempt {}, next in {}s): {}", res.namespace(), res.name(), reason, attempts,
        delay.getSeconds(), message);
    if (trigger.isPresent()) {
      status.issuing(reason, message);
      d.metrics().issueFailed(res.namespace(), res.name(), res.kind().specName(), reason);
    }
    Outcome settled = settled(false);
    if (state.current().isEmpty() || state.keyEdited()) {
      status.notReady(reason, message);
    }
    Duration recheck = min(delay, settled.recheckAfter().orElse(delay));
    return new Outcome(status.build(), !status.unchanged(), Optional.of(recheck));
  }

  private Outcome settledWithRecheck(Duration recheck) {
    Outcome o = settled(false);
    return new Outcome(o.status(), o.statusChanged(), Optional.of(min(recheck, o.recheckAfter().orElse(recheck))));
  }

  private Outcome blocked(String reason, String message) {
    status.notReady(reason, message).idle();
    return new Outcome(status.build(), !status.unchanged(), Optional.empty());
  }

  // ---- status and the next look

  /** Status from what the Secret holds (the record), and when to look again. */
  private Outcome settled(boolean idle) {
    Optional<CurrentToken> cur = state.current();
    Instant next = now.plus(Duration.ofMinutes(5));
    if (cur.isPresent() && !state.keyEdited()) {
      CurrentToken t = cur.get();
      long n = res.naming().counterOf(t.tokenName()).orElse(previousRotationCount().orElse(1L));
      status.token(res.kind().specName(), t, n)
          .pendingRevocations(state.pendingRevocations())
          .lastRotateRequest(state.rotateRequest().orElse(null));
      Optional<RenewalSchedule> schedule = schedule(t);
      schedule.ifPresent(s -> status.renewalTime(s.renewalTime()));
      if (t.expiresAt() != null && !now.isBefore(t.expiresAt())) {
        status.notReady(Reasons.EXPIRED, "the key in Secret " + res.secretName() + " expired at " + t.expiresAt());
      } else {
        status.ready(readyReason(t), "Secret " + res.secretName() + " holds token "
            + t.tokenName() + " (id " + t.tokenId() + "), valid until " + t.expiresAt()
            + schedule.map(s -> ", renewal at " + s.renewalTime()).orElse("") + expiryNote);
        next = earliest(next, t.expiresAt());
      }
      next = earliest(next, schedule.map(RenewalSchedule::renewalTime).orElse(null));
      for (PendingRevocation p : state.pendingRevocations()) {
        next = earliest(next, revokeAt(p));
      }
      if (!d.tokenCheckInterval().isZero() && res.provider().capabilities().canList()) {
        next = earliest(next, d.liveness().nextCheck(res.uid(), d.tokenCheckInterval()).orElse(null));
      }
    }
    if (idle) {
      status.idle();
    }
    Duration after = Duration.between(now, next);
    return new Outcome(status.build(), !status.unchanged(),
        Optional.of(after.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : after));
  }

  // ---- helpers

  private TokenSession session() throws ProviderException {
    if (session == null) {
      session = res.provider().open(r.getSpec(), lookup);
      session.warnings().stream().filter(w -> d.retries().firstWarning(res.uid(), w))
          .forEach(w -> d.events().emit(r, Type.Warning, Reasons.INSECURE_CREDENTIALS, w));
    }
    return session;
  }

  private String accountKey(TokenSession s) {
    return res.kind().specName() + "|" + res.provider().baseUrl(r.getSpec()).orElse("") + "|" + s.serviceAccountId();
  }

  private long generation() {
    return r.getMetadata().getGeneration() == null ? 0 : r.getMetadata().getGeneration();
  }

  private void warnOnce(String reason, String message) {
    Optional<io.fabric8.kubernetes.api.model.Condition> ready = Optional.ofNullable(r.getStatus())
        .flatMap(s -> s.getConditions().stream().filter(c -> StatusBuilder.READY.equals(c.getType())
            || StatusBuilder.ISSUING.equals(c.getType())).filter(c -> reason.equals(c.getReason())).findFirst());
    if (ready.isEmpty()) {
      d.events().emit(r, Type.Warning, reason, message);
    }
  }

  private static Optional<Long> boxed(java.util.OptionalLong v) {
    return v.isPresent() ? Optional.of(v.getAsLong()) : Optional.empty();
  }

  private static Instant earliest(Instant a, Instant b) {
    return b == null || a.isBefore(b) ? a : b;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
