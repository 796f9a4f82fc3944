package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grafanatokens.api.v1alpha1.ClusterGrafanaConnection;
import io.grafanatokens.api.v1alpha1.GrafanaConnection;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenStatus;
import io.grafanatokens.observability.EventEmitter;
import io.grafanatokens.observability.TokenMetrics;
import io.grafanatokens.secret.SecretAnnotations;
import io.grafanatokens.status.StatusBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The JOSDK-facing controller: wires the Secret informer and its indexes, hands each event to a
 * {@link TokenPass} or {@link CleanupPass}, and writes their status itself (see {@link
 * #writeStatus}).
 */
// generation-aware filtering is off: the rotate annotation changes no generation; every pass is a
// no-op when nothing is due, so the extra events cost nothing
@ControllerConfiguration(
    name = GrafanaServiceAccountTokenReconciler.NAME,
    generationAwareEventProcessing = false,
    // a failsafe only: every pass schedules its own next look
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public class GrafanaServiceAccountTokenReconciler
    implements Reconciler<GrafanaServiceAccountToken>, Cleaner<GrafanaServiceAccountToken> {
  public static final String NAME = "grafanaserviceaccounttoken";
  static final String MANAGED_SECRETS_SELECTOR =
      SecretAnnotations.MANAGED_BY_LABEL + "=" + SecretAnnotations.MANAGED_BY_VALUE;

  /** A pass whose resource moved while its status was written looks again this soon. */
  static final Duration MOVED_RECHECK = Duration.ofMillis(10);

  /**
   * Tokens by the connection they name ("kind/namespace/name"): a connection's change reaches its
   * tokens.
   */
  static final String CONNECTION_INDEX = "connection-ref";

  private final ReconcileDeps deps;
  private final boolean clusterConnections;
  private final TokensByConnection tokensByConnection;
  private volatile InformerEventSource<Secret, GrafanaServiceAccountToken> secrets;
  private volatile InformerEventSource<GrafanaConnection, GrafanaServiceAccountToken> connections;
  private volatile InformerEventSource<ClusterGrafanaConnection, GrafanaServiceAccountToken>
      clusterConnectionSource;

  /**
   * @param operatorNamespace where a ClusterGrafanaConnection's credentials Secrets are read
   * @param clusterConnections whether this install may watch ClusterGrafanaConnections
   */
  public GrafanaServiceAccountTokenReconciler(
      KubernetesClient client,
      ProviderRegistry providers,
      Clock clock,
      Shared shared,
      Predicate<String> ambientAllowed,
      Duration tokenCheckInterval,
      TokenMetrics metrics,
      String instanceName,
      String operatorNamespace,
      boolean clusterConnections) {
    EventEmitter events =
        new EventEmitter(client, clock, instanceName, shared.namespaces()::sawTerminating);
    SecretStore store = new SecretStore(client, new InformerSecretCache(() -> secrets));
    this.clusterConnections = clusterConnections;
    this.tokensByConnection = shared.tokens();
    this.deps =
        new ReconcileDeps(
            providers,
            new InformerConnections(),
            operatorNamespace,
            store,
            shared.credentials(),
            shared.namespaces(),
            events,
            metrics,
            new WorkloadRestarter(client, events),
            new RetryBook(),
            shared.gate(),
            new TriggerBook(),
            new WriteHolds(),
            new WarningThrottle(),
            new LivenessCache(),
            clock,
            ambientAllowed,
            tokenCheckInterval);
  }

  @Override
  public List<EventSource<?, GrafanaServiceAccountToken>> prepareEventSources(
      EventSourceContext<GrafanaServiceAccountToken> context) {
    // only Secrets carrying the operator's label are cached: caching every Secret of a cluster
    // costs memory and would hand the operator keys it has no business reading
    var config =
        InformerEventSourceConfiguration.from(Secret.class, GrafanaServiceAccountToken.class)
            .withName("managed-secrets")
            .withLabelSelector(MANAGED_SECRETS_SELECTOR)
            .withSecondaryToPrimaryMapper(
                Mappers.fromOwnerReferences(GrafanaServiceAccountToken.class, false))
            .build();
    secrets = new InformerEventSource<>(config, context);
    secrets.addIndexers(SecretCache.indexers());

    // a connection's change (or its appearing) reconciles the tokens that name it: found through
    // an index of the tokens' cache, not a scan
    var primaries = context.getPrimaryCache();
    primaries.addIndexer(
        CONNECTION_INDEX, t -> TokensByConnection.keyOf(t).map(List::of).orElse(List.of()));
    tokensByConnection.use(primaries);
    var namespaced =
        InformerEventSourceConfiguration.from(
                GrafanaConnection.class, GrafanaServiceAccountToken.class)
            .withName("connections")
            .withSecondaryToPrimaryMapper(
                c -> tokensByConnection.tokensOf(TokensByConnection.keyOf(c)))
            .build();
    connections = new InformerEventSource<>(namespaced, context);
    if (!clusterConnections) {
      return List.of(secrets, connections);
    }
    var cluster =
        InformerEventSourceConfiguration.from(
                ClusterGrafanaConnection.class, GrafanaServiceAccountToken.class)
            .withName("cluster-connections")
            .withWatchAllNamespaces()
            .withSecondaryToPrimaryMapper(
                c -> tokensByConnection.tokensOf(TokensByConnection.keyOf(c)))
            .build();
    clusterConnectionSource = new InformerEventSource<>(cluster, context);
    return List.of(secrets, connections, clusterConnectionSource);
  }

  /** The connections as the informers of this controller cache them. */
  private final class InformerConnections implements ConnectionLookup {
    @Override
    public Optional<GrafanaConnection> namespaced(String namespace, String name) {
      return connections == null
          ? Optional.empty()
          : connections.get(new ResourceID(name, namespace));
    }

    @Override
    public Optional<ClusterGrafanaConnection> cluster(String name) {
      return clusterConnectionSource == null
          ? Optional.empty()
          : clusterConnectionSource.get(new ResourceID(name));
    }

    @Override
    public boolean servesClusterConnections() {
      return clusterConnections;
    }
  }

  @Override
  public UpdateControl<GrafanaServiceAccountToken> reconcile(
      GrafanaServiceAccountToken resource, Context<GrafanaServiceAccountToken> context) {
    Outcome outcome;
    try (var mdc = ResourceMdc.of(resource)) {
      outcome = new TokenPass(deps, resource).run();
    }
    publish(resource, outcome.status());
    boolean moved = outcome.statusChanged() && writeStatus(context, resource, outcome.status());
    Duration recheck = moved ? MOVED_RECHECK : outcome.delay(deps.clock()).orElse(null);
    UpdateControl<GrafanaServiceAccountToken> control = UpdateControl.noUpdate();
    if (recheck != null) {
      control.rescheduleAfter(recheck.toMillis());
    }
    return control;
  }

  @Override
  public DeleteControl cleanup(
      GrafanaServiceAccountToken resource, Context<GrafanaServiceAccountToken> context) {
    CleanupPass.Result result;
    try (var mdc = ResourceMdc.of(resource)) {
      result = new CleanupPass(deps, resource).run();
    }
    if (result.done()) {
      return DeleteControl.defaultDelete();
    }
    Duration retry = result.retryAfter();
    if (result.status() != null
        && !result.status().equals(resource.getStatus())
        && writeStatus(context, resource, result.status())) {
      retry = MOVED_RECHECK;
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(retry.toMillis());
  }

  /**
   * Writes the status as JOSDK's own patch would (a JSON patch against the resource as reconciled),
   * but keeps the answer: JOSDK 5.3.2 drops an event that lands while its status patch is in flight
   * — a delete waited for the next reschedule, minutes later (docs/development.md). The answer
   * carries such a change; true means the resource moved (marked for deletion, a new generation,
   * other annotations) and must be looked at again now.
   */
  private static boolean writeStatus(
      Context<GrafanaServiceAccountToken> context,
      GrafanaServiceAccountToken reconciled,
      GrafanaServiceAccountTokenStatus status) {
    // the patch is the difference between base and base-with-the-new-status: a base holding only
    // what addresses the object and the old status keeps the diff (and its cost) to the status
    GrafanaServiceAccountToken base = new GrafanaServiceAccountToken();
    base.setMetadata(
        new ObjectMetaBuilder()
            .withName(reconciled.getMetadata().getName())
            .withNamespace(reconciled.getMetadata().getNamespace())
            .build());
    base.setStatus(reconciled.getStatus());
    GrafanaServiceAccountToken written =
        context
            .resourceOperations()
            .jsonPatchPrimaryStatus(
                base,
                r -> {
                  r.setStatus(status);
                  return r;
                });
    return written != null && moved(reconciled, written);
  }

  static boolean moved(GrafanaServiceAccountToken reconciled, GrafanaServiceAccountToken now) {
    return (now.getMetadata().getDeletionTimestamp() != null
            && reconciled.getMetadata().getDeletionTimestamp() == null)
        || !Objects.equals(
            now.getMetadata().getGeneration(), reconciled.getMetadata().getGeneration())
        || !Objects.equals(
            now.getMetadata().getAnnotations(), reconciled.getMetadata().getAnnotations());
  }

  /** The status as gauges: expiry, renewal and readiness per resource. */
  private void publish(GrafanaServiceAccountToken r, GrafanaServiceAccountTokenStatus s) {
    if (s == null || s.getProvider() == null) {
      return;
    }
    // the counters exist at 0 from the first reconcile: increase() and absent() need a first sample
    deps.metrics()
        .resourceSeen(r.getMetadata().getNamespace(), r.getMetadata().getName(), s.getProvider());
    boolean ready =
        s.getConditions().stream()
            .anyMatch(c -> StatusBuilder.READY.equals(c.getType()) && "True".equals(c.getStatus()));
    deps.metrics()
        .tokenState(
            r.getMetadata().getNamespace(),
            r.getMetadata().getName(),
            s.getProvider(),
            epoch(s.getExpiresAt()),
            epoch(s.getRenewalTime()),
            ready);
  }

  private static Double epoch(String t) {
    try {
      return t == null ? null : (double) Instant.parse(t).getEpochSecond();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
