package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenStatus;
import io.grafanatokens.api.v1alpha1.PendingRevocation;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.observability.EventEmitter.Type;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.RevokeOutcome;
import io.grafanatokens.provider.TokenInfo;
import io.grafanatokens.provider.TokenSession;
import io.grafanatokens.reconcile.policy.Locations;
import io.grafanatokens.secret.TokenSecretState;
import io.grafanatokens.secret.TokenSecretState.Ownership;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokens a delete may revoke (docs/reference.md#which-tokens-may-be-deleted): those recorded
 * for this resource in its Secret and status at the location they were issued at, and the sweep's
 * strays. A token issued at another location, or held by a Secret of another resource, is never
 * revoked; a service account or workspace that is gone leaves nothing to revoke. What a waiting
 * delete already revoked is remembered and not called again.
 */
final class DeleteTokens {
  private static final Logger LOG = LoggerFactory.getLogger(DeleteTokens.class);

  private final PassContext c;
  private final TokenSecretState state;
  private final GrafanaServiceAccountTokenStatus status;
  private final Set<String> revoked;
  private final List<String> leftToExpire = new ArrayList<>();
  private final RecordedIds recorded;

  DeleteTokens(PassContext c, TokenSecretState state) {
    this.c = c;
    this.state = state;
    this.status = c.previousStatus();
    this.revoked = c.d.retries().revokedOnDelete(c.res.uid());
    this.recorded = new RecordedIds(c);
  }

  Optional<Secret> secret() {
    return state.secret();
  }

  TokenSecretState state() {
    return state;
  }

  /**
   * Retain: previous tokens only, and a failure leaves them to expire rather than holding the
   * delete.
   */
  void revokePreviousOrLeaveThem() {
    try {
      for (PendingRevocation p : previous().values()) {
        revoke(p.getServiceAccountId(), p.getTokenId());
      }
    } catch (ProviderException e) {
      LOG.warn(
          "{}: could not revoke previous tokens {} on delete ({}); Retain releases at once and leaves them to "
              + "expire",
          c.who(),
          remaining(),
          e.getMessage());
    }
  }

  /**
   * Retain while the provider cannot be called: the previous tokens are left to expire, each said
   * once.
   */
  void leavePreviousToExpire(String why) {
    for (PendingRevocation p : previous().values()) {
      leftToExpire.add(p.getTokenId());
      c.leftToExpire(
          p.getTokenId(), "previous token " + p.getTokenId() + " is left to expire: " + why);
    }
  }

  void revokePreviousAndStrays() throws ProviderException {
    for (PendingRevocation p : previous().values()) {
      revoke(p.getServiceAccountId(), p.getTokenId());
    }
    if (!c.res.capabilities().canList()) {
      return;
    }
    TokenSession s = c.session();
    List<TokenInfo> listed;
    String account;
    try {
      account = s.serviceAccountId();
      listed = s.list().tokens();
    } catch (PermanentProviderException e) {
      if (!Reasons.SERVICE_ACCOUNT_NOT_FOUND.equals(e.reason())) {
        throw e;
      }
      LOG.info(
          "{}: the service account is gone ({}); nothing is left to sweep there",
          c.who(),
          e.getMessage());
      return;
    }
    Optional<String> current = current().map(PendingRevocation::getTokenId);
    for (TokenInfo t : listed) {
      if (c.res.naming().isOurs(t.name()) && !current.equals(Optional.of(t.id()))) {
        revoke(account, t.id());
      }
    }
  }

  /** Last, once the Secret is gone: consumers never read a revoked key. */
  void revokeCurrent() throws ProviderException {
    Optional<PendingRevocation> current = current();
    if (current.isPresent()) {
      revoke(current.get().getServiceAccountId(), current.get().getTokenId());
    }
  }

  /** The ids known from status that are neither revoked nor left to expire yet. */
  List<String> remaining() {
    return knownIds(status).stream()
        .filter(id -> !revoked.contains(id) && !leftToExpire.contains(id))
        .toList();
  }

  String summary() {
    return "revoked tokens "
        + revoked
        + (leftToExpire.isEmpty() ? "" : "; left to expire " + leftToExpire);
  }

  /** Every token id the status records: the current one and the pending ones. */
  static List<String> knownIds(GrafanaServiceAccountTokenStatus status) {
    List<String> ids = new ArrayList<>();
    if (status == null) {
      return ids;
    }
    if (status.getTokenId() != null) {
      ids.add(status.getTokenId());
    }
    if (status.getPendingRevocations() != null) {
      status.getPendingRevocations().forEach(p -> ids.add(p.getTokenId()));
    }
    return ids;
  }

  /**
   * Pending entries of the Secret and of status, by id, those issued at another location left to
   * expire.
   */
  private Map<String, PendingRevocation> previous() {
    Map<String, PendingRevocation> out = new LinkedHashMap<>();
    List<PendingRevocation> all = new ArrayList<>();
    if (state.ownership() == Ownership.OWNED) {
      all.addAll(state.pendingRevocations());
    }
    if (status.getPendingRevocations() != null) {
      all.addAll(status.getPendingRevocations());
    }
    for (PendingRevocation p : all) {
      if (here(p.getLocation(), p.getTarget(), p.getTokenId())) {
        out.putIfAbsent(p.getTokenId(), p);
      }
    }
    return out;
  }

  /** The current token: the Secret's, else status's, when it was issued at the current location. */
  private Optional<PendingRevocation> current() {
    if (state.ownership() == Ownership.OWNED && state.recordedTokenId().isPresent()) {
      String id = state.recordedTokenId().get();
      return here(
              state.recordedLocation().orElse(null), state.recordedTargetHash().orElse(null), id)
          ? Optional.of(
              new PendingRevocation(id, state.recordedServiceAccountId().orElse(null), null, null))
          : Optional.empty();
    }
    if (status.getTokenId() != null
        && here(status.getLocation(), status.getTarget(), status.getTokenId())) {
      return Optional.of(
          new PendingRevocation(status.getTokenId(), status.getServiceAccountId(), null, null));
    }
    return Optional.empty();
  }

  /**
   * A token is revoked only at the location it was issued at
   * (docs/reference.md#which-tokens-may-be-deleted).
   */
  private boolean here(String location, String target, String id) {
    boolean owned = state.ownership() == Ownership.OWNED;
    if (Locations.current(
        location,
        target,
        owned ? state.recordedLocation().orElse(null) : status.getLocation(),
        owned ? state.recordedTargetHash().orElse(null) : status.getTarget(),
        c.res.here())) {
      return true;
    }
    // not marked revoked: ids are per instance, and the same id may name this resource's token here
    if (!leftToExpire.contains(id)) {
      leftToExpire.add(id);
      c.leftToExpire(id, "token " + id + Locations.ELSEWHERE);
    }
    return false;
  }

  private void revoke(String serviceAccountId, String tokenId) throws ProviderException {
    if (revoked.contains(tokenId)) {
      return;
    }
    TokenSession s = c.session();
    String account = serviceAccountId != null ? serviceAccountId : s.serviceAccountId();
    if (c.heldByOthers(account, tokenId)) {
      LOG.info(
          "{}: token {} is held by another resource's Secret; it is not this delete's to revoke",
          c.who(),
          tokenId);
      revoked.add(tokenId);
      return;
    }
    try {
      if (!recorded.ours(s, account, tokenId)) {
        leftToExpire.add(tokenId);
        revoked.add(tokenId);
        c.leftToExpire(tokenId, RecordedIds.notOurs("token", tokenId));
        return;
      }
      RevokeOutcome outcome = s.revoke(account, tokenId);
      c.providerAnswered();
      if (outcome == RevokeOutcome.REVOKED) {
        c.event(Type.Normal, Reasons.REVOKED, "Revoked token " + tokenId + " on delete");
      }
    } catch (PermanentProviderException e) {
      c.providerFailed(e);
      if (Reasons.CREDENTIALS_REJECTED.equals(e.reason())
          || Reasons.CREDENTIALS_NOT_FOUND.equals(e.reason())) {
        throw e;
      }
      if (!Reasons.SERVICE_ACCOUNT_NOT_FOUND.equals(e.reason())) {
        leftToExpire.add(tokenId);
        c.leftToExpire(
            tokenId,
            "token "
                + tokenId
                + " could not be revoked on delete ("
                + e.getMessage()
                + "); it is left to expire");
      }
    }
    revoked.add(tokenId);
    LOG.debug("{}: token {} done on delete", c.who(), tokenId);
  }
}
