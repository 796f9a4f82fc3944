package io.grafanatokens.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.grafanatokens.provider.TokenProvider;
import io.grafanatokens.provider.grafana.GrafanaTokenProvider;
import io.grafanatokens.reconcile.GrafanaServiceAccountTokenReconciler;
import io.grafanatokens.reconcile.ProviderRegistry;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Builds the operator exactly one way, for main, the sandbox and the tests: the same reconciler,
 * providers and JOSDK settings, against whatever Kubernetes client it is given.
 */
public final class OperatorRuntime implements AutoCloseable {
  private final Operator operator;

  private OperatorRuntime(Operator operator) {
    this.operator = operator;
  }

  /** Registers the controller; call {@link #start()} next. */
  public static OperatorRuntime create(KubernetesClient client, OperatorConfig config, Clock clock,
      List<TokenProvider> providers, String instanceName) {
    // no SSA for the primary: the CRUD mock has none and one code path serves tests and production
    Operator operator = new Operator(o -> o.withKubernetesClient(client)
        .withUseSSAToPatchPrimaryResource(false)
        .withCloseClientOnStop(false)
        .withStopOnInformerErrorDuringStartup(false));
    var reconciler = new GrafanaServiceAccountTokenReconciler(client, new ProviderRegistry(providers), clock,
        config.ambientAllowed(), config.tokenCheckInterval(), instanceName);
    operator.register(reconciler, c -> {
      // transient Kubernetes errors: from 2 s doubling to 5 min, never giving up
      c.withRetry(new GenericRetry().setInitialInterval(2000).setIntervalMultiplier(2)
          .setMaxInterval(Duration.ofMinutes(5).toMillis()).withoutMaxAttempts());
      if (!config.watchNamespaces().isEmpty()) {
        c.settingNamespaces(config.watchNamespaces());
      }
    });
    return new OperatorRuntime(operator);
  }

  /** The production set of providers. */
  public static List<TokenProvider> defaultProviders(OperatorConfig config, Clock clock) {
    return List.of(new GrafanaTokenProvider(config.providerTimeout(), clock));
  }

  public void start() {
    operator.start();
  }

  public Operator operator() {
    return operator;
  }

  @Override
  public void close() {
    operator.stop();
  }
}
