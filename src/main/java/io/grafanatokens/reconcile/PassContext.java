package io.grafanatokens.reconcile;

import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenStatus;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.observability.EventEmitter.Type;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.SessionPurpose;
import io.grafanatokens.provider.TokenSession;
import io.grafanatokens.provider.TransientProviderException;
import io.grafanatokens.secret.TokenSecretState;
import java.time.Instant;
import java.util.Optional;

/**
 * What every effect of one pass shares: the resource as resolved, the instant the pass started, the
 * credentials it reads and the provider session, opened once on first use.
 */
final class PassContext {
  final ReconcileDeps d;
  final GrafanaServiceAccountToken resource;
  final ResolvedResource res;
  final KubernetesSecretLookup lookup;
  final Instant now;
  private final SessionPurpose purpose;
  private TokenSession session;

  PassContext(
      ReconcileDeps d,
      ResolvedResource res,
      KubernetesSecretLookup lookup,
      SessionPurpose purpose) {
    this.d = d;
    this.resource = res.resource();
    this.res = res;
    this.lookup = lookup;
    this.now = d.clock().instant();
    this.purpose = purpose;
  }

  /** The provider session; opening it reads the credentials and calls no provider. */
  TokenSession session() throws ProviderException {
    if (session == null) {
      session = res.provider().open(res.effectiveSpec(), lookup, purpose);
      for (String w : session.warnings()) {
        if (d.warnings().once(res.uid(), w)) {
          event(Type.Warning, Reasons.INSECURE_CREDENTIALS, w);
        }
      }
    }
    return session;
  }

  /** This pass called the provider (and reported how it went to the gate). */
  private boolean providerCalled;

  /** Where listings of this resource's service account are shared: provider, instance, account. */
  String account(TokenSession s) throws ProviderException {
    return account(s.serviceAccountId());
  }

  /** The same for another service account at this resource's instance. */
  String account(String serviceAccountId) {
    return res.kind().specName()
        + "|"
        + res.provider().baseUrl(res.effectiveSpec()).orElse("")
        + "|"
        + serviceAccountId;
  }

  /** namespace/name of the credentials Secret, the key of its 401 gate. */
  Optional<String> credentialsKey() {
    return res.credentialsSecret().map(n -> lookup.namespace() + "/" + n);
  }

  /** A provider call failed: a 401 closes the gate of the credentials Secret it used. */
  void providerFailed(ProviderException e) {
    providerCalled = true;
    if (res.credentialsSecret().isEmpty()) {
      return;
    }
    String name = res.credentialsSecret().get();
    if (Reasons.CREDENTIALS_REJECTED.equals(e.reason())) {
      // only Grafana locks a user out after failed logins, with the same 401 as a wrong password
      d.gate()
          .rejected(
              credentialsKey().get(),
              lookup.version(name),
              e.getMessage(),
              now,
              res.kind() == io.grafanatokens.provider.ProviderKind.GRAFANA);
      lookup.forget(name);
    } else if (Reasons.CREDENTIALS_NOT_FOUND.equals(e.reason())
        || e instanceof TransientProviderException) {
      // no answer about the credential either way: another resource may try it
      d.gate().unanswered(credentialsKey().get(), lookup.version(name), res.uid());
    } else {
      // 403, 404, a validation error: the provider did take the credential
      d.gate().accepted(credentialsKey().get(), lookup.version(name));
    }
  }

  /**
   * What the 401 gate says of this pass's credential: go, a rejection's message, or wait for
   * another's try.
   */
  record CredentialCheck(CredentialGate.Decision decision, String message) {}

  CredentialCheck credentialCheck() {
    Optional<String> key = credentialsKey();
    if (key.isEmpty()) {
      return new CredentialCheck(CredentialGate.Decision.OPEN, "");
    }
    String name = res.credentialsSecret().get();
    if (!d.gate().unproven(key.get(), lookup.knownVersion(name))) {
      // known to work: an idle pass reads no Secret
      return new CredentialCheck(CredentialGate.Decision.OPEN, "");
    }
    CredentialGate.Decision decision =
        d.gate().check(key.get(), lookup.version(name), res.uid(), now);
    String message =
        switch (decision) {
          case CLOSED -> d.gate().message(key.get());
          case WAIT ->
              "waiting for another resource's first call with the credentials Secret " + name;
          default -> "";
        };
    return new CredentialCheck(decision, message);
  }

  /**
   * The pass is over: a credential trial it took and never used is free for another resource. A
   * trial it used stays its own until the provider answers (or the gate's timeout): after a 503 it
   * is this resource's retry that tries the new Secret, not every other resource at once.
   */
  void passEnded() {
    if (!providerCalled) {
      credentialsKey().ifPresent(k -> d.gate().passEnded(k, res.uid()));
    }
  }

  /** A provider call succeeded: the credential works. */
  void providerAnswered() {
    providerCalled = true;
    credentialsKey()
        .ifPresent(k -> d.gate().accepted(k, lookup.version(res.credentialsSecret().get())));
  }

  /**
   * A managed Secret of another resource holds this token
   * (docs/reference.md#which-tokens-may-be-deleted).
   */
  boolean heldByOthers(String serviceAccountId, String tokenId) {
    return d.store()
        .heldByOthers(
            res.uid(),
            TokenSecretState.holderKey(
                res.capabilities().tokensHaveIds(), serviceAccountId, tokenId));
  }

  long generation() {
    Long g = resource.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  GrafanaServiceAccountTokenStatus previousStatus() {
    return resource.getStatus() == null
        ? new GrafanaServiceAccountTokenStatus()
        : resource.getStatus();
  }

  void event(Type type, String reason, String message) {
    d.events().emit(resource, type, reason, message);
  }

  /** A Warning event, throttled per resource and reason (1st, 2nd, 4th, ... occurrence). */
  /** A Warning that a token is left to expire: once per token id, however often a pass retries. */
  void leftToExpire(String tokenId, String message) {
    if (d.warnings().once(res.uid(), Reasons.LEFT_TO_EXPIRE + "/" + tokenId)) {
      event(Type.Warning, Reasons.LEFT_TO_EXPIRE, message);
    }
  }

  void warn(String reason, String message) {
    if (d.warnings().occurred(res.uid(), reason)) {
      event(Type.Warning, reason, message);
    }
  }

  String who() {
    return res.namespace() + "/" + res.name();
  }
}
