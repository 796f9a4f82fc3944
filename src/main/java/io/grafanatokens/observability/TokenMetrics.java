package io.grafanatokens.observability;

import io.grafanatokens.api.v1alpha1.Reasons;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's own series (docs/reference.md#metrics), fixed names and labels. Four series per
 * resource (three gauges and the rotations), plus one per reason it has actually failed to issue
 * with; all removed when the resource is deleted. Failures by reason start at 0 per namespace, so
 * their cost does not grow with the number of resources.
 */
public final class TokenMetrics {
  public static final String EXPIRATION = "grafana_token_expiration_timestamp_seconds";
  public static final String RENEWAL = "grafana_token_renewal_timestamp_seconds";
  public static final String READY = "grafana_token_ready";
  public static final String ROTATIONS = "grafana_token_rotations_total";
  public static final String ISSUE_FAILURES = "grafana_token_issue_failures_total";
  public static final String ISSUE_FAILURES_BY_REASON =
      "grafana_token_issue_failures_by_reason_total";
  public static final String PROVIDER_REQUESTS = "grafana_token_provider_requests_total";
  public static final String REVOCATIONS_ABANDONED = "grafana_token_revocations_abandoned_total";

  /** Every series of this class, as docs/reference.md#metrics lists them. */
  public static final List<String> SERIES =
      List.of(
          EXPIRATION,
          RENEWAL,
          READY,
          ROTATIONS,
          ISSUE_FAILURES,
          ISSUE_FAILURES_BY_REASON,
          PROVIDER_REQUESTS,
          REVOCATIONS_ABANDONED);

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

  /** The by-reason failure counters of one namespace, kept while it has resources. */
  private static final class NamespaceFailures {
    final Set<String> names = new HashSet<>();
    final Map<String, Counter> byReason = new HashMap<>();
  }

  private final MeterRegistry registry;
  private final Map<String, ResourceGauges> resources = new ConcurrentHashMap<>();
  private final Map<String, NamespaceFailures> namespaces = new ConcurrentHashMap<>();
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
   * <p>The reasons of failed issues are a closed set ({@link Reasons#ISSUE_FAILURES}), each at 0
   * from the namespace's first resource on, in the by-reason counter: per namespace, because ten
   * reasons times every resource was most of the operator's series (and of a Prometheus' cost). The
   * resource's own failure counter appears at its first failure of a reason; alerts that must see a
   * first failure read the namespace's counter.
   */
  public void resourceSeen(String namespace, String name, String provider) {
    // every pass calls this: registering the counters each time showed in profiles
    ResourceGauges g = resources.get(key(namespace, name));
    if (g != null && g.countersAtZero) {
      return;
    }
    track(namespace, name, provider, rotations(namespace, name, provider));
    namespaceFailures(namespace, name);
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
    Counter byReason = namespaceFailures(namespace, name).get(reason);
    (byReason != null ? byReason : failuresByReason(namespace, reason)).increment();
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

  /** The resource is gone: its series go too, and its namespace's with the last of them. */
  public void forget(String namespace, String name) {
    ResourceGauges g = resources.remove(key(namespace, name));
    if (g != null) {
      synchronized (g.meters) {
        g.meters.forEach(registry::remove);
      }
    }
    namespaces.computeIfPresent(
        namespace,
        (ns, f) -> {
          f.names.remove(name);
          if (!f.names.isEmpty()) {
            return f;
          }
          f.byReason.values().forEach(registry::remove);
          return null;
        });
  }

  /** The namespace's by-reason counters, at 0 for every reason; the resource counted in it. */
  private Map<String, Counter> namespaceFailures(String namespace, String name) {
    return namespaces.compute(
            namespace,
            (ns, f) -> {
              NamespaceFailures out = f != null ? f : new NamespaceFailures();
              if (f == null) {
                for (String reason : Reasons.ISSUE_FAILURES) {
                  out.byReason.put(reason, failuresByReason(ns, reason));
                }
              }
              out.names.add(name);
              return out;
            })
        .byReason;
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

  private Counter failuresByReason(String namespace, String reason) {
    return counter(ISSUE_FAILURES_BY_REASON, Tags.of("namespace", namespace, "reason", reason));
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
