package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenStatus;
import io.grafanatokens.observability.EventEmitter;
import io.grafanatokens.observability.TokenMetrics;
import io.grafanatokens.status.StatusBuilder;
import io.grafanatokens.secret.SecretAnnotations;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The JOSDK-facing controller: wires the Secret informer and hands each event to a
 * {@link ReconcilePass} or {@link CleanupPass}; everything else lives there.
 */
// generation-aware filtering is off: the rotate annotation changes no generation; every pass is a
// no-op when nothing is due, so the extra events cost nothing
@ControllerConfiguration(
    name = GrafanaServiceAccountTokenReconciler.NAME,
    generationAwareEventProcessing = false,
    // a failsafe: a delete that lands while a pass is running has been seen to wait for this
    // interval (against the CRUD mock), so it is kept short; a pass with nothing due is a no-op
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class GrafanaServiceAccountTokenReconciler
    implements Reconciler<GrafanaServiceAccountToken>, Cleaner<GrafanaServiceAccountToken> {
  public static final String NAME = "grafanaserviceaccounttoken";
  static final String MANAGED_SECRETS_SELECTOR =
      SecretAnnotations.MANAGED_BY_LABEL + "=" + SecretAnnotations.MANAGED_BY_VALUE;

  private final KubernetesClient client;
  private final ReconcileDeps deps;
  private volatile InformerEventSource<Secret, GrafanaServiceAccountToken> secrets;

  public GrafanaServiceAccountTokenReconciler(KubernetesClient client, ProviderRegistry providers, Clock clock,
      Predicate<String> ambientAllowed, Duration tokenCheckInterval, TokenMetrics metrics, String instanceName) {
    this.client = client;
    SecretStore store = new SecretStore(client, () -> secrets);
    EventEmitter events = new EventEmitter(client, clock, instanceName);
    this.deps = new ReconcileDeps(providers, store, new TokenIssuer(store, clock), events, metrics,
        new WorkloadRestarter(client, events), new Namespaces(client), new RetryBook(), new LivenessCache(), clock, ambientAllowed,
        tokenCheckInterval);
  }

  @Override
  public List<EventSource<?, GrafanaServiceAccountToken>> prepareEventSources(
      EventSourceContext<GrafanaServiceAccountToken> context) {
    // only Secrets carrying the operator's label are cached: caching every Secret of a cluster
    // costs memory and would hand the operator keys it has no business reading
    var config = InformerEventSourceConfiguration.from(Secret.class, GrafanaServiceAccountToken.class)
        .withName("managed-secrets")
        .withLabelSelector(MANAGED_SECRETS_SELECTOR)
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(GrafanaServiceAccountToken.class, false))
        .build();
    secrets = new InformerEventSource<>(config, context);
    return List.of(secrets);
  }

  @Override
  public UpdateControl<GrafanaServiceAccountToken> reconcile(GrafanaServiceAccountToken resource,
      Context<GrafanaServiceAccountToken> context) {
    Outcome outcome;
    try (var mdc = ResourceMdc.of(resource)) {
      outcome = new ReconcilePass(deps, resource, lookup(resource)).run();
    }
    publish(resource, outcome.status());
    UpdateControl<GrafanaServiceAccountToken> control;
    if (outcome.statusChanged()) {
      resource.setStatus(outcome.status());
      control = UpdateControl.patchStatus(resource);
    } else {
      control = UpdateControl.noUpdate();
    }
    outcome.recheckAfter().ifPresent(d -> control.rescheduleAfter(d.toMillis()));
    return control;
  }

  @Override
  public DeleteControl cleanup(GrafanaServiceAccountToken resource, Context<GrafanaServiceAccountToken> context) {
    CleanupPass.Result result;
    try (var mdc = ResourceMdc.of(resource)) {
      result = new CleanupPass(deps, resource, lookup(resource)).run();
    }
    return result.done()
        ? DeleteControl.defaultDelete()
        : DeleteControl.noFinalizerRemoval().rescheduleAfter(result.retryAfter().toMillis());
  }

  /** The status as gauges: expiry, renewal and readiness per resource. */
  private void publish(GrafanaServiceAccountToken r, GrafanaServiceAccountTokenStatus s) {
    if (s == null || s.getProvider() == null) {
      return;
    }
    boolean ready = s.getConditions().stream()
        .anyMatch(c -> StatusBuilder.READY.equals(c.getType()) && "True".equals(c.getStatus()));
    deps.metrics().tokenState(r.getMetadata().getNamespace(), r.getMetadata().getName(), s.getProvider(),
        epoch(s.getExpiresAt()), epoch(s.getRenewalTime()), ready);
  }

  private static Double epoch(String t) {
    try {
      return t == null ? null : (double) Instant.parse(t).getEpochSecond();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private KubernetesSecretLookup lookup(GrafanaServiceAccountToken resource) {
    return new KubernetesSecretLookup(client, resource.getMetadata().getNamespace());
  }
}
