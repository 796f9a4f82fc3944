package io.grafanatokens.observability;

import io.grafanatokens.api.v1alpha1.Reasons;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's own series (docs/reference.md#metrics), fixed names and labels. Per-resource
 * series are removed when the resource is deleted.
 */
public final class TokenMetrics {
  public static final String EXPIRATION = "grafana_token_expiration_timestamp_seconds";
  public static final String RENEWAL = "grafana_token_renewal_timestamp_seconds";
  public static final String READY = "grafana_token_ready";
  public static final String ROTATIONS = "grafana_token_rotations_total";
  public static final String ISSUE_FAILURES = "grafana_token_issue_failures_total";
  public static final String PROVIDER_REQUESTS = "grafana_token_provider_requests_total";
  public static final String REVOCATIONS_ABANDONED = "grafana_token_revocations_abandoned_total";

  /** A provider call's kind, the `operation` label. */
  public enum Operation {
    issue,
    list,
    revoke,
    lookup,
    exchange
  }

  /** A provider call's result, the `outcome` label. */
  public enum Outcome {
    success,
    client_error,
    server_error,
    throttled,
    timeout
  }

  /** Gauge values of one resource. */
  private static final class ResourceGauges {
    volatile double expiration = Double.NaN;
    volatile double renewal = Double.NaN;
    volatile double ready;
    volatile boolean countersAtZero;
    final List<Meter> meters = new ArrayList<>();
  }

  private final MeterRegistry registry;
  private final Map<String, ResourceGauges> resources = new ConcurrentHashMap<>();
  private final Map<String, Counter> requestCounters = new ConcurrentHashMap<>();

  public TokenMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A disabled sink, for wiring that has no registry. */
  public static TokenMetrics noop() {
    return new TokenMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The token state of a resource, as the status says it. */
  public void tokenState(
      String namespace,
      String name,
      String provider,
      Double expiresAtEpoch,
      Double renewalAtEpoch,
      boolean ready) {
    ResourceGauges g =
        resources.computeIfAbsent(key(namespace, name), k -> register(namespace, name, provider));
    g.expiration = expiresAtEpoch == null ? Double.NaN : expiresAtEpoch;
    g.renewal = renewalAtEpoch == null ? Double.NaN : renewalAtEpoch;
    g.ready = ready ? 1 : 0;
  }

  /**
   * The resource is reconciled: its counters exist from now on, at 0 until something happens. Call
   * it on every reconcile (it is idempotent and never resets a count). A counter that appears only
   * at its first increment hides that increment from {@code increase()} and {@code rate()} and
   * makes {@code absent()} alerts fire for healthy resources (Prometheus' instrumentation advice:
   * initialise the label values you know in advance).
   *
   * <p>Issue failures are labelled by reason, and the reasons are a closed set ({@link
   * Reasons#ALL}), so every one of them starts at 0: a {@code sum by (name) (increase(...))} then
   * sees the first failure of any reason. That is nine series per resource, a bounded cost next to
   * losing the first failure of a kind.
   */
  public void resourceSeen(String namespace, String name, String provider) {
    // every pass calls this: registering eleven counters each time showed in profiles
    ResourceGauges g = resources.get(key(namespace, name));
    if (g != null && g.countersAtZero) {
      return;
    }
    track(namespace, name, provider, rotations(namespace, name, provider));
    for (String reason : Reasons.ISSUE_FAILURES) {
      track(namespace, name, provider, issueFailures(namespace, name, reason));
    }
    resources.get(key(namespace, name)).countersAtZero = true;
  }

  public void rotated(String namespace, String name, String provider) {
    Counter c = rotations(namespace, name, provider);
    c.increment();
    track(namespace, name, provider, c);
  }

  public void issueFailed(String namespace, String name, String provider, String reason) {
    Counter c = issueFailures(namespace, name, reason);
    c.increment();
    track(namespace, name, provider, c);
  }

  public void providerRequest(String provider, Operation operation, Outcome outcome) {
    // every provider call counts: looked up once, not built and registered each time
    requestCounters
        .computeIfAbsent(
            provider + "|" + operation + "|" + outcome,
            k ->
                counter(
                    PROVIDER_REQUESTS,
                    Tags.of(
                        "provider",
                        provider,
                        "operation",
                        operation.name(),
                        "outcome",
                        outcome.name())))
        .increment();
  }

  public void revocationsAbandoned(String namespace) {
    counter(REVOCATIONS_ABANDONED, Tags.of("namespace", namespace)).increment();
  }

  /** The resource is gone: its series go too. */
  public void forget(String namespace, String name) {
    ResourceGauges g = resources.remove(key(namespace, name));
    if (g != null) {
      synchronized (g.meters) {
        g.meters.forEach(registry::remove);
      }
    }
  }

  private ResourceGauges register(String namespace, String name, String provider) {
    ResourceGauges g = new ResourceGauges();
    Tags tags = Tags.of("namespace", namespace, "name", name, "provider", provider);
    g.meters.add(
        Gauge.builder(EXPIRATION, g, x -> x.expiration)
            .tags(tags)
            .description("When the token in the Secret expires (Unix seconds).")
            .register(registry));
    g.meters.add(
        Gauge.builder(RENEWAL, g, x -> x.renewal)
            .tags(tags)
            .description("When the token will be renewed (Unix seconds).")
            .register(registry));
    g.meters.add(
        Gauge.builder(READY, g, x -> x.ready)
            .tags(tags)
            .description("1 while the Secret holds a valid, unexpired key.")
            .register(registry));
    return g;
  }

  private void track(String namespace, String name, String provider, Meter m) {
    ResourceGauges g =
        resources.computeIfAbsent(key(namespace, name), k -> register(namespace, name, provider));
    synchronized (g.meters) {
      if (!g.meters.contains(m)) {
        g.meters.add(m);
      }
    }
  }

  private Counter rotations(String namespace, String name, String provider) {
    return counter(ROTATIONS, Tags.of("namespace", namespace, "name", name, "provider", provider));
  }

  private Counter issueFailures(String namespace, String name, String reason) {
    return counter(ISSUE_FAILURES, Tags.of("namespace", namespace, "name", name, "reason", reason));
  }

  private Counter counter(String prometheusName, Tags tags) {
    // Micrometer's Prometheus naming appends _total to counters itself
    return Counter.builder(prometheusName.substring(0, prometheusName.length() - "_total".length()))
        .tags(tags)
        .register(registry);
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
