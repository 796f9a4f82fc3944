package io.grafanatokens.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.grafanatokens.fakes.grafana.FakeGrafana;
import io.grafanatokens.runtime.LenientReading;
import io.grafanatokens.runtime.OperatorConfig;
import io.grafanatokens.runtime.OperatorRuntime;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * An in-process Kubernetes API (fabric8 CRUD mock), an in-process Grafana and the real operator
 * wiring between them: the sandbox and the end-to-end tests both start this.
 */
public final class EmbeddedCluster implements AutoCloseable {
  public static final String CREDENTIALS_SECRET = "grafana-admin";

  private final KubernetesMockServer server;
  private final ApiServerDispatcher api = new ApiServerDispatcher();
  private final KubernetesClient client;
  private final KubernetesClient operatorClient;
  private final FakeGrafana grafana;
  private final Clock clock;
  private final Map<String, String> env;
  private OperatorRuntime runtime;
  private final KubernetesClient kubectl;

  private EmbeddedCluster(Clock clock, Map<String, String> env) {
    this.clock = clock;
    this.env = env;
    this.server =
        new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), api, false);
    server.init();
    this.client =
        server.createClient(b -> b.withKubernetesSerialization(LenientReading.serialization()));
    // the operator has a client of its own, as in a cluster: its calls are told apart for the RBAC
    // check; one quick retry of a failed request, like a real client's backoff but without the wait
    this.operatorClient =
        server.createClient(
            b ->
                b.withKubernetesSerialization(LenientReading.serialization())
                    .editOrNewConfig()
                    .withRequestRetryBackoffLimit(1)
                    .withRequestRetryBackoffInterval(20)
                    .withUserAgent(ApiServerDispatcher.OPERATOR_AGENT)
                    .endConfig());
    // what kubectl would send and see: the default serialization, every field as it is
    this.kubectl = server.createClient();
    this.grafana = FakeGrafana.builder().clock(clock).start();
  }

  /**
   * Starts the mock API and the fake Grafana; the operator starts with {@link #startOperator()}.
   */
  public static EmbeddedCluster create(Clock clock, Map<String, String> env) {
    return new EmbeddedCluster(clock, env);
  }

  public EmbeddedCluster startOperator() {
    runtime = newOperator("embedded", Map.of());
    runtime.start();
    return this;
  }

  /** Another operator instance on the same API server (its own metrics and HTTP port). */
  public OperatorRuntime newOperator(String instanceName, Map<String, String> extraEnv) {
    return newOperator(instanceName, extraEnv, Duration.ofSeconds(15));
  }

  /**
   * An instance whose leader lease lasts {@code leaseDuration}: a takeover test need not wait 15 s.
   */
  public OperatorRuntime newOperator(
      String instanceName, Map<String, String> extraEnv, Duration leaseDuration) {
    Map<String, String> all = new HashMap<>(env);
    all.putIfAbsent("HTTP_PORT", "0");
    all.putAll(extraEnv);
    OperatorConfig config = OperatorConfig.from(all);
    return OperatorRuntime.create(
        operatorClient,
        config,
        clock,
        OperatorRuntime.defaultProviders(config, clock),
        instanceName,
        false,
        leaseDuration);
  }

  /** The operator started by {@link #startOperator()}. */
  public OperatorRuntime runtime() {
    return runtime;
  }

  public void stopOperator() {
    if (runtime != null) {
      runtime.close();
      runtime = null;
    }
  }

  /**
   * A namespace with a credentials Secret holding a bearer token of an Admin service account in org
   * 1.
   */
  public String namespaceWithGrafanaAdmin(String namespace) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .createOr(c -> c.update());
    Secret creds =
        new SecretBuilder()
            .withNewMetadata()
            .withName(CREDENTIALS_SECRET)
            .withNamespace(namespace)
            .endMetadata()
            .addToStringData("token", grafana.mintAdminToken(1))
            .build();
    client.secrets().resource(creds).createOr(c -> c.update());
    return namespace;
  }

  /** http://host:port of the mock API server, for a client in another process (a kubeconfig). */
  public String apiServerUrl() {
    return "http://" + server.getHostName() + ":" + server.getPort();
  }

  public KubernetesClient client() {
    return client;
  }

  /**
   * A client with fabric8's default serialization, which writes and reads every field, as kubectl
   * does ({@link #client()} reads as the operator does).
   */
  public KubernetesClient kubectl() {
    return kubectl;
  }

  /** The operator's own client (its calls are recorded as the operator's). */
  public KubernetesClient operatorClient() {
    return operatorClient;
  }

  /** The API server's record of calls and its fault injection. */
  public ApiServerDispatcher api() {
    return api;
  }

  public FakeGrafana grafana() {
    return grafana;
  }

  public Clock clock() {
    return clock;
  }

  @Override
  public void close() {
    stopOperator();
    operatorClient.close();
    kubectl.close();
    client.close();
    MockServers.destroy(server);
    grafana.close();
  }
}
