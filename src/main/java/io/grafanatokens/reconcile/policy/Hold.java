package io.grafanatokens.reconcile.policy;

import java.time.Instant;
import java.util.Optional;

/**
 * Why a due issue waits: a condition reason (null: the trigger's own), a message for the status,
 * and when to look again (empty: when something changes). Whether the provider may be called at all
 * (due revocations) is the credential gate's answer, not a hold's.
 */
public record Hold(String reason, String message, Optional<Instant> until) {}
