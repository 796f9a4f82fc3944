package io.grafanatokens.bench;

import io.grafanatokens.fakes.grafana.FakeGrafana;
import io.grafanatokens.fakes.grafana.Operation;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** The fake Grafana's request counters at one instant; {@link #since} gives a phase's calls. */
record ProviderCallCounter(Map<Operation, Long> counts) {

  static ProviderCallCounter of(FakeGrafana grafana) {
    Map<Operation, Long> m = new EnumMap<>(Operation.class);
    for (Operation op : Operation.values()) {
      m.put(op, grafana.requestCount(op));
    }
    return new ProviderCallCounter(m);
  }

  ProviderCallCounter since(ProviderCallCounter earlier) {
    Map<Operation, Long> m = new EnumMap<>(Operation.class);
    counts.forEach((op, n) -> m.put(op, n - earlier.counts.getOrDefault(op, 0L)));
    return new ProviderCallCounter(m);
  }

  long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  long of(Operation op) {
    return counts.getOrDefault(op, 0L);
  }

  /** Non-zero counts, most frequent first. */
  Map<String, Long> breakdown() {
    Map<String, Long> m = new LinkedHashMap<>();
    counts.entrySet().stream()
        .filter(e -> e.getValue() != 0)
        .sorted(Map.Entry.<Operation, Long>comparingByValue().reversed())
        .forEach(e -> m.put(e.getKey().name(), e.getValue()));
    return m;
  }
}
