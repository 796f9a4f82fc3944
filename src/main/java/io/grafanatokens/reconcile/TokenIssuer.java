package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.grafanatokens.api.v1alpha1.PendingRevocation;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.provider.IssuedToken;
import io.grafanatokens.provider.NameConflictException;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.TokenInfo;
import io.grafanatokens.provider.TokenListing;
import io.grafanatokens.provider.TokenSession;
import io.grafanatokens.provider.TransientProviderException;
import io.grafanatokens.reconcile.policy.IssuePolicy;
import io.grafanatokens.secret.CurrentToken;
import io.grafanatokens.secret.Hashing;
import io.grafanatokens.secret.SecretAnnotations;
import io.grafanatokens.secret.TokenSecretState;
import io.grafanatokens.secret.TokenSecretState.Ownership;
import io.grafanatokens.secret.TokenSecrets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * docs/reference.md#issuing-crash-safe steps 2 and 3: create the token and write it into the Secret
 * with no other remote call in between. A token whose write is known not to have landed is deleted
 * at once; one whose write may still land is left to the next pass's sweep, which sees from the
 * Secret whether it did.
 */
final class TokenIssuer {
  /** At most this many names are tried in one pass when the provider reports a clash. */
  static final int NAME_ATTEMPTS = 3;

  /** A same-token answer is retried with backoff from 1 min. */
  static final Duration SAME_TOKEN_RETRY = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(TokenIssuer.class);

  private final PassContext c;
  private final PassState st;

  TokenIssuer(PassContext c, PassState st) {
    this.c = c;
    this.st = st;
  }

  /** The token now in the Secret and what it replaced, when the write landed. */
  record Swap(IssuedToken issued, CurrentToken token, List<PendingRevocation> pending) {}

  /**
   * @param existing the Secret to write over, as just read from the API server (null: create)
   * @param pending the previous tokens to record, the one being replaced included
   */
  Optional<Swap> issue(
      TokenSession s,
      Secret existing,
      CurrentToken held,
      long counter,
      List<PendingRevocation> pending)
      throws ProviderException {
    IssuedToken issued = create(s, counter, pending);
    if (held != null && sameAsHeld(issued, held)) {
      // IAM may hand the same young token to every caller: not a rotation, and never revoked
      throw new TransientProviderException(
          Reasons.SAME_TOKEN_RETURNED,
          "the provider returned the token the "
              + "Secret already holds (or one expiring no later, at "
              + issued.expiresAt()
              + ")",
          SAME_TOKEN_RETRY,
          null);
    }
    CurrentToken token =
        new CurrentToken(
            issued.id(),
            issued.name(),
            issued.serviceAccountId(),
            issued.issuedAt(),
            issued.expiresAt(),
            issued.key(),
            c.res.targetHash(),
            c.res.location());
    Secret desired =
        TokenSecrets.desired(
            existing,
            c.res.layout(),
            c.resource,
            token,
            pending,
            c.res.rotateAnnotation().orElse(null));
    return writeOrRollBack(s, existing, desired, issued)
        .map(
            w -> {
              st.secret = TokenSecretState.of(w, c.res.uid(), c.res.layout().key());
              return new Swap(issued, token, pending);
            });
  }

  /**
   * The key already held, or — where the provider decides the lifetime — one expiring no later (a
   * shorter requested secondsToLive legitimately expires sooner, so only then).
   */
  static boolean sameAsHeld(IssuedToken issued, CurrentToken held) {
    return issued.key().equals(held.key())
        || (issued.lifetimeFromProvider()
            && held.expiresAt() != null
            && issued.expiresAt() != null
            && !issued.expiresAt().isAfter(held.expiresAt()));
  }

  /**
   * At most {@link #NAME_ATTEMPTS} creates. A name clash is a stray of a lost create: the list is
   * read once, this resource's strays swept, and the next name taken above every counter listed
   * (and remembered, so that no later pass starts below it). A quota refusal is answered by the
   * same list and sweep and one more create. Never delete-and-recreate a name.
   */
  private IssuedToken create(TokenSession s, long counter, List<PendingRevocation> pending)
      throws ProviderException {
    Duration lifetime = c.res.lifetime().orElse(Duration.ZERO);
    long n = Math.max(counter, c.d.retries().highestCounterSeen(c.res.uid()) + 1);
    boolean swept = false;
    ProviderException last = null;
    for (int i = 0; i < NAME_ATTEMPTS; i++) {
      String name = c.res.naming().name(n);
      try {
        return s.create(name, lifetime);
      } catch (NameConflictException e) {
        LOG.info("{}: token name {} is taken at the provider (a lost create?)", c.who(), name);
        last = e;
        c.d.retries().sawCounter(c.res.uid(), n);
        if (!swept && c.res.capabilities().canList()) {
          swept = true;
          n = listAndSweep(s, pending, n);
        } else {
          n++;
        }
      } catch (PermanentProviderException e) {
        if (!Reasons.QUOTA_EXCEEDED.equals(e.reason())
            || !c.res.capabilities().canList()
            || swept) {
          throw e;
        }
        // AMG counts expired tokens against an undocumented quota: sweep ours, create once more
        LOG.info(
            "{}: the provider refused a new token for its quota; sweeping this resource's strays",
            c.who());
        swept = true;
        last = e;
        n = listAndSweep(s, pending, n - 1);
      }
    }
    if (last instanceof PermanentProviderException p) {
      throw p;
    }
    throw new TransientProviderException(
        last.reason(),
        "token names up to " + c.res.naming().name(n - 1) + " are all taken at the provider",
        null,
        last);
  }

  /**
   * One list: this resource's strays swept, and the next counter above the highest listed one.
   *
   * @param taken the counter known taken (or used) so far
   */
  private long listAndSweep(TokenSession s, List<PendingRevocation> pending, long taken)
      throws ProviderException {
    TokenListing listing = s.list();
    long next = c.res.naming().next(taken, listing.tokens().stream().map(TokenInfo::name).toList());
    c.d.retries().sawCounter(c.res.uid(), next - 1);
    new Sweep(c)
        .run(s, listing, pending, st.heldHere(c.res.location()).map(Set::of).orElse(Set.of()));
    return next;
  }

  /**
   * A failed write is read back from the API server before anything is decided: the client retries
   * by itself, so even a 409 may answer a retry of our own write that landed.
   */
  private Optional<Secret> writeOrRollBack(
      TokenSession s, Secret existing, Secret desired, IssuedToken issued) {
    try {
      return Optional.of(c.d.store().write(existing, desired));
    } catch (KubernetesClientException e) {
      WriteOutcome outcome = WriteOutcome.of(e);
      Secret actual;
      try {
        actual = c.d.store().readFromServer(c.res.namespace(), c.res.secretName());
      } catch (RuntimeException readFailure) {
        leaveToSweep(
            issued,
            "the Secret write failed (" + e.getCode() + ") and the Secret cannot be read back");
        return Optional.empty();
      }
      if (holds(actual, issued)) {
        LOG.info("{}: the Secret write answered {} but landed", c.who(), e.getCode());
        c.d.store().remember(existing, actual);
        return Optional.of(actual);
      }
      switch (outcome) {
        case REFUSED -> refused(s, issued, e);
        case CONFLICT -> conflict(s, issued, existing, actual);
        default ->
            leaveToSweep(
                issued, "the Secret write's outcome is unknown (" + WriteOutcome.message(e) + ")");
      }
      return Optional.empty();
    }
  }

  private void refused(TokenSession s, IssuedToken issued, KubernetesClientException e) {
    revokeUnwritten(s, issued, "the API server refused the Secret");
    if (SecretStore.namespaceTerminating(e)) {
      c.d.namespaces().sawTerminating(c.res.namespace());
      st.kubernetesFailure =
          "namespace " + c.res.namespace() + " is being deleted; no token is issued";
      return;
    }
    st.secretRejected =
        "the Secret " + c.res.secretName() + " cannot be written: " + WriteOutcome.message(e);
  }

  private void conflict(TokenSession s, IssuedToken issued, Secret existing, Secret actual) {
    revokeUnwritten(s, issued, "the Secret changed while the token was issued");
    TokenSecretState now = TokenSecretState.of(actual, c.res.uid(), c.res.layout().key());
    if (existing == null && now.ownership() == Ownership.FOREIGN) {
      // an unlabelled Secret the informer cannot see: remembered, so no token is minted for it
      // again
      c.d.holds().foreign(c.res.namespace(), c.res.secretName(), c.now);
      st.secret = now;
      st.hold = Optional.of(IssuePolicy.SECRET_CONFLICT);
      return;
    }
    st.secret = now;
    st.lookAgainNow = true;
  }

  private void leaveToSweep(IssuedToken issued, String why) {
    st.kubernetesFailure = why;
    if (!c.res.capabilities().canList()) {
      // no list will show it to a sweep: the provider session keeps its value in memory, and a
      // later
      // pass revokes it once the Secret on the API server shows it did not land
      c.d
          .holds()
          .unsettled(
              c.res.uid(),
              new WriteHolds.Unsettled(
                  issued.serviceAccountId(), issued.id(), Hashing.sha256Hex(issued.key())));
      LOG.warn(
          "{}: {}; token {} is settled on a later pass from the Secret", c.who(), why, issued.id());
      return;
    }
    LOG.warn(
        "{}: {}; token {} is left to the next pass's sweep, which sees from the Secret whether it landed",
        c.who(),
        why,
        issued.id());
  }

  /**
   * By the key's hash, not the token id: ids are per instance, so after a move to another Grafana
   * the new one may hand out the very id the Secret still holds from the old one.
   */
  private static boolean holds(Secret actual, IssuedToken issued) {
    return actual != null
        && actual.getMetadata().getAnnotations() != null
        && Hashing.sha256Hex(issued.key())
            .equals(actual.getMetadata().getAnnotations().get(SecretAnnotations.KEY_SHA256));
  }

  private void revokeUnwritten(TokenSession s, IssuedToken issued, String why) {
    if (c.heldByOthers(issued.serviceAccountId(), issued.id())) {
      // Yandex IAM hands the same young token to several callers: another Secret may hold it
      LOG.info(
          "{}: token {} was not written ({}) but another managed Secret holds it; not revoking it",
          c.who(),
          issued.id(),
          why);
      return;
    }
    try {
      s.revoke(issued.serviceAccountId(), issued.id());
      LOG.info("{}: deleted token {} because {}", c.who(), issued.id(), why);
    } catch (ProviderException e) {
      LOG.warn(
          "{}: token {} was not written ({}) and could not be deleted: {}; the sweep will retry",
          c.who(),
          issued.id(),
          why,
          e.getMessage());
    }
  }
}
