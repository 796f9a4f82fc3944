package io.grafanatokens.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.grafanatokens.api.v1alpha1.Reasons;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * The per-resource counters exist at 0 from the first reconcile, as the Prometheus text shows them.
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

  @Test
  void aSeenResourceHasItsCountersAtZero() {
    assertThat(registry.scrape()).doesNotContain("name=\"ci\"");

    metrics.resourceSeen("team-a", "ci", "grafana");

    String scrape = registry.scrape();
    assertThat(scrape).contains(rotations("ci", 0.0));
    assertThat(Reasons.ISSUE_FAILURES)
        .isNotEmpty()
        .allSatisfy(reason -> assertThat(scrape).contains(failures("ci", reason, 0.0)));
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
        .contains(failures("ci", Reasons.RATE_LIMITED, 0.0));
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
