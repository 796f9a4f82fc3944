package io.grafanatokens.reconcile.policy;

import io.grafanatokens.api.v1alpha1.Reasons;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * "Issue a new token now?" (docs/reference.md#when-a-new-token-is-issued) as two ordered chains of
 * named checks, cert-manager style: the first trigger that holds becomes the Issuing reason, and
 * the first hold that applies keeps it waiting. Pure and table-tested.
 */
public final class IssuePolicy {
  /** A named check, so that a table test and a log line can say which one fired. */
  public record Check<F, R>(String name, Function<F, Optional<R>> test) {}

  /** The triggers, in the contract's order. */
  public static final List<Check<TriggerFacts, IssueTrigger>> TRIGGERS =
      List.of(
          new Check<>(
              "SecretHoldsNoToken", f -> when(!f.recordedToken(), IssueTrigger.SECRET_MISSING)),
          new Check<>("KeyEdited", f -> when(f.keyEdited(), IssueTrigger.KEY_EDITED)),
          new Check<>(
              "ShapingFieldsChanged",
              f ->
                  when(
                      f.adoptingOtherTarget()
                          || !f.recordedTargetHash().equals(Optional.of(f.targetHash())),
                      IssueTrigger.SPEC_CHANGED)),
          new Check<>(
              "RotateRequested",
              f ->
                  when(
                      f.rotateAnnotation().isPresent()
                          && !f.rotateAnnotation().equals(f.actedRotate()),
                      IssueTrigger.ROTATE_REQUESTED)),
          new Check<>("TokenGone", f -> when(f.tokenGone(), IssueTrigger.TOKEN_GONE)),
          new Check<>(
              "RenewalTimeReached",
              f ->
                  when(
                      f.renewalTime().isEmpty() || !f.now().isBefore(f.renewalTime().get()),
                      IssueTrigger.RENEWING)));

  /** A Secret of that name that this resource does not own is never overwritten. */
  public static final Hold SECRET_CONFLICT =
      new Hold(
          Reasons.SECRET_CONFLICT,
          "the Secret exists and is not owned "
              + "by this resource; it is never overwritten: delete it or choose another spec.secret.name",
          Optional.empty());

  /** What keeps a due issue waiting, most fundamental first. */
  public static final List<Check<HoldFacts, Hold>> HOLDS =
      List.of(
          new Check<>("SecretConflict", f -> when(f.secretConflict(), SECRET_CONFLICT)),
          new Check<>(
              "CredentialsRejected",
              f ->
                  f.credentialsRejected()
                      .map(
                          m ->
                              new Hold(
                                  Reasons.CREDENTIALS_REJECTED,
                                  m
                                      + "; the provider is not called again until the credentials Secret changes",
                                  Optional.empty()))),
          new Check<>(
              "CredentialsUntried",
              f -> f.credentialsUntried().map(m -> new Hold(null, m, Optional.empty()))),
          new Check<>(
              "Backoff",
              f ->
                  f.backoff()
                      .filter(b -> f.now().isBefore(b.notBefore()))
                      .map(b -> new Hold(b.reason(), b.message(), Optional.of(b.notBefore())))),
          new Check<>(
              "SecretRejected",
              f ->
                  f.rejectedWrite()
                      .map(
                          m ->
                              new Hold(
                                  Reasons.SECRET_REJECTED,
                                  m
                                      + "; no new token until the spec, the Secret or the credentials change",
                                  Optional.empty()))),
          new Check<>(
              "NamespaceTerminating",
              f ->
                  when(
                      f.namespaceTerminating(),
                      new Hold(
                          null,
                          "the namespace is being deleted; no token is issued",
                          Optional.empty()))),
          new Check<>(
              "SecretMissingRateLimited",
              f ->
                  f.secretMissingAllowedAt()
                      .map(
                          at ->
                              new Hold(
                                  Reasons.SECRET_MISSING,
                                  "the Secret was deleted 3 times within an hour; the next token is issued at "
                                      + at,
                                  Optional.of(at)))));

  private IssuePolicy() {}

  public static Optional<IssueTrigger> trigger(TriggerFacts facts) {
    return first(TRIGGERS, facts);
  }

  public static Optional<Hold> hold(HoldFacts facts) {
    return first(HOLDS, facts);
  }

  /** The name of the first trigger check that holds, for tests and logs. */
  public static Optional<String> firedTrigger(TriggerFacts facts) {
    return TRIGGERS.stream()
        .filter(c -> c.test().apply(facts).isPresent())
        .map(Check::name)
        .findFirst();
  }

  private static <F, R> Optional<R> first(List<Check<F, R>> checks, F facts) {
    for (Check<F, R> c : checks) {
      Optional<R> r = c.test().apply(facts);
      if (r.isPresent()) {
        return r;
      }
    }
    return Optional.empty();
  }

  private static <R> Optional<R> when(boolean condition, R result) {
    return condition ? Optional.of(result) : Optional.empty();
  }
}
