package io.grafanatokens.reconcile;

import io.grafanatokens.api.v1alpha1.PendingRevocation;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.reconcile.policy.Hold;
import io.grafanatokens.reconcile.policy.IssueTrigger;
import io.grafanatokens.secret.TokenSecretState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one pass has done so far, effect by effect: the Secret as it is now on the API server (every
 * write replaces it), and each failure, so that the report tells the truth whatever failed.
 */
final class PassState {
  /** The Secret at spec.secret.name as it is now. */
  TokenSecretState secret;

  /** Previous tokens waiting, when the Secret that would record them is gone (kept in status). */
  List<PendingRevocation> pendingWithoutSecret;

  Optional<IssueTrigger> trigger = Optional.empty();
  Optional<Hold> hold = Optional.empty();

  /** The provider refused or failed the issue. */
  ProviderException issueFailure;

  /**
   * The issue failed on the Kubernetes side with an unknown outcome; retried like a transient
   * failure.
   */
  String kubernetesFailure;

  /** The API server refused a Secret write: its message. */
  String secretRejected;

  /** A token was issued and is in the Secret. */
  boolean issued;

  /** The issue found the Secret changed under it: look again at once. */
  boolean lookAgainNow;

  /** The token in the Secret is the one the liveness check found gone. */
  boolean tokenGone;

  /** The restart for the token in the Secret is still to be done. */
  boolean restartOutstanding;

  /** A revocation or restart failed for a passing reason: when to try again. */
  Instant retryAt;

  /** Said in the Ready message: an estimated expiry, a role mismatch. */
  final List<String> notes = new ArrayList<>();

  PassState(TokenSecretState secret, List<PendingRevocation> pendingWithoutSecret) {
    this.secret = secret;
    this.pendingWithoutSecret = pendingWithoutSecret;
  }

  void retryNoLaterThan(Instant at) {
    if (retryAt == null || at.isBefore(retryAt)) {
      retryAt = at;
    }
  }

  /** The previous tokens waiting: recorded in the Secret, or in status while there is none. */
  /**
   * The id of the token the Secret holds, unless the Secret says it was issued at another location:
   * ids are per instance, and the same id may name a stray of ours here. A record without a
   * location keeps its id held: sparing a stray is safe, sweeping the key consumers hold is not.
   */
  Optional<String> heldHere(String location) {
    return secret
        .recordedTokenId()
        .filter(id -> secret.recordedLocation().map(location::equals).orElse(true));
  }

  List<PendingRevocation> pending() {
    return secret.exists() && secret.ownership() == TokenSecretState.Ownership.OWNED
        ? secret.pendingRevocations()
        : pendingWithoutSecret;
  }
}
