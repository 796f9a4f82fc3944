package io.grafanatokens.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What one benchmark run does, from {@code -Dbench.*} properties (given to Maven, which runs the
 * harness in its own JVM).
 *
 * @param resources resources applied at once (the figures are at 1,000 and 10,000)
 * @param noiseSecrets unrelated Secrets (no managed-by label) created before the operator starts
 * @param lifetimeSeconds {@code spec.secondsToLive} of every resource; short enough that each
 *     resource rotates during the run
 * @param rotations how many rotations of every resource to wait for after all are Ready; 0 skips
 *     the rotation part
 * @param concurrency how many requests the harness (and the raw-call floor) keeps in flight
 * @param jfr record a JFR profile of the operator into target/bench/operator.jfr
 * @param containerLimits give the operator JVM the Deployment's CPU and memory limits as it would
 *     see them in its container ({@code -XX:ActiveProcessorCount}, {@code -XX:MaxRAM})
 * @param tokenCheckInterval the operator's TOKEN_CHECK_INTERVAL; empty: its default
 * @param managedFields the API server records metadata.managedFields on creates and updates, as a
 *     real one does (the CRUD mock alone does not)
 * @param timeout how long to wait for all Ready, and for the rotations, before giving up
 */
record BenchSettings(
    int resources,
    int noiseSecrets,
    long lifetimeSeconds,
    int rotations,
    int concurrency,
    boolean jfr,
    boolean containerLimits,
    Optional<String> tokenCheckInterval,
    boolean managedFields,
    Duration timeout,
    Path outDir,
    Path jar,
    Path deployment) {

  static BenchSettings fromSystemProperties() {
    long lifetime = longProperty("bench.lifetime", 300);
    if (lifetime < 60 || lifetime > 2_592_000) {
      throw new IllegalArgumentException(
          "bench.lifetime is spec.secondsToLive: 60..2592000 seconds");
    }
    int resources = (int) longProperty("bench.resources", 1000);
    if (resources < 1) {
      throw new IllegalArgumentException("bench.resources must be >= 1");
    }
    String check = System.getProperty("bench.tokenCheckInterval", "").strip();
    return new BenchSettings(
        resources,
        (int) longProperty("bench.noiseSecrets", 0),
        lifetime,
        (int) longProperty("bench.rotations", 1),
        (int) longProperty("bench.concurrency", 10),
        Boolean.parseBoolean(System.getProperty("bench.jfr", "false")),
        Boolean.parseBoolean(System.getProperty("bench.containerLimits", "true")),
        check.isEmpty() ? Optional.empty() : Optional.of(check),
        Boolean.parseBoolean(System.getProperty("bench.managedFields", "true")),
        Duration.ofSeconds(longProperty("bench.timeout", 3600)),
        Path.of("target", "bench"),
        Path.of("target", "grafana-token-operator.jar"),
        Path.of("deploy", "base", "deployment.yaml"));
  }

  private static long longProperty(String name, long fallback) {
    String v = System.getProperty(name, "").strip();
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      return Long.parseLong(v.endsWith("s") ? v.substring(0, v.length() - 1) : v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, not '" + v + "'");
    }
  }
}
