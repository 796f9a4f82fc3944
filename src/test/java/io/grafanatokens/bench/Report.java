package io.grafanatokens.bench;

import io.grafanatokens.fakes.grafana.Operation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one run measured, as the Markdown that is printed and written to target/bench/results.md.
 */
final class Report {
  private static final double MIB = 1024.0 * 1024.0;

  private final BenchSettings settings;
  private final Instant startedAt = Instant.now();
  private final List<String> warnings = new ArrayList<>();
  private List<String> command = List.of();
  private Map<String, String> env = Map.of();
  private Duration startup;
  private double startupCpu;
  private long startupRss;
  private Duration noise;
  private Duration floor;
  private Duration floorPrepare;
  private ApiCallCounter.Snapshot floorApi;
  private ProviderCallCounter floorProvider;
  private FirstIssue first;
  private Rotations rotations;
  private double totalCpu = Double.NaN;
  private long peakRss = -1;
  private long heapAtStart = -1;
  private long heapAtEnd = -1;
  private long unfilteredSecretReads = -1;

  private record FirstIssue(
      Instant start,
      Instant applied,
      List<Instant> ready,
      long readyInList,
      ApiCallCounter.Snapshot api,
      ProviderCallCounter provider,
      double cpu,
      long rss,
      long peakRss,
      int rotationsBefore) {}

  private record Rotations(
      List<Observer.Rotation> seen,
      List<String> unmatched,
      ApiCallCounter.Snapshot api,
      ProviderCallCounter provider,
      double cpu,
      boolean complete) {}

  Report(BenchSettings settings) {
    this.settings = settings;
  }

  void operator(List<String> command, Map<String, String> env) {
    this.command = List.copyOf(command);
    this.env = Map.copyOf(env);
  }

  void startup(Duration took, double cpu, long rss) {
    this.startup = took;
    this.startupCpu = cpu;
    this.startupRss = rss;
  }

  /** Heap after a full GC once the operator is ready, before any resource. */
  void heapAtStart(long bytes) {
    this.heapAtStart = bytes;
  }

  /** Heap after a full GC at the end of the run, every resource Ready (and rotated). */
  void heapAtEnd(long bytes) {
    this.heapAtEnd = bytes;
  }

  void noise(Duration took) {
    this.noise = took;
  }

  void floor(
      Duration took, Duration prepare, ApiCallCounter.Snapshot api, ProviderCallCounter provider) {
    this.floor = took;
    this.floorPrepare = prepare;
    this.floorApi = api;
    this.floorProvider = provider;
    int n = settings.resources();
    long secrets = api.others("create", "secrets");
    long statuses = api.others("update", "grafanaserviceaccounttokens/status");
    if (provider.of(Operation.CREATE_TOKEN) != n
        || secrets != n
        || statuses != n
        || api.othersTotal() != 2L * n) {
      warnings.add(
          "the raw-call floor's calls are not exactly 3 per resource: "
              + provider.breakdown()
              + ", "
              + api.counts());
    }
  }

  void firstIssue(
      Instant start,
      Instant applied,
      List<Instant> ready,
      long readyInList,
      ApiCallCounter.Snapshot api,
      ProviderCallCounter provider,
      double cpu,
      long rss,
      long peakRss,
      int rotationsBefore) {
    this.first =
        new FirstIssue(
            start, applied, ready, readyInList, api, provider, cpu, rss, peakRss, rotationsBefore);
    if (ready.size() < settings.resources()) {
      warnings.add(
          "only "
              + ready.size()
              + " of "
              + settings.resources()
              + " resources became Ready within "
              + settings.timeout().toSeconds()
              + " s (bench.timeout)");
    }
    if (readyInList != ready.size()) {
      warnings.add("the informer saw " + ready.size() + " Ready resources, a list " + readyInList);
    }
    if (rotationsBefore > 0) {
      warnings.add(
          rotationsBefore
              + " rotations happened before all were Ready: the first-issue counts include them"
              + " (raise bench.lifetime)");
    }
  }

  void rotations(
      List<Observer.Rotation> seen,
      List<String> unmatched,
      ApiCallCounter.Snapshot api,
      ProviderCallCounter provider,
      double cpu,
      boolean complete) {
    this.rotations = new Rotations(seen, unmatched, api, provider, cpu, complete);
    if (!complete) {
      warnings.add(
          "not every resource rotated "
              + settings.rotations()
              + " time(s) and revoked its previous token"
              + " in time: "
              + seen.size()
              + " rotations seen");
    }
    if (!unmatched.isEmpty()) {
      warnings.add(
          unmatched.size()
              + " rotations without a renewalTime seen for the previous token (not in the"
              + " lateness figures), e.g. "
              + unmatched.get(0));
    }
  }

  void finalFigures(double cpu, long peakRss, long unfilteredSecretReads) {
    this.totalCpu = cpu;
    this.peakRss = peakRss;
    this.unfilteredSecretReads = unfilteredSecretReads;
  }

  void write(Path file) throws IOException {
    Files.writeString(file, markdown(), StandardCharsets.UTF_8);
  }

  String markdown() {
    int n = settings.resources();
    StringBuilder b = new StringBuilder();
    b.append("## Results\n\n");
    b.append(Machine.describe(startedAt)).append("\n\n");
    b.append(
        String.format(
            Locale.ROOT,
            "%,d resources (secondsToLive %d), %,d unrelated Secrets, concurrency %d, "
                + "%d rotation(s) of each awaited.%n%n",
            n,
            settings.lifetimeSeconds(),
            settings.noiseSecrets(),
            settings.concurrency(),
            settings.rotations()));
    b.append("| | measured | goal |\n|---|---|---|\n");
    // the rows in the order of the issue's table
    int k = rotations == null ? 0 : rotations.seen().size();
    if (rotations != null) {
      b.append(
          row(
              "provider calls per rotation",
              k == 0
                  ? "—"
                  : perResource(rotations.provider().total(), k)
                      + " ("
                      + breakdown(rotations.provider().breakdown(), k)
                      + ")",
              "≤ 3: create, one list, one delete"));
    }
    if (first != null) {
      b.append(
          row(
              "provider calls per first issue",
              perResource(first.provider().total(), n)
                  + " ("
                  + breakdown(first.provider().breakdown(), n)
                  + ")",
              "≤ 2: create, one list"));
      b.append(
          row(
              "Kubernetes calls per first issue (the operator's)",
              calls(first.api(), n),
              "≤ 4 writes (finalizer, Secret, status, Event) + at most 1 read"));
      String ratio =
          allReady() && floor != null
              ? String.format(
                  Locale.ROOT,
                  "%.1f× (%s s vs %s s)",
                  seconds(toAllReady()) / seconds(floor),
                  fmt(seconds(toAllReady())),
                  fmt(seconds(floor)))
              : "not all Ready (" + first.ready().size() + " of " + n + ")";
      b.append(
          row(
              String.format(
                  Locale.ROOT,
                  "%,d resources applied at once: time to all Ready ÷ the raw-call floor",
                  n),
              ratio,
              "≤ 1.5×"));
      b.append(
          row(
              "operator CPU per first issue",
              String.format(Locale.ROOT, "%.1f ms", first.cpu() * 1000 / n),
              "≤ 5 ms"));
    }
    b.append(
        row(
            String.format(
                Locale.ROOT,
                "operator peak RSS (%,d resources + %,d unrelated Secrets)",
                n,
                settings.noiseSecrets()),
            peakRss < 0
                ? "—"
                : String.format(
                    Locale.ROOT,
                    "%.0f MiB; Secret lists/watches " + "without a label selector: %d",
                    peakRss / MIB,
                    unfilteredSecretReads),
            "≤ 400 MiB at 10,000 + 50,000, unrelated Secrets never cached"));
    if (heapAtStart >= 0 && heapAtEnd >= 0) {
      b.append(
          row(
              "heap after full GC per resource (end of run − after start-up) ÷ resources",
              String.format(
                  Locale.ROOT,
                  "%.1f KiB (%.1f MiB − %.1f MiB)",
                  (heapAtEnd - heapAtStart) / 1024.0 / n,
                  heapAtEnd / MIB,
                  heapAtStart / MIB),
              "— (10,000 resources: peak RSS ≤ 300 MiB)"));
    }
    if (allReady()) {
      b.append(
          row(
              "growth: time to all Ready, and the issue rate over 10–50 % and 50–100 % of the resources",
              fmt(seconds(toAllReady())) + " s; " + rates(),
              "linear: 10,000 in ≤ 10.5× the time of 1,000 (two runs)"));
    }
    if (rotations != null) {
      List<Double> late = lateness();
      b.append(
          row(
              String.format(
                  Locale.ROOT,
                  "rotation lateness vs `renewalTime` (%,d rotations, %d s tokens), p99 (p50)",
                  late.size(),
                  settings.lifetimeSeconds()),
              late.isEmpty()
                  ? "—"
                  : String.format(
                      Locale.ROOT,
                      "%s s (%s s)",
                      fmt(percentile(late, 99)),
                      fmt(percentile(late, 50))),
              "≤ 2 s (p50 ≤ 0.3 s)"));
      b.append(
          row(
              "Kubernetes calls per rotation (the operator's; no goal in the issue)",
              k == 0 ? "—" : calls(rotations.api(), k),
              "—"));
    }
    b.append('\n');
    details(b);
    return b.toString();
  }

  private void details(StringBuilder b) {
    int n = settings.resources();
    b.append("<details><summary>Details</summary>\n\n");
    if (!warnings.isEmpty()) {
      b.append("Warnings:\n");
      warnings.forEach(w -> b.append("- ").append(w).append('\n'));
      b.append('\n');
    }
    if (noise != null) {
      b.append(
          String.format(
              Locale.ROOT,
              "- %,d unrelated Secrets stored in %s s before the operator started.%n",
              settings.noiseSecrets(),
              fmt(seconds(noise))));
    }
    if (floor != null) {
      b.append(
          String.format(
              Locale.ROOT,
              "- raw-call floor: %s s for %,d resources, counted by the servers: %d token "
                  + "creates, %d Secret creates, %d status writes. Creating its %,d resources first (not timed; no "
                  + "operator running) took %s s.%n",
              fmt(seconds(floor)),
              n,
              floorProvider.of(Operation.CREATE_TOKEN),
              floorApi.others("create", "secrets"),
              floorApi.others("update", "grafanaserviceaccounttokens/status"),
              n,
              fmt(seconds(floorPrepare))));
    }
    if (startup != null) {
      b.append(
          String.format(
              Locale.ROOT,
              "- operator start to /readyz: %s s, %.2f CPU-seconds, RSS %.0f MiB.%n",
              fmt(seconds(startup)),
              startupCpu,
              startupRss / MIB));
    }
    if (first != null) {
      b.append(
          String.format(
              Locale.ROOT,
              "- applying took %s s; Ready after (s): %s.%n",
              fmt(seconds(Duration.between(first.start(), first.applied()))),
              readyPercentiles()));
      b.append(
          String.format(
              Locale.ROOT,
              "- first issue: %.1f operator CPU-seconds; RSS %.0f MiB, peak %.0f MiB when "
                  + "all were Ready.%n",
              first.cpu(),
              first.rss() / MIB,
              first.peakRss() / MIB));
      b.append("- first issue, provider calls: ")
          .append(totals(first.provider().breakdown()))
          .append(".\n");
      b.append("- first issue, the operator's Kubernetes calls: ")
          .append(totals(first.api().operatorBreakdown()))
          .append(".\n");
    }
    if (rotations != null) {
      List<Double> late = lateness();
      b.append(
          String.format(
              Locale.ROOT,
              "- rotations: %d seen, %.1f operator CPU-seconds while they ran.%n",
              rotations.seen().size(),
              rotations.cpu()));
      if (!late.isEmpty()) {
        b.append(
            String.format(
                Locale.ROOT,
                "- lateness (s): min %s, p50 %s, p90 %s, p99 %s, max %s.%n",
                fmt(late.get(0)),
                fmt(percentile(late, 50)),
                fmt(percentile(late, 90)),
                fmt(percentile(late, 99)),
                fmt(late.get(late.size() - 1))));
      }
      b.append("- rotations, provider calls: ")
          .append(totals(rotations.provider().breakdown()))
          .append(".\n");
      b.append("- rotations, the operator's Kubernetes calls: ")
          .append(totals(rotations.api().operatorBreakdown()))
          .append(".\n");
    }
    if (!Double.isNaN(totalCpu)) {
      b.append(
          String.format(
              Locale.ROOT,
              "- operator total: %.1f CPU-seconds, peak RSS (VmHWM) %.0f MiB.%n",
              totalCpu,
              peakRss / MIB));
    }
    b.append("- operator: `")
        .append(
            env.entrySet().stream()
                .filter(e -> !e.getKey().equals("KUBECONFIG"))
                .map(e -> e.getKey() + "=" + shellQuote(e.getValue()))
                .sorted()
                .collect(Collectors.joining(" ")))
        .append(' ')
        .append(String.join(" ", command))
        .append("` with KUBECONFIG pointing at the mock.\n");
    b.append("\n</details>\n");
  }

  private boolean allReady() {
    return first != null && first.ready().size() >= settings.resources();
  }

  private Duration toAllReady() {
    return Duration.between(first.start(), first.ready().get(first.ready().size() - 1));
  }

  /**
   * Resources a minute between the instants 10 % and 50 %, and 50 % and 100 %, of them were Ready.
   */
  private String rates() {
    List<Instant> r = first.ready();
    Instant p10 = r.get(index(10, r.size()));
    Instant p50 = r.get(index(50, r.size()));
    Instant p100 = r.get(r.size() - 1);
    return String.format(
        Locale.ROOT,
        "%s → %s a minute",
        rate(index(50, r.size()) - index(10, r.size()), p10, p50),
        rate(r.size() - 1 - index(50, r.size()), p50, p100));
  }

  private static String rate(int count, Instant from, Instant to) {
    double s = seconds(Duration.between(from, to));
    return s <= 0 ? "—" : String.format(Locale.ROOT, "%,.0f", count * 60 / s);
  }

  private static int index(int percent, int size) {
    return Math.max(0, (int) Math.ceil(percent / 100.0 * size) - 1);
  }

  private static String calls(ApiCallCounter.Snapshot api, int per) {
    return perResource(api.operatorWrites() + api.operatorReads(), per)
        + ": "
        + perResource(api.operatorWrites(), per)
        + " writes, "
        + perResource(api.operatorReads(), per)
        + " reads ("
        + breakdown(api.operatorBreakdown(), per)
        + ")";
  }

  private String readyPercentiles() {
    List<Instant> r = first.ready();
    if (r.isEmpty()) {
      return "none";
    }
    List<String> parts = new ArrayList<>();
    for (int p : new int[] {10, 50, 90, 100}) {
      parts.add(
          p + "% " + fmt(seconds(Duration.between(first.start(), r.get(index(p, r.size()))))));
    }
    return String.join(", ", parts);
  }

  private List<Double> lateness() {
    return rotations.seen().stream().map(x -> seconds(x.lateness())).sorted().toList();
  }

  /** Nearest-rank percentile of a sorted list. */
  static double percentile(List<Double> sorted, int p) {
    return sorted.get(index(p, sorted.size()));
  }

  private static String row(String what, String measured, String goal) {
    return "| " + what + " | " + measured + " | " + goal + " |\n";
  }

  private static String perResource(long count, int n) {
    return String.format(Locale.ROOT, "%.2f", (double) count / n);
  }

  private static String breakdown(Map<String, Long> counts, int n) {
    return counts.isEmpty()
        ? "none"
        : counts.entrySet().stream()
            .map(e -> e.getKey() + " " + perResource(e.getValue(), n))
            .collect(Collectors.joining(", "));
  }

  private static String totals(Map<String, Long> counts) {
    return counts.isEmpty()
        ? "none"
        : counts.entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", "));
  }

  static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  static String secs(Duration d) {
    return fmt(seconds(d));
  }

  static String fmt(double seconds) {
    return String.format(Locale.ROOT, Math.abs(seconds) < 10 ? "%.2f" : "%.1f", seconds);
  }

  private static String shellQuote(String v) {
    return v.matches("[A-Za-z0-9_./:=,+-]*") && !v.isEmpty()
        ? v
        : "'" + v.replace("'", "'\\''") + "'";
  }

  static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
}
