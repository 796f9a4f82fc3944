package io.grafanatokens.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.runtime.GrafanaTokenOperatorMain.Launch;
import io.grafanatokens.testing.ApiServerDispatcher;
import io.grafanatokens.testing.ApiServerDispatcher.FaultMode;
import io.grafanatokens.testing.EmbeddedCluster;
import io.grafanatokens.testing.LogCapture;
import io.grafanatokens.testing.LogCapture.Event;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Startup against a cluster that cannot work: one line naming the cause and the fix, /readyz false
 * meanwhile, a non-zero exit status after STARTUP_TIMEOUT, no stack traces; and a CRD that appears
 * during the wait is simply picked up.
 */
class StartupTest {
  private static final String CRD_GROUP = "grafanatokens.io";
  private static final String PLURAL = "grafanaserviceaccounttokens";
  private final Clock clock = Clock.systemUTC();
  private final HttpClient http = HttpClient.newHttpClient();
  private LogCapture logs;

  @BeforeEach
  void captureLogs() {
    logs = LogCapture.install();
  }

  @AfterEach
  void stopCapturing() {
    logs.close();
  }

  private static OperatorConfig config(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of("LEADER_ELECTION", "false", "HTTP_PORT", "0"));
    env.putAll(extra);
    return OperatorConfig.from(env);
  }

  private Launch launch(OperatorConfig config, KubernetesClient client) {
    return GrafanaTokenOperatorMain.launch(
        config,
        client,
        clock,
        OperatorRuntime.defaultProviders(config, clock),
        "startup-test",
        false,
        false);
  }

  private int status(int port, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The operator's and the check's own warnings and errors: the lines a user reads. */
  private List<Event> ourWarnings() {
    return logs.events().stream()
        .filter(e -> e.logger().startsWith("io.grafanatokens.runtime"))
        .filter(e -> e.level().equals("WARN") || e.level().equals("ERROR"))
        .toList();
  }

  private void assertOneCleanLine(String problem, String timeout) {
    assertThat(ourWarnings())
        .containsExactly(
            new Event(
                "WARN",
                StartupCheck.class.getName(),
                problem + " (retrying for up to " + timeout + ")",
                false),
            new Event("ERROR", GrafanaTokenOperatorMain.class.getName(), problem, false));
    assertThat(logs.events())
        .as("no stack trace from anyone while waiting")
        .noneMatch(Event::hasThrowable);
  }

  @Test
  void unreachableApiServerGivesOneLineNotReadyAndAFailureStatus() throws Exception {
    int apiPort = freePort(); // closed again: nothing listens there
    int httpPort = freePort();
    String url = "https://127.0.0.1:" + apiPort + "/";
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder().withMasterUrl(url).withOauthToken("t").build())
            .build()) {
      OperatorConfig config =
          config(Map.of("HTTP_PORT", String.valueOf(httpPort), "STARTUP_TIMEOUT", "2s"));

      CompletableFuture<Launch> launching =
          CompletableFuture.supplyAsync(() -> launch(config, client));
      // while it waits: alive, not ready
      await()
          .atMost(Duration.ofSeconds(3))
          .ignoreExceptionsInstanceOf(ConnectException.class)
          .until(() -> status(httpPort, "/healthz") == 200);
      assertThat(status(httpPort, "/readyz")).isEqualTo(503);
      Launch launch = launching.get(30, TimeUnit.SECONDS);

      String problem =
          "cannot reach the Kubernetes API at " + url + ": connection refused; check KUBECONFIG";
      assertThat(launch.runtime()).isEmpty();
      assertThat(launch.exitStatus())
          .isEqualTo(GrafanaTokenOperatorMain.EXIT_STARTUP_FAILED)
          .isNotZero();
      assertThat(launch.problem()).isEqualTo(problem);
      assertOneCleanLine(problem, "2s");
    }
  }

  @Test
  void apiServerWithoutTheCrdAnswers404AndTheLineSaysHowToInstallIt() {
    try (EmbeddedCluster cluster = EmbeddedCluster.create(clock, Map.of())) {
      cluster.api().unserve(CRD_GROUP);

      Launch launch = launch(config(Map.of("STARTUP_TIMEOUT", "1s")), cluster.operatorClient());

      assertThat(launch.runtime()).isEmpty();
      assertThat(launch.exitStatus()).isEqualTo(GrafanaTokenOperatorMain.EXIT_STARTUP_FAILED);
      assertThat(launch.problem())
          .isEqualTo("the GrafanaServiceAccountToken CRD is not installed: kubectl apply -k crds/");
      assertOneCleanLine(StartupCheck.CRD_MISSING, "1s");
      // it asked, more than once, and never started a controller (no watch)
      assertThat(cluster.api().operatorCalls())
          .filteredOn(c -> PLURAL.equals(c.resource()))
          .hasSizeGreaterThan(1)
          .allSatisfy(c -> assertThat(c.verb()).isEqualTo("list"));
    }
  }

  @Test
  void aCrdInstalledDuringTheWaitIsPickedUp() throws Exception {
    try (EmbeddedCluster cluster = EmbeddedCluster.create(clock, Map.of())) {
      cluster.api().unserve(CRD_GROUP);
      OperatorConfig config = config(Map.of("STARTUP_TIMEOUT", "5s"));
      CompletableFuture<Launch> launching =
          CompletableFuture.supplyAsync(() -> launch(config, cluster.operatorClient()));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  ourWarnings().stream()
                      .anyMatch(e -> e.message().startsWith(StartupCheck.CRD_MISSING)));

      cluster.api().serve(CRD_GROUP);

      Launch launch = launching.get(20, TimeUnit.SECONDS);
      assertThat(launch.runtime()).isPresent();
      try (OperatorRuntime runtime = launch.runtime().get()) {
        assertThat(launch.exitStatus()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(runtime::ready);
        assertThat(status(runtime.httpPort(), "/readyz")).isEqualTo(200);
        assertThat(
                cluster
                    .client()
                    .resources(GrafanaServiceAccountToken.class)
                    .inAnyNamespace()
                    .list()
                    .getItems())
            .isEmpty();
      }
      assertThat(ourWarnings()).extracting(Event::level).containsExactly("WARN");
    }
  }

  @Test
  void forbiddenListInAWatchedNamespaceNamesTheNamespaceAndTheRbacFix() {
    try (EmbeddedCluster cluster = EmbeddedCluster.create(clock, Map.of())) {
      cluster
          .api()
          .failNext(
              ApiServerDispatcher.on("list", PLURAL),
              FaultMode.REFUSE,
              403,
              "grafanaserviceaccounttokens.grafanatokens.io is forbidden",
              1000);

      Launch launch =
          launch(
              config(Map.of("STARTUP_TIMEOUT", "1s", "WATCH_NAMESPACES", "team-a")),
              cluster.operatorClient());

      String problem =
          "the operator may not list grafanaserviceaccounttokens in namespace team-a (403): "
              + "grafanaserviceaccounttokens.grafanatokens.io is forbidden; apply its RBAC: kubectl apply -k deploy/";
      assertThat(launch.problem()).isEqualTo(problem);
      assertOneCleanLine(problem, "1s");
    }
  }
}
