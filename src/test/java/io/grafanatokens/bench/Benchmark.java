package io.grafanatokens.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.fakes.grafana.FakeGrafana;
import io.grafanatokens.testing.ApiServerDispatcher;
import io.grafanatokens.testing.EmbeddedCluster;
import io.grafanatokens.testing.Resources;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.slf4j.LoggerFactory;

/**
 * The benchmark (README "Benchmark"; not part of the test suite): this JVM serves the Kubernetes
 * API (fabric8 CRUD mock) and Grafana (the fake) on loopback ports; the operator jar runs as its
 * own process with the Deployment's JVM flags and a kubeconfig pointing here. Applies N resources
 * at once, times them to Ready against a raw-call floor on the same servers, counts what the
 * operator asked of both servers, reads its CPU and memory from /proc, waits for every resource to
 * rotate and measures how late each rotation was; prints a Markdown table and writes it to
 * target/bench/results.md.
 */
public final class Benchmark {
  static final String NAMESPACE = "bench";

  /** Held so that JUL keeps its level: fabric8's mock server logs every request at INFO. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private final BenchSettings settings;
  private final EmbeddedCluster cluster;
  private final KubernetesClient client;
  private final ApiCallCounter apiCalls;
  private final Report report;

  private Benchmark(BenchSettings settings, EmbeddedCluster cluster, KubernetesClient client) {
    this.settings = settings;
    this.cluster = cluster;
    this.client = client;
    this.apiCalls = new ApiCallCounter(cluster.api());
    this.report = new Report(settings);
  }

  public static void main(String[] args) throws Exception {
    quietLogs();
    BenchSettings settings = BenchSettings.fromSystemProperties();
    if (!Files.isRegularFile(settings.jar())) {
      System.err.println(
          "no "
              + settings.jar()
              + ": run the README command (mvn -B -ntp -q -Pbench), which builds it");
      System.exit(2);
    }
    Files.createDirectories(settings.outDir());
    boolean complete;
    try (EmbeddedCluster cluster = EmbeddedCluster.create(Clock.systemUTC(), Map.of());
        KubernetesClient client = harnessClient(cluster.apiServerUrl(), settings.concurrency())) {
      complete = new Benchmark(settings, cluster, client).run();
    }
    System.exit(complete ? 0 : 1);
  }

  private boolean run() throws Exception {
    FakeGrafana grafana = cluster.grafana();
    say(
        "Kubernetes API (CRUD mock) at "
            + cluster.apiServerUrl()
            + ", Grafana at "
            + grafana.baseUrl());
    if (settings.managedFields()) {
      // what a real API server returns carries them; the operator must not keep them
      cluster.api().recordManagedFields(Clock.systemUTC());
    }
    cluster.namespaceWithGrafanaAdmin(NAMESPACE);
    long serviceAccount = grafana.createServiceAccount(1, "bench", "Viewer");
    if (settings.noiseSecrets() > 0) {
      createNoise();
    }

    measureFloor(grafana);

    Path kubeconfig = settings.outDir().resolve("kubeconfig");
    Files.writeString(kubeconfig, kubeconfig(cluster.apiServerUrl()));
    DeploymentFlags deployment = DeploymentFlags.read(settings.deployment());
    int httpPort = freePort();
    Map<String, String> env = new LinkedHashMap<>(deployment.env());
    env.put("LEADER_ELECTION", "false");
    env.put("HTTP_PORT", Integer.toString(httpPort));
    settings.tokenCheckInterval().ifPresent(v -> env.put("TOKEN_CHECK_INTERVAL", v));
    env.put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
    // fabric8 reads its User-Agent from here (Config.KUBERNETES_USER_AGENT): the mock counts the
    // operator's calls apart from the harness's by it
    env.put("KUBERNETES_USER_AGENT", ApiServerDispatcher.OPERATOR_AGENT);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (settings.containerLimits()) {
      command.addAll(deployment.limitFlags());
    }
    if (settings.jfr()) {
      command.add(
          "-XX:StartFlightRecording=filename="
              + settings.outDir().resolve("operator.jfr")
              + ",settings=profile,dumponexit=true");
    }
    command.addAll(List.of("-jar", settings.jar().toString()));
    report.operator(command, env);

    try (Observer observer = new Observer(client, NAMESPACE)) {
      Instant launched = Instant.now();
      try (OperatorProcess operator =
          OperatorProcess.start(
              command, env, httpPort, settings.outDir().resolve("operator.log"))) {
        operator.awaitReady(Duration.ofMinutes(2));
        report.startup(
            Duration.between(launched, Instant.now()), operator.cpuSeconds(), operator.rssBytes());
        report.heapAtStart(operator.heapAfterFullGcBytes());
        operator.writeHeapHistogram(settings.outDir().resolve("heap-histogram-start.txt"));
        if (apiCalls.snapshot().operatorReads() == 0) {
          throw new IllegalStateException(
              "the mock saw no call with the operator's User-Agent; its calls cannot be counted");
        }
        say(
            "operator pid "
                + operator.pid()
                + " ready; applying "
                + settings.resources()
                + " resources");
        boolean allReady = firstIssue(operator, observer, serviceAccount, grafana);
        boolean rotated =
            allReady && settings.rotations() > 0 && rotations(operator, observer, grafana);
        report.finalFigures(
            operator.cpuSeconds(), operator.peakRssBytes(), apiCalls.unfilteredSecretReads());
        report.heapAtEnd(operator.heapAfterFullGcBytes());
        operator.writeHeapHistogram(settings.outDir().resolve("heap-histogram-end.txt"));
        say("stopping the operator");
        return allReady && (settings.rotations() == 0 || rotated);
      } finally {
        report.write(settings.outDir().resolve("results.md"));
        System.out.println();
        System.out.println(report.markdown());
        if (settings.jfr()) {
          say("JFR recording: " + settings.outDir().resolve("operator.jfr"));
        }
      }
    }
  }

  private void createNoise() {
    say("storing " + settings.noiseSecrets() + " unrelated Secrets (no managed-by label)");
    Instant start = Instant.now();
    String path = "/api/v1/namespaces/" + NAMESPACE + "/secrets";
    for (int i = 0; i < settings.noiseSecrets(); i++) {
      // straight into the mock's store: through the API the mock's existence check scans every
      // object, and 50,000 creates would take half an hour
      cluster
          .api()
          .preload(
              path,
              new SecretBuilder()
                  .withNewMetadata()
                  .withName(String.format("unrelated-%06d", i))
                  .withNamespace(NAMESPACE)
                  .addToLabels("app", "unrelated")
                  .endMetadata()
                  .withType("Opaque")
                  .addToData(
                      "payload", java.util.Base64.getEncoder().encodeToString(randomBytes(512)))
                  .build());
    }
    report.noise(Duration.between(start, Instant.now()));
    long listed =
        client
            .secrets()
            .inNamespace(NAMESPACE)
            .withLabel("app", "unrelated")
            .list()
            .getItems()
            .size();
    if (listed != settings.noiseSecrets()) {
      throw new IllegalStateException(
          "stored " + settings.noiseSecrets() + " unrelated Secrets, the API lists " + listed);
    }
  }

  private void measureFloor(FakeGrafana grafana) throws Exception {
    long floorAccount = grafana.createServiceAccount(1, "bench-floor", "Viewer");
    RawCallFloor floor =
        new RawCallFloor(
            client,
            grafana.baseUrl(),
            grafana.mintAdminToken(1),
            floorAccount,
            settings.lifetimeSeconds(),
            settings.concurrency());
    // a first, smaller pass warms the servers' JIT up, as the operator's start-up does for its run
    int warmup = Math.min(settings.resources(), 200);
    floor.issueAll(floor.prepare("bench-floor-warmup", warmup));
    floor.delete("bench-floor-warmup");
    say("raw-call floor: " + settings.resources() + " resources");
    Instant preparing = Instant.now();
    var prepared = floor.prepare("bench-floor", settings.resources());
    Duration prepare = Duration.between(preparing, Instant.now());
    ApiCallCounter.Snapshot api0 = apiCalls.snapshot();
    ProviderCallCounter provider0 = ProviderCallCounter.of(grafana);
    Duration took = floor.issueAll(prepared);
    ApiCallCounter.Snapshot api = apiCalls.snapshot().since(api0);
    ProviderCallCounter provider = ProviderCallCounter.of(grafana).since(provider0);
    floor.delete("bench-floor");
    report.floor(took, prepare, api, provider);
    say("raw-call floor took " + Report.secs(took) + " s");
  }

  private boolean firstIssue(
      OperatorProcess operator, Observer observer, long serviceAccount, FakeGrafana grafana)
      throws Exception {
    double cpu0 = operator.cpuSeconds();
    ApiCallCounter.Snapshot api0 = apiCalls.snapshot();
    ProviderCallCounter provider0 = ProviderCallCounter.of(grafana);
    Instant start = Instant.now();
    RawCallFloor.parallel(
        settings.resources(),
        settings.concurrency(),
        i -> {
          GrafanaServiceAccountToken r =
              Resources.grafanaToken(
                  NAMESPACE, String.format("token-%05d", i), grafana.baseUrl(), serviceAccount);
          r.getSpec().setSecondsToLive(settings.lifetimeSeconds());
          client.resource(r).create();
          return null;
        });
    Instant applied = Instant.now();
    say("applied in " + Report.secs(Duration.between(start, applied)) + " s; waiting for Ready");
    boolean allReady =
        await(
            () -> observer.readyCount() >= settings.resources(),
            settings.timeout(),
            () -> observer.readyCount() + " of " + settings.resources() + " Ready");
    ApiCallCounter.Snapshot api = apiCalls.snapshot().since(api0);
    ProviderCallCounter provider = ProviderCallCounter.of(grafana).since(provider0);
    double cpu = operator.cpuSeconds() - cpu0;
    // one list confirms what the informer saw
    long readyInList =
        client
            .resources(GrafanaServiceAccountToken.class)
            .inNamespace(NAMESPACE)
            .list()
            .getItems()
            .stream()
            .filter(r -> Observer.ready(r.getStatus()))
            .count();
    report.firstIssue(
        start,
        applied,
        observer.readyTimes(),
        readyInList,
        api,
        provider,
        cpu,
        operator.rssBytes(),
        operator.peakRssBytes(),
        observer.rotations().size());
    say(
        allReady
            ? "all Ready after "
                + Report.secs(
                    Duration.between(
                        start, observer.readyTimes().get(observer.readyTimes().size() - 1)))
                + " s"
            : "gave up: " + observer.readyCount() + " Ready");
    return allReady;
  }

  private boolean rotations(OperatorProcess operator, Observer observer, FakeGrafana grafana)
      throws Exception {
    double cpu0 = operator.cpuSeconds();
    ApiCallCounter.Snapshot api0 = apiCalls.snapshot();
    ProviderCallCounter provider0 = ProviderCallCounter.of(grafana);
    int before = observer.rotations().size();
    Duration limit =
        Duration.ofSeconds(settings.lifetimeSeconds() * (settings.rotations() + 1) + 120);
    if (limit.compareTo(settings.timeout()) > 0) {
      limit = settings.timeout();
    }
    say(
        "waiting for "
            + settings.rotations()
            + " rotation(s) of every resource and the revocations after them"
            + " (at most "
            + limit.toSeconds()
            + " s)");
    boolean done =
        await(
            () -> observer.allRotated(settings.resources(), settings.rotations()),
            limit,
            () -> observer.rotations().size() + " rotations");
    List<Observer.Rotation> all = observer.rotations();
    report.rotations(
        all.subList(before, all.size()),
        observer.unmatchedRotations(),
        apiCalls.snapshot().since(api0),
        ProviderCallCounter.of(grafana).since(provider0),
        operator.cpuSeconds() - cpu0,
        done);
    return done;
  }

  /** Polls an in-memory condition (no API calls), saying how far it got every 15 s. */
  private static boolean await(
      BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> progress)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    Instant nextSay = Instant.now().plusSeconds(15);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        return false;
      }
      if (Instant.now().isAfter(nextSay)) {
        say("  " + progress.get());
        nextSay = Instant.now().plusSeconds(15);
      }
      Thread.sleep(20);
    }
    return true;
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  /** The harness's own client: not limited below the concurrency it is asked to keep. */
  private static KubernetesClient harnessClient(String url, int concurrency) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url)
            .withNamespace(NAMESPACE)
            .withMaxConcurrentRequests(Math.max(64, concurrency * 2))
            .withMaxConcurrentRequestsPerHost(Math.max(32, concurrency * 2))
            .withRequestTimeout(120_000)
            .withConnectionTimeout(10_000)
            .withHttp2Disable(true)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  static String kubeconfig(String url) {
    return String.join(
        "\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: bench",
        "  cluster:",
        "    server: " + url,
        "users:",
        "- name: bench",
        "  user:",
        "    token: bench",
        "contexts:",
        "- name: bench",
        "  context:",
        "    cluster: bench",
        "    user: bench",
        "    namespace: default",
        "current-context: bench",
        "");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static void say(String line) {
    System.out.println(TIME.format(Instant.now()) + "  " + line);
  }

  private static void quietLogs() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
    ctx.getLogger("io.fabric8").setLevel(Level.ERROR);
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
  }
}
