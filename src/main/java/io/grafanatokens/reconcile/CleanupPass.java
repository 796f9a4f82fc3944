package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenStatus;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.observability.EventEmitter.Type;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.SessionPurpose;
import io.grafanatokens.provider.TransientProviderException;
import io.grafanatokens.reconcile.policy.Backoff;
import io.grafanatokens.secret.TokenSecretState;
import io.grafanatokens.secret.TokenSecretState.Ownership;
import io.grafanatokens.secret.TokenSecrets;
import io.grafanatokens.status.StatusBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The finalizer (docs/reference.md#delete). It passes the same gates as issuing: a resource refused
 * the operator's identity, or whose connection is gone, is released with no provider call; a
 * rejected credential is not tried again until its Secret changes. Revoke revokes the previous and
 * stray tokens first, then deletes the Secret, then revokes the current token — so a failure
 * half-way never leaves a revoked key in a Secret. Retain releases the Secret and revokes only
 * previous tokens. While it waits the status says on what; in a terminating namespace it gives up 2
 * minutes after the deletionTimestamp, whatever the cause.
 */
final class CleanupPass {
  /** In a terminating namespace the finalizer gives up this long after deletionTimestamp. */
  static final Duration GIVE_UP_AFTER = Duration.ofMinutes(2);

  private static final Logger LOG = LoggerFactory.getLogger(CleanupPass.class);

  /** Remove the finalizer, or look again after a delay with this status. */
  record Result(boolean done, Duration retryAfter, GrafanaServiceAccountTokenStatus status) {
    static Result released() {
      return new Result(true, Duration.ZERO, null);
    }
  }

  private final ReconcileDeps d;
  private final GrafanaServiceAccountToken r;
  private final Instant now;

  CleanupPass(ReconcileDeps d, GrafanaServiceAccountToken r) {
    this.d = d;
    this.r = r;
    this.now = d.clock().instant();
  }

  Result run() {
    Resolution resolution = new Resolver(d).resolveForDelete(r);
    if (resolution instanceof Resolution.Refused refused) {
      return releaseWithoutProvider(refused);
    }
    Resolution.Usable usable = (Resolution.Usable) resolution;
    PassContext c = new PassContext(d, usable.res(), usable.lookup(), SessionPurpose.CLEANUP);
    DeleteTokens tokens;
    try {
      // what is current and what is a stray is decided from the Secret as it is, not a lagging
      // cache
      tokens =
          new DeleteTokens(
              c,
              TokenSecretState.of(
                  d.store().readFromServer(c.res.namespace(), c.res.secretName()),
                  c.res.uid(),
                  c.res.layout().key()));
    } catch (KubernetesClientException e) {
      c.passEnded();
      return waiting(
          c,
          new DeleteTokens(c, secretState(c)),
          Reasons.SECRET_REJECTED,
          "could not read the Secret: " + WriteOutcome.message(e),
          Backoff.transientDelay(
              d.retries().attempts(c.res.uid()) + 1,
              c.res.renewBefore(),
              java.util.Optional.empty()));
    }
    try {
      PassContext.CredentialCheck credential = c.credentialCheck();
      boolean gated =
          credential.decision() != CredentialGate.Decision.OPEN
              && credential.decision() != CredentialGate.Decision.TRIAL;
      if (c.res.retain()) {
        // decided before any gate: a rejected credential never keeps a Retain resource waiting
        if (gated) {
          tokens.leavePreviousToExpire(
              "the credentials Secret "
                  + c.res.credentialsSecret().orElse("")
                  + " cannot be used now ("
                  + credential.message()
                  + ")");
        } else {
          tokens.revokePreviousOrLeaveThem();
        }
        release(c, tokens);
        LOG.info("{}: deleted; {}", c.who(), tokens.summary());
        return done(c);
      }
      if (credential.decision() == CredentialGate.Decision.CLOSED) {
        return waiting(
            c,
            tokens,
            Reasons.CREDENTIALS_REJECTED,
            "the credentials Secret "
                + c.res.credentialsSecret().get()
                + " was rejected (401) and has not changed since: "
                + credential.message(),
            Backoff.CREDENTIALS);
      }
      if (credential.decision() == CredentialGate.Decision.WAIT) {
        return new Result(false, Duration.ofSeconds(1), null);
      }
      tokens.revokePreviousAndStrays();
      tokens
          .secret()
          .filter(s -> tokens.state().ownership() == Ownership.OWNED)
          .ifPresent(d.store()::delete);
      tokens.revokeCurrent();
      LOG.info("{}: deleted; {}", c.who(), tokens.summary());
      return done(c);
    } catch (ProviderException e) {
      c.providerFailed(e);
      Duration delay =
          e instanceof TransientProviderException
              ? Backoff.transientDelay(
                  d.retries().attempts(c.res.uid()) + 1, c.res.renewBefore(), e.retryAfter())
              : Reasons.CREDENTIALS_NOT_FOUND.equals(e.reason())
                      || Reasons.CREDENTIALS_REJECTED.equals(e.reason())
                  ? Backoff.CREDENTIALS
                  : Backoff.PERMANENT;
      return waiting(
          c, tokens, e.reason(), "could not revoke tokens on delete: " + e.getMessage(), delay);
    } catch (KubernetesClientException e) {
      return waiting(
          c,
          tokens,
          Reasons.SECRET_REJECTED,
          "could not release the Secret: " + WriteOutcome.message(e),
          Backoff.transientDelay(
              d.retries().attempts(c.res.uid()) + 1,
              c.res.renewBefore(),
              java.util.Optional.empty()));
    } finally {
      c.passEnded();
    }
  }

  /**
   * NotPermitted, InvalidSpec, a connection gone: no provider call, never the operator's identity.
   */
  private Result releaseWithoutProvider(Resolution.Refused refused) {
    String ns = r.getMetadata().getNamespace();
    List<String> ids = DeleteTokens.knownIds(r.getStatus());
    String why = refused.reason() + ": " + refused.message();
    LOG.warn(
        "{}/{}: deleted while {}; no provider is called, tokens {} are left to expire",
        ns,
        r.getMetadata().getName(),
        why,
        ids);
    if (!ids.isEmpty()) {
      d.events()
          .emit(
              r,
              Type.Warning,
              Reasons.LEFT_TO_EXPIRE,
              "deleted while "
                  + refused.reason()
                  + ": no provider is called; tokens "
                  + ids
                  + " are left to expire");
    }
    String key =
        r.getSpec() != null
                && r.getSpec().getSecret() != null
                && r.getSpec().getSecret().getName() != null
            ? r.getSpec().getSecret().getName()
            : r.getMetadata().getName();
    TokenSecretState s =
        TokenSecretState.of(d.store().cached(ns, key).orElse(null), r.getMetadata().getUid());
    if (s.ownership() == Ownership.OWNED) {
      boolean retain = r.getSpec() != null && "Retain".equals(r.getSpec().getDeletionPolicy());
      if (retain) {
        d.store()
            .write(
                s.secret().get(),
                TokenSecrets.released(s.secret().get(), r.getMetadata().getUid()));
      } else {
        d.store().delete(s.secret().get());
      }
    }
    forget(r.getMetadata().getUid(), ns);
    return Result.released();
  }

  private void release(PassContext c, DeleteTokens tokens) {
    tokens
        .secret()
        .filter(s -> tokens.state().ownership() == Ownership.OWNED)
        .ifPresent(
            s -> {
              Secret released =
                  TokenSecrets.released(TokenSecretState.withoutPending(s), c.res.uid());
              d.store().write(s, released);
              LOG.info(
                  "{}: deleted with Retain; Secret {} keeps token {}",
                  c.who(),
                  c.res.secretName(),
                  tokens.state().recordedTokenId().orElse("-"));
            });
  }

  private TokenSecretState secretState(PassContext c) {
    return TokenSecretState.of(
        d.store().cached(c.res.namespace(), c.res.secretName()).orElse(null),
        c.res.uid(),
        c.res.layout().key());
  }

  private Result waiting(
      PassContext c, DeleteTokens tokens, String reason, String message, Duration delay) {
    String ns = c.res.namespace();
    if (terminating(c) && !now.isBefore(deletionTime().plus(GIVE_UP_AFTER))) {
      List<String> left = tokens.remaining();
      LOG.warn(
          "{}: namespace {} is terminating; giving up revocation {} after the deletion: tokens {} are left to "
              + "expire ({})",
          c.who(),
          ns,
          GIVE_UP_AFTER,
          left,
          message);
      d.events()
          .emit(
              r,
              Type.Warning,
              reason,
              "namespace is terminating: tokens " + left + " are left to expire");
      d.metrics().revocationsAbandoned(ns);
      return done(c);
    }
    if (terminating(c)) {
      Duration untilGiveUp =
          Duration.between(now, deletionTime().plus(GIVE_UP_AFTER)).plusSeconds(1);
      delay = untilGiveUp.compareTo(delay) < 0 ? untilGiveUp : delay;
    }
    int attempts = d.retries().attempts(c.res.uid()) + 1;
    d.retries()
        .failed(
            c.res.uid(),
            new RetryBook.Failure(attempts, now.plus(delay), reason, message, c.generation()));
    c.warn(reason, message);
    LOG.warn(
        "{}: {} while deleting (attempt {}, next in {}s): {}",
        c.who(),
        reason,
        attempts,
        delay.getSeconds(),
        message);
    StatusBuilder status =
        new StatusBuilder(r.getStatus(), r.getMetadata().getGeneration(), now)
            .notReady(
                Reasons.DELETING,
                "waiting to revoke tokens " + tokens.remaining() + ": " + reason + ": " + message)
            .issuing(reason, message);
    return new Result(false, delay, status.build());
  }

  /**
   * Known from the Namespace, from an earlier 403 "being terminated", or provoked with a dry-run
   * write.
   */
  private boolean terminating(PassContext c) {
    String ns = c.res.namespace();
    if (d.namespaces().terminating(ns)) {
      return true;
    }
    if (d.namespaces().unreadable(ns) && d.events().probeTerminating(r)) {
      d.namespaces().sawTerminating(ns);
      return true;
    }
    return false;
  }

  private Result done(PassContext c) {
    forget(c.res.uid(), c.res.namespace());
    return Result.released();
  }

  private void forget(String uid, String ns) {
    d.retries().forget(uid);
    d.liveness().forget(uid);
    d.triggers().forget(uid);
    d.holds().forget(uid);
    d.warnings().forget(uid);
    d.metrics().forget(ns, r.getMetadata().getName());
  }

  private Instant deletionTime() {
    String ts = r.getMetadata().getDeletionTimestamp();
    try {
      return ts == null ? now : Instant.parse(ts);
    } catch (RuntimeException e) {
      return now;
    }
  }
}
