package io.grafanatokens.reconcile.policy;

import java.time.Instant;
import java.util.Optional;

/**
 * What the issue triggers look at, read from the Secret, the resource and the operator's memory.
 *
 * @param recordedToken the Secret records a token id
 * @param keyEdited the key is gone from the Secret or differs from key-sha256
 * @param recordedTargetHash the Secret's target-hash
 * @param targetHash the shaping fields' hash now
 * @param adoptingOtherTarget the Secret is an orphan (left by Retain) issued under other shaping
 *     fields
 * @param rotateAnnotation the resource's grafanatokens.io/rotate value
 * @param actedRotate the rotate value last acted on (the Secret's rotate-request)
 * @param renewalTime when the current token is due; empty when it cannot be computed
 * @param tokenGone the liveness check found the Secret's token gone at the provider
 */
public record TriggerFacts(
    Instant now,
    boolean recordedToken,
    boolean keyEdited,
    Optional<String> recordedTargetHash,
    String targetHash,
    boolean adoptingOtherTarget,
    Optional<String> rotateAnnotation,
    Optional<String> actedRotate,
    Optional<Instant> renewalTime,
    boolean tokenGone) {}
