package io.grafanatokens.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** {@code java -jar grafana-token-operator.jar}: the operator against the current cluster. */
public final class GrafanaTokenOperatorMain {
  private static final Logger LOG = LoggerFactory.getLogger(GrafanaTokenOperatorMain.class);

  private GrafanaTokenOperatorMain() {}

  public static void main(String[] args) {
    OperatorConfig config;
    try {
      config = OperatorConfig.fromEnvironment();
    } catch (IllegalArgumentException e) {
      System.err.println("grafana-token-operator: " + e.getMessage());
      System.exit(2);
      return;
    }
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    KubernetesClient client = new KubernetesClientBuilder().build();
    Clock clock = Clock.systemUTC();
    OperatorRuntime runtime = OperatorRuntime.create(client, config, clock,
        OperatorRuntime.defaultProviders(config, clock), instanceName(), true);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping");
      runtime.close();
      client.close();
    }, "shutdown"));
    runtime.start();
    LOG.info("grafana-token-operator started; watching {}; /metrics, /healthz, /readyz on port {}",
        config.watchNamespaces().isEmpty() ? "all namespaces" : config.watchNamespaces(), runtime.httpPort());
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
