package io.grafanatokens.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.grafanatokens.observability.InstrumentedProvider;
import io.grafanatokens.observability.TokenMetrics;
import io.grafanatokens.provider.TokenProvider;
import io.grafanatokens.provider.amg.AmgTokenProvider;
import io.grafanatokens.provider.grafana.GrafanaTokenProvider;
import io.grafanatokens.provider.yandex.YandexSettings;
import io.grafanatokens.provider.yandex.YandexTokenProvider;
import io.grafanatokens.reconcile.ConnectionControllers;
import io.grafanatokens.reconcile.GrafanaServiceAccountTokenReconciler;
import io.grafanatokens.reconcile.Namespaces;
import io.grafanatokens.reconcile.ProviderRegistry;
import io.grafanatokens.reconcile.Shared;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Builds the operator exactly one way, for main, the sandbox and the tests: the same reconciler,
 * providers, metrics, leader election and HTTP endpoints, against whatever client it is given.
 */
public final class OperatorRuntime implements AutoCloseable {
  static final String LEASE_NAME = "grafana-token-operator";

  /** JOSDK's and client-go's defaults: 15 s lease, 10 s renew deadline, 2 s retry. */
  static final Duration LEASE_DURATION = Duration.ofSeconds(15);

  private static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  private final Operator operator;
  private final PrometheusMeterRegistry registry;
  private final boolean leaderElection;
  private final AtomicBoolean leader = new AtomicBoolean();
  private final int httpPort;
  private final Namespaces namespaces;
  private final boolean watchAllNamespaces;
  private HttpEndpoints http;

  private OperatorRuntime(
      Operator operator,
      PrometheusMeterRegistry registry,
      boolean leaderElection,
      int httpPort,
      Namespaces namespaces,
      boolean watchAllNamespaces) {
    this.operator = operator;
    this.registry = registry;
    this.leaderElection = leaderElection;
    this.httpPort = httpPort;
    this.namespaces = namespaces;
    this.watchAllNamespaces = watchAllNamespaces;
  }

  /**
   * Registers the controller; call {@link #start()} next.
   *
   * @param exitOnStopLeading true in production (a replica that lost the lease restarts); false in
   *     tests, where System.exit would kill the test JVM
   */
  public static OperatorRuntime create(
      KubernetesClient client,
      OperatorConfig config,
      Clock clock,
      List<TokenProvider> providers,
      String instanceName,
      boolean exitOnStopLeading) {
    return create(
        client, config, clock, providers, instanceName, exitOnStopLeading, LEASE_DURATION);
  }

  /**
   * The same with another lease duration (renew deadline and retry period scale with it): a test of
   * a takeover need not wait the production 15 seconds.
   */
  public static OperatorRuntime create(
      KubernetesClient client,
      OperatorConfig config,
      Clock clock,
      List<TokenProvider> providers,
      String instanceName,
      boolean exitOnStopLeading,
      Duration leaseDuration) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // JOSDK counts timer events under events.received without the action tag that resource events
    // carry; Prometheus needs one tag set per name, so give those an empty action
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                return id.getName().equals("events.received") && id.getTag("action") == null
                    ? id.withTag(Tag.of("action", ""))
                    : id;
              }
            });
    TokenMetrics metrics = new TokenMetrics(registry);
    boolean elect = config.leaderElection().orElse(inCluster());
    AtomicBoolean[] leaderFlag = new AtomicBoolean[1];
    Operator operator =
        new Operator(
            o -> {
              // no SSA for the primary: the CRUD mock has none and one code path serves tests and
              // production
              o.withKubernetesClient(client)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withCloseClientOnStop(false)
                  .withStopOnInformerErrorDuringStartup(false)
                  // without per-resource tags: one histogram per controller, not per resource
                  .withMetrics(MicrometerMetricsV2.newBuilder(registry).build());
              if (elect) {
                var election =
                    LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(LEASE_NAME)
                        .withLeaseNamespace(operatorNamespace(config))
                        .withIdentity(instanceName)
                        .withLeaseDuration(leaseDuration)
                        .withRenewDeadline(leaseDuration.multipliedBy(2).dividedBy(3))
                        .withRetryPeriod(leaseDuration.dividedBy(7))
                        .withLeaderCallbacks(
                            new LeaderCallbacks(
                                () -> leaderFlag[0].set(true),
                                () -> leaderFlag[0].set(false),
                                id -> {}));
                // JOSDK exits the JVM when leadership is lost (the pod restarts as a standby);
                // tests keep it alive
                o.withLeaderElectionConfiguration(
                    exitOnStopLeading ? election.build() : election.buildForTest(false));
              }
            });
    List<TokenProvider> instrumented =
        providers.stream().<TokenProvider>map(p -> new InstrumentedProvider(p, metrics)).toList();
    Shared shared = Shared.create(client, clock);
    ProviderRegistry registryOfProviders = new ProviderRegistry(instrumented);
    String operatorNamespace = operatorNamespace(config);
    boolean clusterConnections = config.watchClusterConnections();
    var reconciler =
        new GrafanaServiceAccountTokenReconciler(
            client,
            registryOfProviders,
            clock,
            shared,
            config.ambientAllowed(),
            config.tokenCheckInterval(),
            metrics,
            instanceName,
            operatorNamespace,
            clusterConnections);
    // transient Kubernetes errors: from 2 s doubling to 5 min, never giving up
    GenericRetry retry =
        new GenericRetry()
            .setInitialInterval(2000)
            .setIntervalMultiplier(2)
            .setMaxInterval(Duration.ofMinutes(5).toMillis())
            .withoutMaxAttempts();
    operator.register(
        reconciler,
        c -> {
          c.withRetry(retry);
          if (!config.watchNamespaces().isEmpty()) {
            c.settingNamespaces(config.watchNamespaces());
          }
        });
    var connectionDeps =
        new ConnectionControllers.Deps(
            registryOfProviders,
            shared,
            clock,
            config.ambientAllowed(),
            config.tokenCheckInterval(),
            operatorNamespace);
    operator.register(
        new ConnectionControllers.Namespaced(connectionDeps),
        c -> {
          c.withRetry(retry);
          if (!config.watchNamespaces().isEmpty()) {
            c.settingNamespaces(config.watchNamespaces());
          }
        });
    if (clusterConnections) {
      operator.register(new ConnectionControllers.Cluster(connectionDeps), c -> c.withRetry(retry));
    }
    OperatorRuntime runtime =
        new OperatorRuntime(
            operator,
            registry,
            elect,
            config.httpPort(),
            shared.namespaces(),
            config.watchNamespaces().isEmpty());
    leaderFlag[0] = runtime.leader;
    return runtime;
  }

  /** The production set of providers. */
  public static List<TokenProvider> defaultProviders(OperatorConfig config, Clock clock) {
    YandexSettings yandex =
        new YandexSettings(
            config.ycIamEndpoint(),
            config.ycTokenExchangeEndpoint(),
            config.ycMetadataUrl(),
            Path.of(config.ycWorkloadTokenPath()));
    return List.of(
        new GrafanaTokenProvider(config.providerTimeout(), clock),
        new AmgTokenProvider(config.providerTimeout(), clock, config.awsGrafanaEndpoint()),
        new YandexTokenProvider(config.providerTimeout(), clock, yandex));
  }

  /** /healthz, /readyz (not ready until {@link #start()}) and /metrics; idempotent. */
  public synchronized void startHttp() {
    if (http == null) {
      http = new HttpEndpoints(httpPort, this::ready, registry);
    }
  }

  public void start() {
    startHttp();
    if (watchAllNamespaces) {
      // one watch for the cluster instead of a GET of the namespace per issue; an install that
      // watches a list of namespaces has no cluster-wide read and asks per namespace instead
      namespaces.watchAll();
    }
    operator.start();
  }

  /**
   * docs/reference.md#health-endpoints: ready when the replica is a standby (it must not block a
   * rolling update) or the leader with every event source healthy.
   */
  public boolean ready() {
    var info = operator.getRuntimeInfo();
    if (!info.isStarted()) {
      return false;
    }
    if (leaderElection && !leader.get()) {
      return true;
    }
    return info.allEventSourcesAreHealthy();
  }

  public boolean isLeader() {
    return !leaderElection || leader.get();
  }

  /** The HTTP port actually bound (HTTP_PORT=0 picks a free one). */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public Operator operator() {
    return operator;
  }

  @Override
  public void close() {
    operator.stop();
    namespaces.close();
    if (http != null) {
      http.close();
    }
  }

  static boolean inCluster() {
    return System.getenv("KUBERNETES_SERVICE_HOST") != null;
  }

  static String operatorNamespace(OperatorConfig config) {
    if (config.operatorNamespace().isPresent()) {
      return config.operatorNamespace().get();
    }
    try {
      return Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim();
    } catch (Exception e) {
      return "default";
    }
  }
}
