package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.PendingRevocation;
import io.grafanatokens.observability.EventEmitter.Type;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.ProviderReasons;
import io.grafanatokens.provider.TokenInfo;
import io.grafanatokens.provider.TokenProvider;
import io.grafanatokens.provider.TokenSession;
import io.grafanatokens.provider.TransientProviderException;
import io.grafanatokens.reconcile.policy.Backoff;
import io.grafanatokens.reconcile.policy.Reasons;
import io.grafanatokens.reconcile.policy.SpecValidator;
import io.grafanatokens.secret.SecretAnnotations;
import io.grafanatokens.secret.TokenSecretState;
import io.grafanatokens.secret.TokenSecretState.Ownership;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The finalizer (api.md "Delete"): Revoke revokes the current, pending and stray tokens; Retain
 * releases the Secret and revokes only pending ones. It never hangs a terminating namespace.
 */
final class CleanupPass {
  /** In a terminating namespace the finalizer gives up this long after deletionTimestamp. */
  static final Duration GIVE_UP_AFTER = Duration.ofMinutes(2);

  private static final Logger LOG = LoggerFactory.getLogger(CleanupPass.class);

  /** Remove the finalizer, or look again after a delay. */
  record Result(boolean done, Duration retryAfter) {}

  private final ReconcileDeps d;
  private final GrafanaServiceAccountToken r;
  private final KubernetesSecretLookup lookup;
  private final Instant now;

  CleanupPass(ReconcileDeps d, GrafanaServiceAccountToken r, KubernetesSecretLookup lookup) {
    this.d = d;
    this.r = r;
    this.lookup = lookup;
    this.now = d.clock().instant();
  }

  Result run() {
    String ns = r.getMetadata().getNamespace();
    if (!SpecValidator.validate(r.getSpec()).isEmpty()) {
      d.metrics().forget(ns, r.getMetadata().getName());
      LOG.warn("{}/{}: deleted with an invalid spec; no provider can be called, tokens {} are left to expire", ns,
          r.getMetadata().getName(), knownTokenIds());
      return new Result(true, Duration.ZERO);
    }
    Optional<TokenProvider> provider = d.providers().forKind(ProviderRegistry.kindOf(r.getSpec()));
    if (provider.isEmpty()) {
      return new Result(true, Duration.ZERO);
    }
    ResolvedResource res = ResolvedResource.of(r, ProviderRegistry.kindOf(r.getSpec()), provider.get());
    TokenSecretState state = d.store().read(ns, res.secretName(), res.uid());
    try {
      if (res.retain()) {
        retain(res, state);
      } else {
        revokeAll(res, state);
      }
      d.retries().forget(res.uid());
      d.liveness().forget(res.uid());
      d.metrics().forget(ns, r.getMetadata().getName());
      return new Result(true, Duration.ZERO);
    } catch (ProviderException e) {
      if (namespaceTerminating(ns) && givenUp()) {
        abandon(res, e);
        d.retries().forget(res.uid());
        d.metrics().revocationsAbandoned(ns);
        d.metrics().forget(ns, r.getMetadata().getName());
        return new Result(true, Duration.ZERO);
      }
      int attempts = d.retries().attempts(res.uid()) + 1;
      Duration delay = e instanceof TransientProviderException
          ? Backoff.transientDelay(attempts, res.renewBefore(), e.retryAfter())
          : ProviderReasons.CREDENTIALS_NOT_FOUND.equals(e.reason()) || ProviderReasons.CREDENTIALS_REJECTED.equals(e.reason())
              ? Backoff.CREDENTIALS : Backoff.PERMANENT;
      if (namespaceTerminating(ns)) {
        Instant deadline = deletionTime().plus(GIVE_UP_AFTER);
        if (deadline.isAfter(now) && Duration.between(now, deadline).compareTo(delay) < 0) {
          delay = Duration.between(now, deadline).plusSeconds(1);
        }
      }
      d.retries().failed(res.uid(), new RetryBook.Failure(attempts, now.plus(delay), e.reason(), e.getMessage(),
          0, lookup.fingerprint()));
      d.events().emit(r, Type.Warning, e.reason(), "could not revoke tokens on delete: " + e.getMessage());
      LOG.warn("{}/{}: {} while revoking on delete (attempt {}, next in {}s): {}", ns, r.getMetadata().getName(),
          e.reason(), attempts, delay.getSeconds(), e.getMessage());
      return new Result(false, delay);
    }
  }

  private void revokeAll(ResolvedResource res, TokenSecretState state) throws ProviderException {
    TokenSession s = res.provider().open(r.getSpec(), lookup);
    Map<String, String> tokens = new LinkedHashMap<>();
    if (state.ownership() == Ownership.OWNED) {
      state.recordedTokenId().ifPresent(id -> tokens.put(id, state.recordedServiceAccountId().orElse(null)));
      state.pendingRevocations().forEach(p -> tokens.put(p.getTokenId(), p.getServiceAccountId()));
    }
    if (r.getStatus() != null) {
      if (r.getStatus().getTokenId() != null) {
        tokens.putIfAbsent(r.getStatus().getTokenId(), r.getStatus().getServiceAccountId());
      }
      if (r.getStatus().getPendingRevocations() != null) {
        r.getStatus().getPendingRevocations().forEach(p -> tokens.putIfAbsent(p.getTokenId(), p.getServiceAccountId()));
      }
    }
    if (res.provider().capabilities().canList()) {
      for (TokenInfo t : s.list()) {
        if (res.naming().isOurs(t.name())) {
          tokens.putIfAbsent(t.id(), s.serviceAccountId());
        }
      }
    }
    for (Map.Entry<String, String> t : tokens.entrySet()) {
      if (heldElsewhere(res, t.getKey(), t.getValue())) {
        LOG.warn("{}/{}: token {} is held by another managed Secret; not revoking it", res.namespace(), res.name(), t.getKey());
        continue;
      }
      s.revoke(t.getValue() != null ? t.getValue() : s.serviceAccountId(), t.getKey());
    }
    if (!tokens.isEmpty()) {
      d.events().emit(r, Type.Normal, Reasons.REVOKED, "Revoked tokens " + tokens.keySet() + " on delete");
    }
    LOG.info("{}/{}: deleted; revoked tokens {}", res.namespace(), res.name(), tokens.keySet());
    // a real API server deletes the Secret through its owner reference; do it now so that no
    // consumer reads a revoked key in the meantime
    state.secret().filter(sec -> state.ownership() == Ownership.OWNED).ifPresent(d.store()::delete);
  }

  private boolean heldElsewhere(ResolvedResource res, String tokenId, String serviceAccountId) {
    return d.store().anyHolds(serviceAccountId, tokenId)
        && d.store().ownedBy(res.namespace(), res.uid()).stream().noneMatch(sec -> tokenId.equals(
            sec.getMetadata().getAnnotations().get(SecretAnnotations.TOKEN_ID)));
  }

  private void retain(ResolvedResource res, TokenSecretState state) {
    if (state.ownership() != Ownership.OWNED) {
      return;
    }
    Secret secret = state.secret().get();
    if (!state.pendingRevocations().isEmpty()) {
      try {
        TokenSession s = res.provider().open(r.getSpec(), lookup);
        for (PendingRevocation p : state.pendingRevocations()) {
          s.revoke(p.getServiceAccountId() != null ? p.getServiceAccountId() : s.serviceAccountId(), p.getTokenId());
        }
        secret = TokenSecretState.withoutPending(secret);
      } catch (ProviderException e) {
        // Retain is the escape hatch: it releases at once; previous tokens are left to expire
        LOG.warn("{}/{}: could not revoke previous tokens {} on delete ({}); they are left to expire",
            res.namespace(), res.name(), state.pendingRevocations().stream().map(PendingRevocation::getTokenId).toList(),
            e.getMessage());
      }
    }
    d.store().write(state.secret().get(), io.grafanatokens.secret.TokenSecrets.released(secret, res.uid()));
    LOG.info("{}/{}: deleted with Retain; Secret {} keeps token {}", res.namespace(), res.name(), res.secretName(),
        state.recordedTokenId().orElse("-"));
  }

  private void abandon(ResolvedResource res, ProviderException e) {
    LOG.warn("{}/{}: namespace is terminating; giving up revocation after {}: tokens {} are left to expire ({})",
        res.namespace(), res.name(), GIVE_UP_AFTER, knownTokenIds(), e.getMessage());
    d.events().emit(r, Type.Warning, e.reason(), "namespace is terminating: tokens " + knownTokenIds()
        + " are left to expire");
  }

  private String knownTokenIds() {
    if (r.getStatus() == null) {
      return "[]";
    }
    StringBuilder b = new StringBuilder("[");
    if (r.getStatus().getTokenId() != null) {
      b.append(r.getStatus().getTokenId());
    }
    if (r.getStatus().getPendingRevocations() != null) {
      r.getStatus().getPendingRevocations().forEach(p -> b.append(b.length() > 1 ? ", " : "").append(p.getTokenId()));
    }
    return b.append("]").toString();
  }

  private boolean givenUp() {
    return !now.isBefore(deletionTime().plus(GIVE_UP_AFTER));
  }

  private Instant deletionTime() {
    String ts = r.getMetadata().getDeletionTimestamp();
    try {
      return ts == null ? now : Instant.parse(ts);
    } catch (RuntimeException e) {
      return now;
    }
  }

  private boolean namespaceTerminating(String ns) {
    return d.namespaces().terminating(ns);
  }

}
