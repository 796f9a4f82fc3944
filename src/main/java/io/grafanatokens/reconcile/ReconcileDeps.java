package io.grafanatokens.reconcile;

import io.grafanatokens.observability.EventEmitter;
import io.grafanatokens.observability.TokenMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * The long-lived collaborators of every pass, wired once in main.
 *
 * @param ambientAllowed whether a namespace may use the operator's own identity
 * @param tokenCheckInterval how often the token's liveness is checked; zero turns it off
 */
record ReconcileDeps(
    ProviderRegistry providers,
    SecretStore store,
    TokenIssuer issuer,
    EventEmitter events,
    TokenMetrics metrics,
    WorkloadRestarter restarter,
    Namespaces namespaces,
    RetryBook retries,
    LivenessCache liveness,
    Clock clock,
    Predicate<String> ambientAllowed,
    Duration tokenCheckInterval) {}
