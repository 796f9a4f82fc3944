package io.grafanatokens.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenStatus;
import io.grafanatokens.api.v1alpha1.PendingRevocation;
import io.grafanatokens.provider.Redaction;
import io.grafanatokens.secret.CurrentToken;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the next status from the previous one: conditions keep their lastTransitionTime unless
 * their status flips, observedGeneration is always set. Compare with {@link #unchanged()} before
 * writing.
 */
public final class StatusBuilder {
  public static final String READY = "Ready";
  public static final String ISSUING = "Issuing";

  private final GrafanaServiceAccountTokenStatus previous;
  private final GrafanaServiceAccountTokenStatus next;
  private final Instant now;

  public StatusBuilder(GrafanaServiceAccountTokenStatus previous, Long generation, Instant now) {
    this.previous = previous == null ? new GrafanaServiceAccountTokenStatus() : previous;
    this.now = now.truncatedTo(ChronoUnit.SECONDS);
    this.next = copy(this.previous);
    this.next.setObservedGeneration(generation);
  }

  public StatusBuilder ready(String reason, String message) {
    return condition(READY, "True", reason, message);
  }

  public StatusBuilder notReady(String reason, String message) {
    return condition(READY, "False", reason, message);
  }

  public StatusBuilder issuing(String reason, String message) {
    return condition(ISSUING, "True", reason, message);
  }

  public StatusBuilder idle() {
    return condition(ISSUING, "False", "Idle", "No token is being issued.");
  }

  /** Records the token the Secret holds. */
  public StatusBuilder token(String provider, CurrentToken token, long rotationCount) {
    next.setProvider(provider);
    next.setTokenId(token.tokenId());
    next.setTokenName(token.tokenName());
    next.setServiceAccountId(token.serviceAccountId());
    next.setIssuedAt(format(token.issuedAt()));
    next.setExpiresAt(format(token.expiresAt()));
    next.setRotationCount(rotationCount);
    return this;
  }

  public StatusBuilder provider(String provider) {
    next.setProvider(provider);
    return this;
  }

  public StatusBuilder secretName(String name) {
    next.setSecretName(name);
    return this;
  }

  public StatusBuilder renewalTime(Instant t) {
    next.setRenewalTime(format(t));
    return this;
  }

  public StatusBuilder lastRotateRequest(String v) {
    next.setLastRotateRequest(v);
    return this;
  }

  public StatusBuilder pendingRevocations(List<PendingRevocation> pending) {
    next.setPendingRevocations(
        pending == null || pending.isEmpty() ? null : new ArrayList<>(pending));
    return this;
  }

  public StatusBuilder restartedFor(String tokenId) {
    next.setRestartedFor(tokenId);
    return this;
  }

  /** The shaping fields and the location the current token was issued for. */
  public StatusBuilder issuedFor(String targetHash, String location) {
    next.setTarget(targetHash);
    next.setLocation(location);
    return this;
  }

  public GrafanaServiceAccountTokenStatus build() {
    return next;
  }

  /** True when {@link #build()} equals the previous status: no write needed. */
  public boolean unchanged() {
    return next.equals(previous);
  }

  public Optional<Condition> condition(String type) {
    return find(next.getConditions(), type);
  }

  private StatusBuilder condition(String type, String status, String reason, String message) {
    List<Condition> conditions =
        new ArrayList<>(next.getConditions() == null ? List.of() : next.getConditions());
    Optional<Condition> old = find(conditions, type);
    String transition =
        old.filter(c -> status.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .orElse(now.toString());
    conditions.removeIf(c -> type.equals(c.getType()));
    conditions.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(status)
            .withReason(reason)
            .withMessage(Redaction.cut(message))
            .withObservedGeneration(next.getObservedGeneration())
            .withLastTransitionTime(transition)
            .build());
    conditions.sort((a, b) -> order(a.getType()) - order(b.getType()));
    next.setConditions(conditions);
    return this;
  }

  private static int order(String type) {
    return READY.equals(type) ? 0 : ISSUING.equals(type) ? 1 : 2;
  }

  private static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private static String format(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static GrafanaServiceAccountTokenStatus copy(GrafanaServiceAccountTokenStatus s) {
    GrafanaServiceAccountTokenStatus c = new GrafanaServiceAccountTokenStatus();
    c.setObservedGeneration(s.getObservedGeneration());
    c.setConditions(
        s.getConditions() == null ? new ArrayList<>() : new ArrayList<>(s.getConditions()));
    c.setProvider(s.getProvider());
    c.setServiceAccountId(s.getServiceAccountId());
    c.setTokenId(s.getTokenId());
    c.setTokenName(s.getTokenName());
    c.setSecretName(s.getSecretName());
    c.setIssuedAt(s.getIssuedAt());
    c.setExpiresAt(s.getExpiresAt());
    c.setRenewalTime(s.getRenewalTime());
    c.setRotationCount(s.getRotationCount());
    c.setLastRotateRequest(s.getLastRotateRequest());
    c.setPendingRevocations(
        s.getPendingRevocations() == null ? null : new ArrayList<>(s.getPendingRevocations()));
    c.setRestartedFor(s.getRestartedFor());
    c.setTarget(s.getTarget());
    c.setLocation(s.getLocation());
    return c;
  }
}
