package io.grafanatokens.reconcile.policy;

import java.time.Instant;
import java.util.Optional;

/**
 * Why a due issue waits: a condition reason (null: the trigger's own), a message for the status,
 * and when to look again (empty: when something changes).
 *
 * @param blocksProvider no provider call at all may be made (a rejected credential): due
 *     revocations wait too
 */
public record Hold(String reason, String message, Optional<Instant> until, boolean blocksProvider) {}
