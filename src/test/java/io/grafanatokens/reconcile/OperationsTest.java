package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.RestartTarget;
import io.grafanatokens.testing.Resources;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Running it: /metrics, /healthz, /readyz and restart targets (docs/reference.md#health-endpoints,
 * docs/reference.md#restart-targets).
 */
class OperationsTest extends LifecycleTestBase {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String metrics() throws Exception {
    return get(cluster.runtime().httpPort(), "/metrics").body();
  }

  @Test
  void healthReadinessAndMetricsAreServed() throws Exception {
    int port = cluster.runtime().httpPort();
    assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> get(port, "/readyz").statusCode() == 200);

    apply(token("observed"));
    GrafanaServiceAccountToken r = awaitReady("observed", "Issued");
    long expires = java.time.Instant.parse(r.getStatus().getExpiresAt()).getEpochSecond();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(metrics())
                    .contains(
                        "grafana_token_ready{name=\"observed\",namespace=\"team-a\",provider=\"grafana\"} 1.0")
                    .contains(
                        "grafana_token_expiration_timestamp_seconds{name=\"observed\",namespace=\"team-a\",provider=\"grafana\"} "
                            + (double) expires)
                    .contains("grafana_token_renewal_timestamp_seconds{name=\"observed\"")
                    .contains(
                        "grafana_token_provider_requests_total{operation=\"issue\",outcome=\"success\",provider=\"grafana\"} 1.0")
                    .doesNotContain("operation=\"lookup\"")
                    .containsPattern(
                        "reconciliations_\\w+\\{controller_name=\"grafanaserviceaccounttoken\""));
    assertThat(metrics()).doesNotContain("name=\"observed\",namespace=\"team-a\",le=");
    assertThat(metrics().lines().filter(l -> !l.startsWith("#") && l.contains("\"observed\"")))
        .as("the resource's series, JOSDK's included (they are per controller)")
        .hasSize(4);

    requestRotation("observed", "1");
    awaitReady("observed", "Rotated");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(metrics())
                    .contains(
                        "grafana_token_rotations_total{name=\"observed\",namespace=\"team-a\",provider=\"grafana\"} 1.0"));

    client.resource(get("observed")).delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> get("observed") == null);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(metrics()).doesNotContain("name=\"observed\""));
  }

  @Test
  void failuresAreCountedByReasonAndOutcome() throws Exception {
    grafana.failNext(
        io.grafanatokens.fakes.grafana.Operation.CREATE_TOKEN,
        io.grafanatokens.fakes.grafana.Fault.HTTP_500,
        1);
    apply(token("failing"));
    awaitCondition(
        "failing", io.grafanatokens.status.StatusBuilder.ISSUING, "True", "ProviderError");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(metrics())
                    .contains(
                        "grafana_token_issue_failures_total{name=\"failing\",namespace=\"team-a\",reason=\"ProviderError\"} 1.0")
                    .contains(
                        "grafana_token_issue_failures_by_reason_total{namespace=\"team-a\",reason=\"ProviderError\"} 1.0")
                    .contains(
                        "grafana_token_provider_requests_total{operation=\"issue\",outcome=\"server_error\",provider=\"grafana\"} 1.0")
                    .contains(
                        "grafana_token_ready{name=\"failing\",namespace=\"team-a\",provider=\"grafana\"} 0.0"));
  }

  @Test
  void rotationRestartsTheListedWorkloadsAndWarnsAboutMissingOnes() {
    Deployment app =
        client
            .apps()
            .deployments()
            .inNamespace(NS)
            .resource(Resources.deployment(NS, "my-app"))
            .create();
    GrafanaServiceAccountToken r = token("restarting");
    RestartTarget present = Resources.restartTarget("Deployment", "my-app");
    RestartTarget missing = Resources.restartTarget("StatefulSet", "not-there");
    r.getSpec().setRestartTargets(List.of(present, missing));
    apply(r);
    awaitReady("restarting", "Issued");
    assertThat(restartedAt()).as("not on the first issue").isNull();

    edit(
        "restarting",
        x -> {
          x.getMetadata()
              .setAnnotations(
                  new java.util.HashMap<>(java.util.Map.of("grafanatokens.io/rotate", "1")));
          return x;
        });
    awaitReady("restarting", "Rotated");
    await().atMost(Duration.ofSeconds(10)).until(() -> restartedAt() != null);
    assertThat(events("Restarted")).hasSize(1);
    assertThat(events("RestartTargetNotFound"))
        .singleElement()
        .satisfies(e -> assertThat(e.getNote()).contains("StatefulSet/not-there"));

    // metadata-only changes restart nothing
    String first = restartedAt();
    edit(
        "restarting",
        x -> {
          x.getSpec().setSecret(new io.grafanatokens.api.v1alpha1.SecretTemplate());
          x.getSpec().getSecret().setLabels(java.util.Map.of("a", "b"));
          return x;
        });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> secret("restarting").getMetadata().getLabels().containsKey("a"));
    assertThat(restartedAt()).isEqualTo(first);
  }

  private String restartedAt() {
    var a =
        client
            .apps()
            .deployments()
            .inNamespace(NS)
            .withName("my-app")
            .get()
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations();
    return a == null ? null : a.get("grafanatokens.io/restartedAt");
  }
}
