package io.grafanatokens.reconcile;

import io.grafanatokens.observability.EventEmitter;
import io.grafanatokens.observability.TokenMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * The long-lived collaborators of every pass, wired once. The books are the operator's memory: each
 * holds facts that no annotation records, and DESIGN.md says why losing them on restart is safe.
 *
 * @param ambientAllowed whether a namespace may use the operator's own identity
 * @param tokenCheckInterval how often the token's liveness is checked; zero turns it off
 */
record ReconcileDeps(
    ProviderRegistry providers,
    ConnectionLookup connections,
    String operatorNamespace,
    SecretStore store,
    CredentialSecrets credentials,
    Namespaces namespaces,
    EventEmitter events,
    TokenMetrics metrics,
    WorkloadRestarter restarter,
    RetryBook retries,
    CredentialGate gate,
    TriggerBook triggers,
    WriteHolds holds,
    WarningThrottle warnings,
    LivenessCache liveness,
    Clock clock,
    Predicate<String> ambientAllowed,
    Duration tokenCheckInterval) {}
