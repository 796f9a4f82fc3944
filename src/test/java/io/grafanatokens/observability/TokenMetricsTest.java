package io.grafanatokens.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.grafanatokens.provider.ProviderReasons;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-resource counters exist at 0 from the first reconcile, as the Prometheus text shows them. */
class TokenMetricsTest {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final TokenMetrics metrics = new TokenMetrics(registry);

  private static String rotations(String name, double value) {
    return "grafana_token_rotations_total{name=\"" + name + "\",namespace=\"team-a\",provider=\"grafana\"} " + value;
  }

  private static String failures(String name, String reason, double value) {
    return "grafana_token_issue_failures_total{name=\"" + name + "\",namespace=\"team-a\",reason=\"" + reason + "\"} "
        + value;
  }

  @Test
  void aSeenResourceHasItsCountersAtZero() {
    assertThat(registry.scrape()).doesNotContain("name=\"ci\"");

    metrics.resourceSeen("team-a", "ci", "grafana");

    String scrape = registry.scrape();
    assertThat(scrape).contains(rotations("ci", 0.0));
    assertThat(ProviderReasons.ALL).isNotEmpty()
        .allSatisfy(reason -> assertThat(scrape).contains(failures("ci", reason, 0.0)));
  }

  @Test
  void seeingAResourceAgainKeepsItsCounts() {
    metrics.resourceSeen("team-a", "ci", "grafana");
    metrics.rotated("team-a", "ci", "grafana");
    metrics.issueFailed("team-a", "ci", "grafana", ProviderReasons.PROVIDER_ERROR);
    metrics.resourceSeen("team-a", "ci", "grafana");

    assertThat(registry.scrape())
        .contains(rotations("ci", 1.0))
        .contains(failures("ci", ProviderReasons.PROVIDER_ERROR, 1.0))
        .contains(failures("ci", ProviderReasons.RATE_LIMITED, 0.0));
  }

  @Test
  void forgettingAResourceRemovesTheZeroSeriesToo() {
    metrics.resourceSeen("team-a", "ci", "grafana");
    metrics.resourceSeen("team-a", "other", "grafana");

    metrics.forget("team-a", "ci");

    assertThat(registry.scrape()).doesNotContain("name=\"ci\"").contains(rotations("other", 0.0));
  }

  /** A reason added to ProviderReasons and not to ALL would start its series only at the first failure. */
  @Test
  void allListsEveryProviderReason() throws IllegalAccessException {
    List<String> constants = new ArrayList<>();
    for (Field f : ProviderReasons.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        constants.add((String) f.get(null));
      }
    }
    assertThat(constants).hasSizeGreaterThan(5);
    assertThat(ProviderReasons.ALL).containsExactlyInAnyOrderElementsOf(constants).doesNotHaveDuplicates();
  }
}
