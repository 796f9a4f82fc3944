package io.grafanatokens.reconcile.policy;

import java.time.Instant;
import java.util.Optional;

/**
 * "Issue a new token now?" as an ordered chain of named checks; the first that holds wins and
 * becomes the Issuing reason. Pure (api.md "When a new token is issued").
 *
 * @param recordedToken the Secret records a token id
 * @param keyEdited the key under the recorded data key is gone or differs from key-sha256
 * @param recordedTargetHash the Secret's target-hash
 * @param rotateAnnotation the resource's grafanatokens.io/rotate value
 * @param actedRotate the rotate value last acted on (the Secret's rotate-request)
 * @param renewalTime when the current token is due; empty when it cannot be computed
 */
public record IssueDecision(
    boolean recordedToken,
    boolean keyEdited,
    String recordedTargetHash,
    String targetHash,
    Optional<String> rotateAnnotation,
    Optional<String> actedRotate,
    Optional<Instant> renewalTime,
    boolean tokenGone,
    Instant now) {

  public Optional<IssueTrigger> evaluate() {
    if (!recordedToken) {
      return Optional.of(IssueTrigger.SECRET_MISSING);
    }
    if (keyEdited) {
      return Optional.of(IssueTrigger.KEY_EDITED);
    }
    if (!targetHash.equals(recordedTargetHash)) {
      return Optional.of(IssueTrigger.SPEC_CHANGED);
    }
    if (rotateAnnotation.isPresent() && !rotateAnnotation.equals(actedRotate)) {
      return Optional.of(IssueTrigger.ROTATE_REQUESTED);
    }
    if (tokenGone) {
      return Optional.of(IssueTrigger.TOKEN_GONE);
    }
    if (renewalTime.isEmpty() || !now.isBefore(renewalTime.get())) {
      return Optional.of(IssueTrigger.RENEWING);
    }
    return Optional.empty();
  }
}
