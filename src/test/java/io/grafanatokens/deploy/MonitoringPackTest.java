package io.grafanatokens.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.fakes.grafana.Fault;
import io.grafanatokens.fakes.grafana.MutableClock;
import io.grafanatokens.fakes.grafana.Operation;
import io.grafanatokens.observability.TokenMetrics;
import io.grafanatokens.secret.SecretAnnotations;
import io.grafanatokens.status.StatusBuilder;
import io.grafanatokens.testing.EmbeddedCluster;
import io.grafanatokens.testing.LogCapture;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/monitoring: the PrometheusRule parses, every alert carries severity, summary and
 * description, and every series the alerts and the dashboard select (with the labels their matchers
 * use) is one the operator really exports — read from the scrape of a real operator that issued,
 * rotated, failed and abandoned tokens, so that every counter exists.
 */
class MonitoringPackTest {
  static final String DIR = "deploy/monitoring";
  static final String DASHBOARD = "grafana-token-operator-dashboard.json";

  /** Series Prometheus itself makes for every target, and why they may be used. */
  private static final Map<String, String> PROMETHEUS_SERIES =
      Map.of("up", "written by Prometheus for every scrape target (the PodMonitor's job)");

  private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})?\\s");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
  private static final Pattern PROM_DURATION = Pattern.compile("^(\\d+(ms|s|m|h|d|w|y))+$");

  /** Exported sample names and the label names seen on them. */
  private static Map<String, Set<String>> exported;

  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void scrapeAnOperatorThatDidEverything() {
    MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    try (LogCapture logs = LogCapture.install();
        EmbeddedCluster cluster =
            EmbeddedCluster.create(
                clock, Map.of("TOKEN_CHECK_INTERVAL", "0", "PROVIDER_TIMEOUT", "2s"))) {
      String ns = cluster.namespaceWithGrafanaAdmin("team-a");
      long sa = cluster.grafana().createServiceAccount(1, "ci-bot", "Viewer");
      cluster.startOperator();
      Lifecycle l = new Lifecycle(cluster, ns, sa);

      // issued and rotated
      GrafanaServiceAccountToken ok = l.token("ok");
      cluster.client().resource(ok).create();
      l.awaitReady("ok", "Issued");
      l.edit(
          "ok",
          x -> {
            x.getMetadata().setAnnotations(new HashMap<>(Map.of(SecretAnnotations.ROTATE, "1")));
            return x;
          });
      l.awaitReady("ok", "Rotated");

      // failed
      cluster.grafana().failNext(Operation.CREATE_TOKEN, Fault.HTTP_500, 1);
      GrafanaServiceAccountToken failing = l.token("failing");
      failing.getSpec().setTokenName("failing");
      cluster.client().resource(failing).create();
      // the 5xx went to this resource's create (a retry would wait for the test clock)
      l.awaitCondition("failing", StatusBuilder.ISSUING, "True", "ProviderError");

      // abandoned in a terminating namespace
      Lifecycle.terminatingNamespace(cluster, clock, "doomed", sa);

      List<String> own = TokenMetrics.SERIES;
      await()
          .atMost(Lifecycle.WAIT)
          .untilAsserted(
              () ->
                  assertThat(parse(cluster.runtime().registry().scrape()))
                      .as("the scrape has every series of TokenMetrics")
                      .containsKeys(own.toArray(String[]::new)));
      exported = parse(cluster.runtime().registry().scrape());
      assertThat(logs.lines())
          .as("log lines holding a key")
          .noneMatch(x -> Lifecycle.KEY.matcher(x).find());
    }
  }

  /** Sample names of a Prometheus text exposition, with their label names. */
  static Map<String, Set<String>> parse(String scrape) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (String line : scrape.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.find()) {
        throw new AssertionError("not a sample line: " + line);
      }
      Set<String> labels = out.computeIfAbsent(m.group(1), k -> new TreeSet<>());
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.add(l.group(1));
        }
      }
    }
    return out;
  }

  // ---- the rules

  private static GenericKubernetesResource prometheusRule() {
    List<HasMetadata> objects = Manifests.render(DIR);
    List<HasMetadata> rules =
        objects.stream().filter(o -> "PrometheusRule".equals(o.getKind())).toList();
    assertThat(rules).as("PrometheusRules in " + DIR).hasSize(1);
    assertThat(rules.get(0).getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    return (GenericKubernetesResource) rules.get(0);
  }

  /** alert name -> rule. */
  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> alerts() {
    Map<String, Object> spec =
        (Map<String, Object>) prometheusRule().getAdditionalProperties().get("spec");
    List<Map<String, Object>> groups = (List<Map<String, Object>>) spec.get("groups");
    assertThat(groups).as("spec.groups").isNotEmpty();
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (Map<String, Object> g : groups) {
      assertThat((String) g.get("name")).as("group name").isNotBlank();
      for (Map<String, Object> r : (List<Map<String, Object>>) g.get("rules")) {
        String alert = (String) r.get("alert");
        assertThat(alert)
            .as("only alerting rules (record rules would need their own check): " + r)
            .isNotBlank();
        assertThat(out.put(alert, r)).as("alert " + alert + " defined once").isNull();
      }
    }
    return out;
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyAlertHasAnExpressionSeveritySummaryAndDescription() {
    Map<String, Map<String, Object>> alerts = alerts();
    assertThat(alerts).isNotEmpty();
    alerts.forEach(
        (name, r) -> {
          assertThat((String) r.get("expr")).as(name + " expr").isNotBlank();
          PromQl.selectors((String) r.get("expr")); // balanced brackets
          if (r.containsKey("for")) {
            assertThat((String) r.get("for")).as(name + " for").matches(PROM_DURATION);
          }
          Map<String, String> labels = (Map<String, String>) r.get("labels");
          assertThat(labels).as(name + " labels").isNotNull();
          assertThat(labels.get("severity")).as(name + " severity").isIn(SEVERITIES);
          Map<String, String> annotations = (Map<String, String>) r.get("annotations");
          assertThat(annotations).as(name + " annotations").isNotNull();
          assertThat(annotations.get("summary")).as(name + " summary").isNotBlank();
          assertThat(annotations.get("description")).as(name + " description").isNotBlank();
        });
  }

  @Test
  void theAlertsOfIssue5AreThere() {
    Map<String, Map<String, Object>> alerts = alerts();
    assertThat(uses(alerts, "GrafanaTokenRenewalOverdue"))
        .contains(TokenMetrics.EXPIRATION, TokenMetrics.RENEWAL);
    assertThat(alerts.get("GrafanaTokenRenewalOverdue").get("for")).isEqualTo("10m");
    assertThat(uses(alerts, "GrafanaTokenNotReady")).containsExactly(TokenMetrics.READY);
    assertThat(((String) alerts.get("GrafanaTokenNotReady").get("expr")).strip())
        .isEqualTo(TokenMetrics.READY + " == 0");
    assertThat(alerts.get("GrafanaTokenNotReady").get("for")).isEqualTo("10m");
    assertThat(uses(alerts, "GrafanaTokenProviderErrors"))
        .containsExactly(TokenMetrics.PROVIDER_REQUESTS);
    assertThat((String) alerts.get("GrafanaTokenProviderErrors").get("expr"))
        .contains("server_error", "timeout", "throttled", "client_error")
        .doesNotContain("success");
    assertThat(uses(alerts, "GrafanaTokenRevocationsAbandoned"))
        .containsExactly(TokenMetrics.REVOCATIONS_ABANDONED);
  }

  private static Set<String> uses(Map<String, Map<String, Object>> alerts, String alert) {
    assertThat(alerts).as("alerts").containsKey(alert);
    return PromQl.metricNames((String) alerts.get(alert).get("expr"));
  }

  @Test
  void everySeriesTheAlertsSelectIsExported() {
    Map<String, String> exprs = new LinkedHashMap<>();
    alerts().forEach((name, r) -> exprs.put("alert " + name, (String) r.get("expr")));
    assertExported(exprs);
  }

  // ---- the dashboard

  private static JsonNode dashboard() throws Exception {
    return JSON.readTree(Manifests.read(DIR + "/" + DASHBOARD));
  }

  @Test
  void everySeriesTheDashboardSelectsIsExported() throws Exception {
    JsonNode d = dashboard();
    Map<String, String> exprs = new LinkedHashMap<>();
    List<JsonNode> panels = new ArrayList<>();
    d.path("panels").forEach(panels::add);
    for (int i = 0; i < panels.size(); i++) {
      JsonNode p = panels.get(i);
      p.path("panels").forEach(panels::add); // rows
      for (JsonNode t : p.path("targets")) {
        exprs.put(
            "panel '" + p.path("title").asText() + "' " + t.path("refId").asText(),
            t.path("expr").asText());
      }
    }
    assertThat(exprs)
        .as("dashboard queries")
        .isNotEmpty()
        .allSatisfy((k, v) -> assertThat(v).as(k).isNotBlank());
    for (JsonNode v : d.path("templating").path("list")) {
      if (v.path("type").asText().equals("query")) {
        JsonNode q = v.path("query");
        exprs.put(
            "variable " + v.path("name").asText(),
            q.isTextual() ? q.asText() : q.path("query").asText());
      }
    }
    assertExported(exprs);

    Set<String> used =
        exprs.values().stream()
            .flatMap(e -> PromQl.selectorsOfGrafanaQuery(e).stream())
            .map(PromQl.Selector::metric)
            .collect(Collectors.toSet());
    assertThat(used)
        .as("the dashboard shows expiry, rotations, failures, provider calls and reconcile latency")
        .contains(
            TokenMetrics.EXPIRATION,
            TokenMetrics.ROTATIONS,
            TokenMetrics.ISSUE_FAILURES_BY_REASON,
            TokenMetrics.PROVIDER_REQUESTS,
            "reconciliations_execution_duration_seconds_bucket");
  }

  @Test
  void dashboardIsShippedAsASidecarConfigMapAndUsesTheDatasourceVariable() throws Exception {
    JsonNode d = dashboard();
    assertThat(d.path("uid").asText()).isNotBlank();
    assertThat(d.path("title").asText()).isNotBlank();
    List<String> vars = new ArrayList<>();
    d.path("templating").path("list").forEach(v -> vars.add(v.path("name").asText()));
    assertThat(vars).contains("datasource");
    d.path("panels")
        .forEach(
            p ->
                assertThat(p.path("datasource").path("uid").asText())
                    .as("panel '" + p.path("title").asText() + "' datasource")
                    .isEqualTo("${datasource}"));

    ConfigMap cm = Manifests.one(Manifests.render(DIR), ConfigMap.class);
    assertThat(cm.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(JSON.readTree(cm.getData().get(DASHBOARD)))
        .as("the ConfigMap holds the JSON file")
        .isEqualTo(d);
  }

  // ---- the check itself

  /** Fails naming every query whose series (or matcher labels) the operator does not export. */
  private static void assertExported(Map<String, String> exprs) {
    List<String> problems = new ArrayList<>();
    exprs.forEach(
        (where, expr) -> {
          for (PromQl.Selector s : PromQl.selectorsOfGrafanaQuery(expr)) {
            if (PROMETHEUS_SERIES.containsKey(s.metric())) {
              continue;
            }
            Set<String> labels = exported.get(s.metric());
            if (labels == null) {
              problems.add(where + ": " + s.metric() + " is not exported" + hint(s.metric()));
            } else if (!labels.containsAll(s.labels())) {
              problems.add(
                  where + ": " + s.metric() + " has labels " + labels + ", not " + s.labels());
            }
          }
        });
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems) + "\nexported: " + exported.keySet());
    }
  }

  private static String hint(String name) {
    if (exported.containsKey(name + "_bucket")) {
      return " (a histogram: query " + name + "_bucket, _sum or _count)";
    }
    if (exported.containsKey(name + "_total")) {
      return " (a counter: query " + name + "_total)";
    }
    for (String suffix : List.of("_bucket", "_sum", "_count", "_total")) {
      if (name.endsWith(suffix)
          && exported.containsKey(name.substring(0, name.length() - suffix.length()))) {
        return " ("
            + name.substring(0, name.length() - suffix.length())
            + " is exported without "
            + suffix
            + ")";
      }
    }
    return "";
  }

  @Test
  void theExtractorFindsSeriesNotFunctionsKeywordsOrLabels() {
    assertThat(
            PromQl.selectors(
                "histogram_quantile(0.99, sum by (le) (rate(a_bucket{controller_name=\"x\"}[$__rate_interval])))"
                    + " and on (namespace, name) b > time() or sum without (pod) (c unless c offset 1h) or {__name__=\"d\", x=~\"$ns\"}"))
        .containsExactly(
            new PromQl.Selector("a_bucket", Set.of("controller_name")),
            new PromQl.Selector("b", Set.of()),
            new PromQl.Selector("c", Set.of()),
            new PromQl.Selector("c", Set.of()),
            new PromQl.Selector("d", Set.of("x")));
    assertThat(
            PromQl.selectorsOfGrafanaQuery(
                "label_values(grafana_token_ready{provider=\"grafana\"}, namespace)"))
        .containsExactly(new PromQl.Selector("grafana_token_ready", Set.of("provider")));
    assertThat(hintFor("reconciliations_execution_duration_seconds")).contains("_bucket");
  }

  private static String hintFor(String name) {
    return hint(name);
  }
}
