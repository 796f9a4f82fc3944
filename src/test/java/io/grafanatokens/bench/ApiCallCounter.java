package io.grafanatokens.bench;

import io.grafanatokens.testing.ApiServerDispatcher;
import io.grafanatokens.testing.ApiServerDispatcher.Call;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the mock API server's calls by who made them, verb and resource, for phase-by-phase diffs.
 */
final class ApiCallCounter {
  static final Set<String> READS = Set.of("get", "list", "watch");

  /** verb and resource of one call, e.g. "patch grafanaserviceaccounttokens/status". */
  record Key(boolean byOperator, String verb, String resource) {
    String label() {
      return verb + " " + resource;
    }

    boolean read() {
      return READS.contains(verb);
    }
  }

  private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();

  /**
   * Operator lists and watches of Secrets without a label selector: they would cache unrelated
   * Secrets.
   */
  private final LongAdder unfilteredSecretReads = new LongAdder();

  ApiCallCounter(ApiServerDispatcher api) {
    api.onCall(this::count);
  }

  private void count(Call c, String path) {
    counts
        .computeIfAbsent(new Key(c.byOperator(), c.verb(), c.resource()), k -> new LongAdder())
        .increment();
    if (c.byOperator()
        && c.resource().equals("secrets")
        && (c.verb().equals("list") || c.verb().equals("watch"))
        && !path.contains("labelSelector=")) {
      unfilteredSecretReads.increment();
    }
  }

  Snapshot snapshot() {
    Map<Key, Long> m =
        new TreeMap<>(java.util.Comparator.comparing(Key::label).thenComparing(Key::byOperator));
    counts.forEach((k, v) -> m.put(k, v.sum()));
    return new Snapshot(m);
  }

  long unfilteredSecretReads() {
    return unfilteredSecretReads.sum();
  }

  /** Counts at one instant; {@link #since} gives a phase's calls. */
  record Snapshot(Map<Key, Long> counts) {
    Snapshot since(Snapshot earlier) {
      Map<Key, Long> m =
          new TreeMap<>(java.util.Comparator.comparing(Key::label).thenComparing(Key::byOperator));
      counts.forEach(
          (k, v) -> {
            long d = v - earlier.counts.getOrDefault(k, 0L);
            if (d != 0) {
              m.put(k, d);
            }
          });
      return new Snapshot(m);
    }

    long operatorReads() {
      return sum(true, true);
    }

    long operatorWrites() {
      return sum(true, false);
    }

    /** Calls made by others than the operator (the harness, the raw-call floor). */
    long othersTotal() {
      return counts.entrySet().stream()
          .filter(e -> !e.getKey().byOperator())
          .mapToLong(Map.Entry::getValue)
          .sum();
    }

    long others(String verb, String resource) {
      return counts.getOrDefault(new Key(false, verb, resource), 0L);
    }

    /** The operator's calls by verb and resource, most frequent first. */
    Map<String, Long> operatorBreakdown() {
      Map<String, Long> m = new java.util.LinkedHashMap<>();
      counts.entrySet().stream()
          .filter(e -> e.getKey().byOperator())
          .sorted(Map.Entry.<Key, Long>comparingByValue().reversed())
          .forEach(e -> m.put(e.getKey().label(), e.getValue()));
      return m;
    }

    private long sum(boolean byOperator, boolean reads) {
      return counts.entrySet().stream()
          .filter(e -> e.getKey().byOperator() == byOperator && e.getKey().read() == reads)
          .mapToLong(Map.Entry::getValue)
          .sum();
    }
  }
}
