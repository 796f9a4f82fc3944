package io.grafanatokens.runtime;

import io.grafanatokens.reconcile.policy.Durations;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The operator's settings (docs/reference.md#settings), read once at startup from the environment
 * and validated there: a bad value stops the operator with a message naming the variable.
 *
 * @param leaderElection empty: the default (true in-cluster, false outside)
 */
public record OperatorConfig(
    Set<String> watchNamespaces,
    Optional<String> operatorNamespace,
    Optional<Boolean> leaderElection,
    int httpPort,
    String logFormat,
    Set<String> ambientCredentialsNamespaces,
    Duration tokenCheckInterval,
    Duration providerTimeout,
    Optional<String> awsGrafanaEndpoint,
    String ycIamEndpoint,
    String ycTokenExchangeEndpoint,
    String ycMetadataUrl,
    String ycWorkloadTokenPath,
    Duration startupTimeout,
    Optional<Boolean> clusterConnections) {

  static final ConfigOption<Set<String>> WATCH_NAMESPACES =
      new ConfigOption<>(
          "WATCH_NAMESPACES",
          "",
          "Comma list of namespaces to watch; empty watches all.",
          OperatorConfig::csv);
  static final ConfigOption<Optional<String>> OPERATOR_NAMESPACE =
      new ConfigOption<>(
          "OPERATOR_NAMESPACE",
          "",
          "Namespace of the leader-election lease; default the pod's service-account namespace, else default.",
          v -> v.isEmpty() ? Optional.empty() : Optional.of(v));
  static final ConfigOption<Optional<Boolean>> LEADER_ELECTION =
      new ConfigOption<>(
          "LEADER_ELECTION",
          "",
          "Elect a leader on a Lease; default true in-cluster, false outside.",
          OperatorConfig::optionalBool);
  static final ConfigOption<Integer> HTTP_PORT =
      new ConfigOption<>(
          "HTTP_PORT", "8080", "Port of /metrics, /healthz and /readyz.", OperatorConfig::port);
  static final ConfigOption<String> LOG_FORMAT =
      new ConfigOption<>(
          "LOG_FORMAT", "text", "Log format: text or json.", OperatorConfig::logFormat);
  static final ConfigOption<Set<String>> AMBIENT_CREDENTIALS_NAMESPACES =
      new ConfigOption<>(
          "AMBIENT_CREDENTIALS_NAMESPACES",
          "",
          "Comma list of namespaces (* for all) whose resources may use the operator's own cloud identity.",
          OperatorConfig::csv);
  static final ConfigOption<Duration> TOKEN_CHECK_INTERVAL =
      new ConfigOption<>(
          "TOKEN_CHECK_INTERVAL",
          "1h",
          "How often the token in each Secret is checked at the provider; 0 turns it off.",
          OperatorConfig::duration);
  static final ConfigOption<Duration> PROVIDER_TIMEOUT =
      new ConfigOption<>(
          "PROVIDER_TIMEOUT",
          "30s",
          "Timeout of each provider HTTP call.",
          OperatorConfig::positiveDuration);

  static final ConfigOption<Optional<String>> AWS_ENDPOINT_URL_GRAFANA =
      new ConfigOption<>(
          "AWS_ENDPOINT_URL_GRAFANA",
          "",
          "Amazon Managed Grafana API endpoint for resources without spec.amazonManagedGrafana.endpoint, and the "
              + "only one the operator's own AWS identity is sent to; default the SDK's regional one.",
          v -> v.isEmpty() ? Optional.empty() : Optional.of(url(v)));
  static final ConfigOption<String> YC_IAM_ENDPOINT =
      new ConfigOption<>(
          "YC_IAM_ENDPOINT",
          "https://iam.api.cloud.yandex.net",
          "Yandex Cloud IAM endpoint.",
          OperatorConfig::url);
  static final ConfigOption<String> YC_TOKEN_EXCHANGE_ENDPOINT =
      new ConfigOption<>(
          "YC_TOKEN_EXCHANGE_ENDPOINT",
          "https://auth.yandex.cloud/oauth/token",
          "Yandex workload identity federation token-exchange endpoint.",
          OperatorConfig::url);
  static final ConfigOption<String> YC_METADATA_URL =
      new ConfigOption<>(
          "YC_METADATA_URL",
          "http://169.254.169.254/computeMetadata/v1/instance/service-accounts/default/token",
          "Yandex metadata service token URL.",
          OperatorConfig::url);
  static final ConfigOption<String> YC_WORKLOAD_TOKEN_PATH =
      new ConfigOption<>(
          "YC_WORKLOAD_TOKEN_PATH",
          "/var/run/secrets/tokens/yc-workload-identity",
          "File of the pod's projected Kubernetes token exchanged for Yandex workload identity.",
          v -> v);

  static final ConfigOption<Duration> STARTUP_TIMEOUT =
      new ConfigOption<>(
          "STARTUP_TIMEOUT",
          "60s",
          "How long to wait at start for the Kubernetes API and the CRD before exiting with the reason.",
          OperatorConfig::positiveDuration);

  static final ConfigOption<Optional<Boolean>> CLUSTER_CONNECTIONS =
      new ConfigOption<>(
          "CLUSTER_CONNECTIONS",
          "",
          "Watch ClusterGrafanaConnections; default true unless WATCH_NAMESPACES is set (a namespaced install needs the "
              + "optional ClusterRole of deploy/namespaced-with-cluster-connections first).",
          OperatorConfig::optionalBool);

  /** Every setting, in the order of the README's table. */
  public static final List<ConfigOption<?>> OPTIONS =
      List.of(
          WATCH_NAMESPACES,
          OPERATOR_NAMESPACE,
          LEADER_ELECTION,
          HTTP_PORT,
          LOG_FORMAT,
          AMBIENT_CREDENTIALS_NAMESPACES,
          TOKEN_CHECK_INTERVAL,
          PROVIDER_TIMEOUT,
          AWS_ENDPOINT_URL_GRAFANA,
          YC_IAM_ENDPOINT,
          YC_TOKEN_EXCHANGE_ENDPOINT,
          YC_METADATA_URL,
          YC_WORKLOAD_TOKEN_PATH,
          STARTUP_TIMEOUT,
          CLUSTER_CONNECTIONS);

  public static OperatorConfig fromEnvironment() {
    return from(System.getenv());
  }

  public static OperatorConfig from(Map<String, String> env) {
    return new OperatorConfig(
        WATCH_NAMESPACES.parse(env.get(WATCH_NAMESPACES.env())),
        OPERATOR_NAMESPACE.parse(env.get(OPERATOR_NAMESPACE.env())),
        LEADER_ELECTION.parse(env.get(LEADER_ELECTION.env())),
        HTTP_PORT.parse(env.get(HTTP_PORT.env())),
        LOG_FORMAT.parse(env.get(LOG_FORMAT.env())),
        AMBIENT_CREDENTIALS_NAMESPACES.parse(env.get(AMBIENT_CREDENTIALS_NAMESPACES.env())),
        TOKEN_CHECK_INTERVAL.parse(env.get(TOKEN_CHECK_INTERVAL.env())),
        PROVIDER_TIMEOUT.parse(env.get(PROVIDER_TIMEOUT.env())),
        AWS_ENDPOINT_URL_GRAFANA.parse(env.get(AWS_ENDPOINT_URL_GRAFANA.env())),
        YC_IAM_ENDPOINT.parse(env.get(YC_IAM_ENDPOINT.env())),
        YC_TOKEN_EXCHANGE_ENDPOINT.parse(env.get(YC_TOKEN_EXCHANGE_ENDPOINT.env())),
        YC_METADATA_URL.parse(env.get(YC_METADATA_URL.env())),
        YC_WORKLOAD_TOKEN_PATH.parse(env.get(YC_WORKLOAD_TOKEN_PATH.env())),
        STARTUP_TIMEOUT.parse(env.get(STARTUP_TIMEOUT.env())),
        CLUSTER_CONNECTIONS.parse(env.get(CLUSTER_CONNECTIONS.env())));
  }

  /** Whether ClusterGrafanaConnections are watched: by default only where every namespace is. */
  public boolean watchClusterConnections() {
    return clusterConnections.orElse(watchNamespaces.isEmpty());
  }

  /** Whether resources of a namespace may use the operator's own identity. */
  public Predicate<String> ambientAllowed() {
    Set<String> allowed = ambientCredentialsNamespaces;
    return ns -> allowed.contains("*") || allowed.contains(ns);
  }

  private static Set<String> csv(String v) {
    return Arrays.stream(v.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  private static Optional<Boolean> optionalBool(String v) {
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException("expected true or false");
    }
    return Optional.of(Boolean.parseBoolean(v));
  }

  private static int port(String v) {
    int p;
    try {
      p = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a port number 0..65535");
    }
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException("expected a port 0..65535");
    }
    return p;
  }

  private static String logFormat(String v) {
    if (!v.equals("text") && !v.equals("json")) {
      throw new IllegalArgumentException("expected text or json");
    }
    return v;
  }

  private static String url(String v) {
    java.net.URI u = java.net.URI.create(v);
    if (u.getScheme() == null
        || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
        || u.getHost() == null) {
      throw new IllegalArgumentException("expected an http(s) URL");
    }
    return v;
  }

  private static Duration duration(String v) {
    if (v.equals("0")) {
      return Duration.ZERO;
    }
    return Durations.parse(v)
        .orElseThrow(() -> new IllegalArgumentException("expected a duration such as 1h or 30m"));
  }

  private static Duration positiveDuration(String v) {
    Duration d = duration(v);
    if (d.isZero()) {
      throw new IllegalArgumentException("must be greater than 0");
    }
    return d;
  }
}
