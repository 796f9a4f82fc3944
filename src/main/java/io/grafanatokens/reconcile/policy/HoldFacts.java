package io.grafanatokens.reconcile.policy;

import java.time.Instant;
import java.util.Optional;

/**
 * What may keep a due issue from happening now (docs/reference.md#failures-and-retries).
 *
 * @param secretConflict a Secret of that name exists and is not this resource's to write
 * @param credentialsRejected the credentials Secret is the one a 401 was given for (or another
 *     resource is trying its new version first)
 * @param credentialsUntried the credentials Secret never answered and another resource is trying it
 *     first
 * @param backoff the last failure of this generation and when the next attempt is allowed
 * @param rejectedWrite the API server refused the Secret and nothing it depends on changed since
 * @param namespaceTerminating the namespace refuses new content
 * @param secretMissingAllowedAt when a deleted Secret may be re-issued again (3 an hour)
 */
public record HoldFacts(
    Instant now,
    boolean secretConflict,
    Optional<String> credentialsRejected,
    Optional<String> credentialsUntried,
    Optional<Failure> backoff,
    Optional<String> rejectedWrite,
    boolean namespaceTerminating,
    Optional<Instant> secretMissingAllowedAt) {

  /** A failed attempt: its reason, message and the earliest next attempt. */
  public record Failure(String reason, String message, Instant notBefore) {}
}
