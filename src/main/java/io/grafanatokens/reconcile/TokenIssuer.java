package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.grafanatokens.api.v1alpha1.PendingRevocation;
import io.grafanatokens.provider.IssuedToken;
import io.grafanatokens.provider.NameConflictException;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.ProviderReasons;
import io.grafanatokens.provider.TokenInfo;
import io.grafanatokens.provider.TokenSession;
import io.grafanatokens.provider.TransientProviderException;
import io.grafanatokens.secret.CurrentToken;
import io.grafanatokens.secret.SecretAnnotations;
import io.grafanatokens.secret.TokenSecrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a token and writes it into the Secret with nothing in between (api.md "Issuing,
 * crash-safe"); a token that did not reach the Secret is deleted, or left to the sweep when the
 * write's outcome cannot be known.
 */
final class TokenIssuer {
  /** At most this many names are tried in one pass when the provider reports a clash. */
  static final int NAME_ATTEMPTS = 3;
  /** api.md: a same-token answer is retried with backoff from 1 min. */
  static final Duration SAME_TOKEN_RETRY = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(TokenIssuer.class);

  private final SecretStore store;
  private final Clock clock;

  TokenIssuer(SecretStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** The Secret after the write, and the token it now holds. */
  record Written(Secret secret, CurrentToken token, boolean expiryEstimated) {}

  /**
   * @param existing the Secret to write over (owned or being adopted), or null
   * @param counter 1 + the highest counter known for this resource
   * @param pending the pending revocations to record, the previous token included
   */
  Written issue(ResolvedResource res, TokenSession session, Secret existing, CurrentToken held, long counter,
      List<PendingRevocation> pending, String rotateRequest) throws ProviderException {
    IssuedToken issued = create(res, session, counter);
    if (held != null && sameAsHeld(issued, held)) {
      // IAM may hand the same young token to every caller: not a rotation, and never revoked
      throw new TransientProviderException(ProviderReasons.SAME_TOKEN_RETURNED, "the provider returned the "
          + "token the Secret already holds (or one expiring no later, at " + issued.expiresAt() + ")",
          SAME_TOKEN_RETRY, null);
    }
    CurrentToken token = new CurrentToken(issued.id(), issued.name(), issued.serviceAccountId(),
        issued.issuedAt(), issued.expiresAt(), issued.key(), res.targetHash());
    Secret desired = TokenSecrets.desired(existing, res.layout(), res.resource(), token, pending, rotateRequest);
    Secret written = writeOrRollback(res, session, existing, desired, issued);
    return new Written(written, token, !issued.lifetimeFromProvider());
  }

  /**
   * The key already held, or — where the provider decides the lifetime — one expiring no later
   * (a shorter requested secondsToLive legitimately expires sooner, so only then).
   */
  static boolean sameAsHeld(IssuedToken issued, CurrentToken held) {
    return issued.key().equals(held.key())
        || (issued.lifetimeFromProvider() && held.expiresAt() != null && issued.expiresAt() != null
            && !issued.expiresAt().isAfter(held.expiresAt()));
  }

  private IssuedToken create(ResolvedResource res, TokenSession session, long counter) throws ProviderException {
    Duration lifetime = res.lifetime().orElse(Duration.ZERO);
    NameConflictException last = null;
    for (int i = 0; i < NAME_ATTEMPTS; i++) {
      String name = res.naming().name(counter + i);
      try {
        return session.create(name, lifetime);
      } catch (NameConflictException e) {
        // maybe our own earlier create whose answer was lost: never delete-and-recreate the same
        // name; take the next one and leave the clashing token to the sweep
        LOG.info("{}/{}: token name {} is taken at the provider, trying the next counter", res.namespace(), res.name(), name);
        last = e;
      }
    }
    throw new TransientProviderException(last.reason(), "token names " + res.naming().name(counter) + " to "
        + res.naming().name(counter + NAME_ATTEMPTS - 1) + " are all taken at the provider", null, last);
  }

  /**
   * Any failed write is read back from the API server before deciding: the client retries 5xx by
   * itself, so even a 409 may answer a retry of our own write that landed.
   */
  private Secret writeOrRollback(ResolvedResource res, TokenSession session, Secret existing, Secret desired,
      IssuedToken issued) {
    try {
      return store.write(existing, desired);
    } catch (KubernetesClientException e) {
      Secret actual;
      try {
        actual = store.readFromServer(res.namespace(), res.secretName());
      } catch (RuntimeException readFailure) {
        LOG.warn("{}/{}: the Secret write failed ({}) and the Secret cannot be read back; token {} is left to the "
            + "sweep", res.namespace(), res.name(), e.getCode(), issued.id());
        throw e;
      }
      if (actual != null && actual.getMetadata().getAnnotations() != null
          && issued.id().equals(actual.getMetadata().getAnnotations().get(SecretAnnotations.TOKEN_ID))) {
        LOG.info("{}/{}: the Secret write answered {} but landed", res.namespace(), res.name(), e.getCode());
        store.remember(existing, actual);
        return actual;
      }
      revokeUnwritten(res, session, issued, "the Secret write failed (" + e.getCode() + ") and did not land");
      throw e;
    }
  }

  private void revokeUnwritten(ResolvedResource res, TokenSession session, IssuedToken issued, String why) {
    if (store.anyHolds(issued.serviceAccountId(), issued.id())) {
      // Yandex IAM hands the same young token to several callers: another Secret may hold it
      LOG.info("{}/{}: token {} was not written ({}) but another managed Secret holds it; not revoking it",
          res.namespace(), res.name(), issued.id(), why);
      return;
    }
    try {
      session.revoke(issued.serviceAccountId(), issued.id());
      LOG.info("{}/{}: deleted token {} because {}", res.namespace(), res.name(), issued.id(), why);
    } catch (ProviderException e) {
      LOG.warn("{}/{}: token {} was not written to the Secret ({}) and could not be deleted: {}; the sweep will "
          + "retry", res.namespace(), res.name(), issued.id(), why, e.getMessage());
    }
  }

  /**
   * api.md step 4: the provider's real expiry from its list. L = expiration - creation on the
   * provider's clock; expiresAt = issue time + L. Empty when the list lacks the token.
   */
  static Optional<Instant> realExpiry(CurrentToken token, List<TokenInfo> listed) {
    return listed.stream()
        .filter(t -> Objects.equals(t.id(), token.tokenId()))
        .filter(t -> t.expiresAt() != null)
        .findFirst()
        .map(t -> t.createdAt() == null ? t.expiresAt()
            : token.issuedAt().plus(Duration.between(t.createdAt(), t.expiresAt())));
  }

  Instant now() {
    return clock.instant();
  }
}
