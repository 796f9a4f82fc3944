package io.grafanatokens.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.grafanatokens.api.v1alpha1.Reasons;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * The per-resource counters exist at 0 from the first reconcile, as the Prometheus text shows them;
 * a resource costs four series plus one per reason it failed with, and every reason is counted from
 * 0 per namespace.
 */
class TokenMetricsTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final TokenMetrics metrics = new TokenMetrics(registry);

  private static String rotations(String name, double value) {
    return "grafana_token_rotations_total{name=\""
        + name
        + "\",namespace=\"team-a\",provider=\"grafana\"} "
        + value;
  }

  private static String failures(String name, String reason, double value) {
    return "grafana_token_issue_failures_total{name=\""
        + name
        + "\",namespace=\"team-a\",reason=\""
        + reason
        + "\"} "
        + value;
  }

  private static String failuresByReason(String namespace, String reason, double value) {
    return "grafana_token_issue_failures_by_reason_total{namespace=\""
        + namespace
        + "\",reason=\""
        + reason
        + "\"} "
        + value;
  }

  /** The series of the scrape (comment lines left out) whose labels contain the given text. */
  private long series(String labelText) {
    return registry
        .scrape()
        .lines()
        .filter(l -> !l.startsWith("#") && l.startsWith("grafana_token_"))
        .filter(l -> l.contains(labelText))
        .count();
  }

  @Test
  void aSeenResourceHasItsCountersAtZero() {
    assertThat(registry.scrape()).doesNotContain("name=\"ci\"");

    metrics.resourceSeen("team-a", "ci", "grafana");

    String scrape = registry.scrape();
    assertThat(scrape)
        .contains(rotations("ci", 0.0))
        .as("its failures by reason appear with its first failure")
        .doesNotContain("grafana_token_issue_failures_total{");
    assertThat(Reasons.ISSUE_FAILURES)
        .isNotEmpty()
        .allSatisfy(reason -> assertThat(scrape).contains(failuresByReason("team-a", reason, 0.0)));
  }

  @Test
  void aResourceCostsFourSeriesPlusOnePerReasonItFailedWith() {
    metrics.resourceSeen("team-a", "ci", "grafana");
    metrics.tokenState("team-a", "ci", "grafana", 2e9, 1.9e9, true);
    assertThat(series("name=\"ci\"")).as("series of one resource").isEqualTo(4);

    for (int i = 0; i < 20; i++) {
      metrics.resourceSeen("team-a", "r" + i, "grafana");
      metrics.tokenState("team-a", "r" + i, "grafana", 2e9, 1.9e9, true);
      metrics.issueFailed("team-a", "r" + i, "grafana", Reasons.PROVIDER_ERROR);
    }
    metrics.resourceSeen("team-b", "ci", "grafana");
    int reasons = Reasons.ISSUE_FAILURES.size();
    assertThat(series("grafana_token_"))
        .as("22 resources in 2 namespaces, 20 of them failed once")
        .isEqualTo(22 * 4 + 20 + 2L * reasons);
    assertThat(series("grafana_token_issue_failures_by_reason_total{"))
        .as("by reason at 0: per namespace, not per resource")
        .isEqualTo(2L * reasons);
    assertThat(registry.scrape())
        .contains(failuresByReason("team-a", Reasons.PROVIDER_ERROR, 20.0))
        .contains(failuresByReason("team-b", Reasons.PROVIDER_ERROR, 0.0));
  }

  @Test
  void theLastResourceOfANamespaceTakesItsReasonCountersAlong() {
    metrics.resourceSeen("team-a", "ci", "grafana");
    metrics.resourceSeen("team-a", "other", "grafana");
    metrics.forget("team-a", "ci");
    assertThat(registry.scrape()).contains(failuresByReason("team-a", Reasons.QUOTA_EXCEEDED, 0.0));

    metrics.forget("team-a", "other");

    assertThat(registry.scrape()).doesNotContain("team-a");
  }

  @Test
  void seeingAResourceAgainKeepsItsCounts() {
    metrics.resourceSeen("team-a", "ci", "grafana");
    metrics.rotated("team-a", "ci", "grafana");
    metrics.issueFailed("team-a", "ci", "grafana", Reasons.PROVIDER_ERROR);
    metrics.resourceSeen("team-a", "ci", "grafana");

    assertThat(registry.scrape())
        .contains(rotations("ci", 1.0))
        .contains(failures("ci", Reasons.PROVIDER_ERROR, 1.0))
        .doesNotContain("name=\"ci\",namespace=\"team-a\",reason=\"RateLimited\"")
        .contains(failuresByReason("team-a", Reasons.PROVIDER_ERROR, 1.0))
        .contains(failuresByReason("team-a", Reasons.RATE_LIMITED, 0.0));
  }

  @Test
  void forgettingAResourceRemovesTheZeroSeriesToo() {
    metrics.resourceSeen("team-a", "ci", "grafana");
    metrics.resourceSeen("team-a", "other", "grafana");

    metrics.forget("team-a", "ci");

    assertThat(registry.scrape()).doesNotContain("name=\"ci\"").contains(rotations("other", 0.0));
  }

  /** Every reason an issue can fail with (docs/reference.md#conditions-and-reasons) starts at 0. */
  @Test
  void everyReasonAnIssueCanFailWithIsInitialised() {
    assertThat(Reasons.ISSUE_FAILURES)
        .containsExactlyInAnyOrder(
            "CredentialsNotFound",
            "CredentialsRejected",
            "PermissionDenied",
            "ServiceAccountNotFound",
            "QuotaExceeded",
            "ProviderRejected",
            "ProviderError",
            "RateLimited",
            "SameTokenReturned",
            "SecretRejected");
  }
}
