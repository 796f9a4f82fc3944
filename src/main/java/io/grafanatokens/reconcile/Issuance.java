package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenStatus;
import io.grafanatokens.api.v1alpha1.PendingRevocation;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.observability.EventEmitter.Type;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.TokenSession;
import io.grafanatokens.reconcile.policy.IssuePolicy;
import io.grafanatokens.reconcile.policy.IssueTrigger;
import io.grafanatokens.reconcile.policy.Locations;
import io.grafanatokens.reconcile.policy.RenewalSchedule;
import io.grafanatokens.secret.CurrentToken;
import io.grafanatokens.secret.TokenSecretState;
import io.grafanatokens.secret.TokenSecretState.Ownership;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One issue for a trigger, end to end: what the new Secret records (counter, previous token and its
 * grace), the create and the swap ({@link TokenIssuer}), then the restart, the list and the sweep
 * ({@link AfterSwap}), and the Events. The Secret's copy is read from the API server right before
 * the create, so that a stale cache never costs a minted-then-deleted token.
 */
final class Issuance {
  private static final Logger LOG = LoggerFactory.getLogger(Issuance.class);

  private final PassContext c;
  private final PassState st;

  /** The token being replaced, when it lives at another location and is left to expire. */
  private Optional<String> leftToExpire = Optional.empty();

  private Optional<Instant> replacedExpiry = Optional.empty();

  Issuance(PassContext c, PassState st) {
    this.c = c;
    this.st = st;
  }

  void issue(IssueTrigger trigger, boolean adoptWithNewToken) throws ProviderException {
    Optional<Secret> existing = writableSecret();
    if (st.lookAgainNow || st.hold.isPresent()) {
      return;
    }
    TokenSession s = c.session();
    // the token consumers held, kept from the sweep after the issue: only where its id means it
    String replaced =
        st.secret.exists()
            ? st.heldHere(c.res.location()).orElse(null)
            : c.previousStatus().getTokenId();
    List<PendingRevocation> pending =
        new ArrayList<>(adoptWithNewToken ? List.of() : carried(st.pending()));
    previousToRevoke(trigger, adoptWithNewToken).ifPresent(pending::add);
    CurrentToken held =
        st.secret.ownership() == Ownership.OWNED && !st.secret.keyEdited()
            ? st.secret.current().orElse(null)
            : null;
    // consumers held a key before this issue — the Secret's (an adopted one, or one whose status
    // write was lost) or status's: then it is a rotation and the restart is owed
    boolean first = st.secret.current().isEmpty() && c.previousStatus().getTokenId() == null;
    Optional<TokenIssuer.Swap> swap =
        new TokenIssuer(c, st).issue(s, existing.orElse(null), held, nextCounter(), pending);
    c.providerAnswered();
    if (swap.isEmpty()) {
      return;
    }
    st.issued = true;
    recordIssue(s, trigger, swap.get(), first);
    new AfterSwap(c, st).run(s, swap.get(), replaced, !first);
    announce(trigger, swap.get(), first);
    leftToExpire.ifPresent(
        id ->
            c.leftToExpire(
                id,
                "previous token "
                    + id
                    + Locations.ELSEWHERE
                    + replacedExpiry.map(t -> " at " + t).orElse("")));
  }

  /**
   * The Secret to write over, read from the API server right before the create (empty: create one).
   * The cache sees only labelled Secrets and may lag: an unlabelled Secret of someone else at the
   * name is a SecretConflict found before any provider call, and a Secret that changed since the
   * cache saw it is looked at again rather than costing a minted-then-deleted token.
   */
  private Optional<Secret> writableSecret() {
    Secret fresh = c.d.store().readFromServer(c.res.namespace(), c.res.secretName());
    TokenSecretState now = TokenSecretState.of(fresh, c.res.uid(), c.res.layout().key());
    if (now.ownership() == Ownership.FOREIGN) {
      c.d.holds().foreign(c.res.namespace(), c.res.secretName(), c.now);
      st.secret = now;
      st.hold = Optional.of(IssuePolicy.SECRET_CONFLICT);
      c.warn(Reasons.SECRET_CONFLICT, IssuePolicy.SECRET_CONFLICT.message());
      return Optional.empty();
    }
    Secret cached = st.secret.secret().orElse(null);
    String cachedVersion = cached == null ? null : cached.getMetadata().getResourceVersion();
    String freshVersion = fresh == null ? null : fresh.getMetadata().getResourceVersion();
    if (!Objects.equals(cachedVersion, freshVersion)
        && (now.ownership() != st.secret.ownership()
            || !now.recordedTokenId().equals(st.secret.recordedTokenId())
            || now.keyEdited() != st.secret.keyEdited())) {
      LOG.info(
          "{}: the Secret changed since the cache saw it; looking again before issuing", c.who());
      st.secret = now;
      st.lookAgainNow = true;
      return Optional.empty();
    }
    return Optional.ofNullable(fresh);
  }

  /**
   * The pending entries the new Secret carries over. An older entry without a location is judged
   * now, against the record it sits in, and stamped with the location it is found at: in the new
   * Secret that context would be lost. One that cannot be shown to live here is left to expire.
   */
  private List<PendingRevocation> carried(List<PendingRevocation> entries) {
    boolean inSecret = st.secret.exists();
    String recordLocation =
        inSecret ? st.secret.recordedLocation().orElse(null) : c.previousStatus().getLocation();
    String recordTarget =
        inSecret ? st.secret.recordedTargetHash().orElse(null) : c.previousStatus().getTarget();
    List<PendingRevocation> out = new ArrayList<>();
    for (PendingRevocation p : entries) {
      if (p.getLocation() != null) {
        out.add(p);
      } else if (Locations.current(
          null, p.getTarget(), recordLocation, recordTarget, c.res.here())) {
        out.add(p.withLocation(c.res.location()));
      } else {
        c.leftToExpire(p.getTokenId(), "previous token " + p.getTokenId() + Locations.ELSEWHERE);
      }
    }
    return out;
  }

  /** 1 + the highest counter known from status and the Secret; a clash at the provider bumps it. */
  private long nextCounter() {
    GrafanaServiceAccountTokenStatus status = c.previousStatus();
    long known =
        Math.max(
            status.getRotationCount() == null ? 0 : status.getRotationCount(),
            Math.max(
                counterOf(st.secret.recordedTokenName().orElse(null)),
                counterOf(status.getTokenName())));
    return known + 1;
  }

  private long counterOf(String tokenName) {
    var n = c.res.naming().counterOf(tokenName);
    return n.isPresent() ? n.getAsLong() : 0;
  }

  /**
   * The token consumers held until now, to revoke after its grace period, when it may be revoked
   * here: from the Secret, or from status when the Secret was deleted (it keeps its grace).
   */
  private Optional<PendingRevocation> previousToRevoke(
      IssueTrigger trigger, boolean adoptWithNewToken) {
    if (adoptWithNewToken || trigger == IssueTrigger.TOKEN_GONE) {
      return Optional.empty();
    }
    GrafanaServiceAccountTokenStatus status = c.previousStatus();
    String id;
    String account;
    String location;
    String target;
    Optional<CurrentToken> cur = Optional.empty();
    if (st.secret.ownership() == Ownership.OWNED && st.secret.recordedTokenId().isPresent()) {
      id = st.secret.recordedTokenId().get();
      account = st.secret.recordedServiceAccountId().orElse(null);
      location = st.secret.recordedLocation().orElse(null);
      target = st.secret.recordedTargetHash().orElse(null);
      cur = st.secret.current();
    } else if (st.secret.ownership() == Ownership.ABSENT && status.getTokenId() != null) {
      id = status.getTokenId();
      account = status.getServiceAccountId();
      location = status.getLocation();
      target = status.getTarget();
      cur =
          Optional.of(
              new CurrentToken(
                  id,
                  status.getTokenName(),
                  account,
                  instant(status.getIssuedAt()),
                  instant(status.getExpiresAt()),
                  "",
                  target,
                  location));
    } else {
      return Optional.empty();
    }
    if (!Locations.current(location, target, location, target, c.res.here())) {
      // said once the new token is in place: a failing create must not repeat it, and until then it
      // is current
      leftToExpire = Optional.of(id);
      replacedExpiry = cur.map(CurrentToken::expiresAt);
      return Optional.empty();
    }
    Optional<Duration> grace =
        cur.flatMap(c.res::schedule).flatMap(RenewalSchedule::gracePeriod).or(c.res::fallbackGrace);
    if (grace.isEmpty()
        || (cur.isPresent() && cur.get().expiresAt() == null && !st.secret.exists())) {
      return Optional.empty();
    }
    Instant at =
        RenewalSchedule.revokeAt(
            c.d.clock().instant(), grace.get(), cur.map(CurrentToken::expiresAt).orElse(null));
    return Optional.of(PendingRevocation.at(id, account, c.res.location(), at.toString()));
  }

  private void recordIssue(
      TokenSession s, IssueTrigger trigger, TokenIssuer.Swap swap, boolean first)
      throws ProviderException {
    if (c.res.capabilities().canList()) {
      c.d.liveness().created(c.account(s), swap.token().tokenId());
    }
    c.d.triggers().issued(c.res.uid());
    st.tokenGone = false;
    c.d.holds().written(c.res.uid());
    c.d.holds().notForeign(c.res.namespace(), c.res.secretName());
    c.d.retries().succeeded(c.res.uid());
    c.d.warnings().recovered(c.res.uid());
    if (trigger == IssueTrigger.SECRET_MISSING && !first) {
      c.d.triggers().secretMissingIssued(c.res.uid(), c.now);
    }
    if (!first) {
      c.d.metrics().rotated(c.res.namespace(), c.res.name(), c.res.kind().specName());
    }
  }

  private void announce(IssueTrigger trigger, TokenIssuer.Swap swap, boolean first) {
    CurrentToken token = st.secret.current().orElse(swap.token());
    String what =
        "token "
            + token.tokenName()
            + " (id "
            + token.tokenId()
            + ") in Secret "
            + c.res.secretName()
            + ", valid until "
            + token.expiresAt();
    c.event(
        Type.Normal,
        first ? Reasons.ISSUED : Reasons.ROTATED,
        (first ? "Issued " : "Rotated (" + trigger.reason() + "): issued ") + what);
    LOG.info("{}: {} {}", c.who(), first ? "issued" : "rotated (" + trigger.reason() + "):", what);
    c.res
        .schedule(token)
        .flatMap(RenewalSchedule::shortLifetime)
        .ifPresent(msg -> c.event(Type.Warning, Reasons.SHORT_LIFETIME, msg));
  }

  private static Instant instant(String t) {
    try {
      return t == null ? null : Instant.parse(t);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
