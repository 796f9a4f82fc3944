package io.grafanatokens.reconcile;

import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenStatus;
import java.time.Duration;
import java.util.Optional;

/**
 * What one pass decided: the status to write (when changed) and when to look again; mapped to
 * JOSDK's UpdateControl in exactly one place.
 *
 * @param recheckAfter empty: only an event brings the resource back (InvalidSpec, NotPermitted)
 */
record Outcome(GrafanaServiceAccountTokenStatus status, boolean statusChanged, Optional<Duration> recheckAfter) {}
