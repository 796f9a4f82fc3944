package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.fakes.grafana.MutableClock;
import io.grafanatokens.runtime.OperatorRuntime;
import io.grafanatokens.testing.EmbeddedCluster;
import io.grafanatokens.testing.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two replicas on one API server: only the leader issues tokens; the standby takes over. */
class LeaderElectionTest {
  private static final String NS = "team-a";

  /** Short, so that the takeover after the leader stops takes seconds, not the production 15. */
  private static final Duration LEASE = Duration.ofSeconds(3);

  private EmbeddedCluster cluster;
  private OperatorRuntime a;
  private OperatorRuntime b;

  @AfterEach
  void stop() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
    cluster.close();
  }

  @Test
  void onlyTheLeaderIssuesAndTheStandbyTakesOver() {
    cluster =
        EmbeddedCluster.create(
            new MutableClock(Instant.now()),
            Map.of(
                "LEADER_ELECTION",
                "true",
                "OPERATOR_NAMESPACE",
                "operators",
                "TOKEN_CHECK_INTERVAL",
                "0"));
    cluster.namespaceWithGrafanaAdmin(NS);
    long sa = cluster.grafana().createServiceAccount(1, "ci-bot", "Viewer");
    a = cluster.newOperator("replica-a", Map.of(), LEASE);
    a.start();
    await().atMost(Duration.ofSeconds(20)).until(a::isLeader);
    b = cluster.newOperator("replica-b", Map.of(), LEASE);
    b.start();
    assertThat(b.ready()).as("a standby is ready: it must not block a rolling update").isTrue();

    for (int i = 0; i < 3; i++) {
      cluster
          .client()
          .resource(Resources.grafanaToken(NS, "t" + i, cluster.grafana().baseUrl(), sa))
          .create();
    }
    for (int i = 0; i < 3; i++) {
      String name = "t" + i;
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                GrafanaServiceAccountToken r =
                    cluster
                        .client()
                        .resources(GrafanaServiceAccountToken.class)
                        .inNamespace(NS)
                        .withName(name)
                        .get();
                return r.getStatus() != null && r.getStatus().getTokenId() != null;
              });
    }
    assertThat(cluster.grafana().tokensOf(sa)).hasSize(3);
    Lease lease =
        cluster.client().leases().inNamespace("operators").withName("grafana-token-operator").get();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-a");
    assertThat(b.isLeader()).isFalse();
    assertThat(b.registry().scrape()).doesNotContain("grafana_token_provider_requests_total{");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(a.registry().scrape())
                    .contains(
                        "grafana_token_provider_requests_total{operation=\"issue\",outcome=\"success\",provider=\"grafana\"} 3.0"));

    a.close();
    a = null;
    await().atMost(Duration.ofSeconds(40)).until(b::isLeader);
    GrafanaServiceAccountToken late =
        Resources.grafanaToken(NS, "t3", cluster.grafana().baseUrl(), sa);
    cluster.client().resource(late).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> cluster.grafana().tokensOf(sa).size() == 4);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(b.registry().scrape())
                    .contains(
                        "grafana_token_provider_requests_total{operation=\"issue\",outcome=\"success\",provider=\"grafana\"} 1.0"));
  }
}
