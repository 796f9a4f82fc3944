package io.grafanatokens.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.grafanatokens.provider.TokenProvider;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** {@code java -jar grafana-token-operator.jar}: the operator against the current cluster. */
public final class GrafanaTokenOperatorMain {
  private static final Logger LOG = LoggerFactory.getLogger(GrafanaTokenOperatorMain.class);

  /** Exit status when the Kubernetes API or the CRD is not there after STARTUP_TIMEOUT. */
  static final int EXIT_STARTUP_FAILED = 1;

  /** Exit status for a bad setting. */
  static final int EXIT_BAD_CONFIG = 2;

  /**
   * What {@link #launch} decided: the running operator, or the exit status and the one line why
   * not.
   */
  record Launch(Optional<OperatorRuntime> runtime, int exitStatus, String problem) {
    static Launch started(OperatorRuntime runtime) {
      return new Launch(Optional.of(runtime), 0, null);
    }

    static Launch failed(int exitStatus, String problem) {
      return new Launch(Optional.empty(), exitStatus, problem);
    }
  }

  private GrafanaTokenOperatorMain() {}

  /**
   * In a container limited to one CPU the JVM sees one processor, and CompletableFuture then runs
   * every async step on a new thread (no common pool below two): the HTTP clients' completions
   * started thousands of threads a minute. A common pool of two is cheap and ends that.
   */
  static void sizeTheCommonPool() {
    if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null
        && Runtime.getRuntime().availableProcessors() < 3) {
      System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism", "2");
    }
  }

  public static void main(String[] args) {
    sizeTheCommonPool();
    OperatorConfig config;
    try {
      config = OperatorConfig.fromEnvironment();
    } catch (IllegalArgumentException e) {
      System.err.println("grafana-token-operator: " + e.getMessage());
      System.exit(EXIT_BAD_CONFIG);
      return;
    }
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withKubernetesSerialization(LenientReading.serialization())
            .build();
    Clock clock = Clock.systemUTC();
    Launch launch =
        launch(
            config,
            client,
            clock,
            OperatorRuntime.defaultProviders(config, clock),
            instanceName(),
            true,
            OperatorRuntime.inCluster());
    if (launch.runtime().isEmpty()) {
      client.close();
      System.exit(launch.exitStatus());
      return;
    }
    OperatorRuntime runtime = launch.runtime().get();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("stopping");
                  runtime.close();
                  client.close();
                },
                "shutdown"));
    LOG.info(
        "grafana-token-operator started; watching {}; /metrics, /healthz, /readyz on port {}",
        config.watchNamespaces().isEmpty() ? "all namespaces" : config.watchNamespaces(),
        runtime.httpPort());
  }

  /**
   * Everything main does but exiting: serves /healthz and a false /readyz while it checks that the
   * API answers and the CRD is installed (for up to STARTUP_TIMEOUT), then starts the controller;
   * or logs the one line naming the cause and the fix, and says which exit status to use.
   */
  static Launch launch(
      OperatorConfig config,
      KubernetesClient client,
      Clock clock,
      List<TokenProvider> providers,
      String instanceName,
      boolean exitOnStopLeading,
      boolean inCluster) {
    OperatorRuntime runtime =
        OperatorRuntime.create(client, config, clock, providers, instanceName, exitOnStopLeading);
    runtime.startHttp();
    Optional<String> problem =
        new StartupCheck(client, config.watchNamespaces(), inCluster)
            .await(config.startupTimeout());
    if (problem.isPresent()) {
      runtime.close();
      LOG.error(problem.get());
      return Launch.failed(EXIT_STARTUP_FAILED, problem.get());
    }
    runtime.start();
    return Launch.started(runtime);
  }

  private static String instanceName() {
    String pod = System.getenv("HOSTNAME");
    if (pod != null && !pod.isBlank()) {
      return pod;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "grafana-token-operator";
    }
  }
}
