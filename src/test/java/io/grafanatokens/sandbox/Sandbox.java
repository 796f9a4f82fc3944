package io.grafanatokens.sandbox;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.grafanatokens.api.v1alpha1.ClusterGrafanaConnection;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.fakes.amg.AmgTokenResources;
import io.grafanatokens.fakes.amg.FakeAmg;
import io.grafanatokens.fakes.yandex.FakeYandexIam;
import io.grafanatokens.secret.SecretAnnotations;
import io.grafanatokens.testing.EmbeddedCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * README command 1: an in-process Kubernetes API and Grafana simulator, the examples of
 * deploy/examples/sandbox applied, the real operator issuing and rotating, and a timeline of what
 * happens. Ends by itself once every resource has rotated and its previous key was revoked (or on
 * Ctrl-C).
 */
public final class Sandbox {
  private static final String NS = "sandbox";

  /** Where the ClusterGrafanaConnection of grafana-shared.yaml finds its credentials Secret. */
  private static final String OPERATOR_NS = "grafana-token-operator";

  /** The namespace label grafana-shared.yaml's namespaceSelector admits. */
  private static final String SHARED_LABEL = "grafanatokens.io/grafana-shared";

  /** Held so that JUL keeps its level: fabric8's mock server logs every request at INFO. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private static final Duration LIMIT = Duration.ofMinutes(4);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private final EmbeddedCluster cluster;
  private final Instant start = Instant.now();
  private final Map<String, String> keysBySecret = new ConcurrentHashMap<>();
  private final Map<String, String> keysByTokenId = new ConcurrentHashMap<>();
  private final AtomicInteger rotations = new AtomicInteger();
  private final AtomicInteger revocations = new AtomicInteger();
  private final java.util.Set<String> resources = ConcurrentHashMap.newKeySet();
  private final java.util.Set<String> rotated = ConcurrentHashMap.newKeySet();
  private final java.util.Set<String> revoked = ConcurrentHashMap.newKeySet();
  private final CountDownLatch done = new CountDownLatch(1);

  /** Ctrl-C (or SIGTERM) ended the run. */
  private volatile boolean interrupted;

  private final FakeYandexIam iam;
  private final FakeAmg amg;

  /**
   * Where each resource's keys are minted: Grafana, AMG or IAM (token ids repeat across providers).
   */
  private final Map<String, String> providers = new ConcurrentHashMap<>();

  private Sandbox(EmbeddedCluster cluster, FakeYandexIam iam, FakeAmg amg) {
    this.cluster = cluster;
    this.iam = iam;
    this.amg = amg;
  }

  /**
   * The workspace deploy/examples/sandbox/amg-*.yaml names; its first service account gets id 2.
   */
  private static final String AMG_WORKSPACE = "g-0123456789";

  private static final String YC_OPERATOR = "ajegrafanatokenoper0";
  private static final String YC_READER = "ajeprometheusreader0";

  private static FakeYandexIam yandexSimulator() {
    FakeYandexIam iam = FakeYandexIam.builder().tokenLifetime(Duration.ofSeconds(90)).start();
    iam.addServiceAccount(YC_OPERATOR)
        .addServiceAccount(YC_READER)
        .grantTokenCreator(YC_OPERATOR, YC_READER);
    return iam;
  }

  private static Map<String, String> operatorEnv(FakeYandexIam iam, FakeAmg amg) {
    Map<String, String> env =
        new java.util.HashMap<>(
            Map.of("TOKEN_CHECK_INTERVAL", "30s", "OPERATOR_NAMESPACE", OPERATOR_NS));
    env.putAll(iam.operatorEnv(Path.of("/nonexistent/yc-workload-identity")));
    // the endpoint of AMG resources without spec.amazonManagedGrafana.endpoint
    env.put("AWS_ENDPOINT_URL_GRAFANA", amg.endpoint());
    return env;
  }

  /** Does the key still work where it was minted? */
  private boolean works(String provider, String key) {
    switch (provider) {
      case "IAM":
        return iam.authenticates(key);
      case "AMG":
        return amg.authenticates(key);
      default:
        return cluster.grafana().authenticates(key);
    }
  }

  public static void main(String[] args) throws Exception {
    quietLogs();
    Path examples = Path.of(args.length > 0 ? args[0] : "deploy/examples/sandbox");
    say("starting an in-process Kubernetes API and a Grafana simulator");
    FakeYandexIam iam = yandexSimulator();
    FakeAmg amg = FakeAmg.builder().region("eu-west-1").start();
    EmbeddedCluster cluster = EmbeddedCluster.create(Clock.systemUTC(), operatorEnv(iam, amg));
    Sandbox sandbox = new Sandbox(cluster, iam, amg);
    CountDownLatch stopped = new CountDownLatch(1);
    // Ctrl-C: let main stop everything in order; the JVM halts as soon as its hooks return
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  sandbox.interrupted = true;
                  sandbox.done.countDown();
                  try {
                    stopped.await(30, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "sandbox-stop"));
    boolean finished = false;
    try {
      finished = sandbox.run(examples);
    } finally {
      // the operator first, while the API and the simulators still answer: a reconcile in flight
      // finishes instead of ending the run on a failed write; then what it talked to
      cluster.stopOperator();
      cluster.close();
      amg.close();
      iam.close();
      say("stopped: the operator first, then the API and the simulators");
      stopped.countDown();
    }
    if (!sandbox.interrupted) {
      System.exit(
          finished ? 0 : 1); // exit during a shutdown would block: only when not interrupted
    }
  }

  /**
   * Sets the scene, starts the operator, applies the examples; true when every resource rotated.
   */
  private boolean run(Path examples) throws Exception {
    cluster.namespaceWithGrafanaAdmin(NS);
    say(
        "Grafana simulator at "
            + cluster.grafana().baseUrl()
            + "; namespace '"
            + NS
            + "' has Secret grafana-admin with an Admin service-account token");
    cluster.namespaceWithGrafanaAdmin(OPERATOR_NS);
    cluster
        .client()
        .namespaces()
        .withName(NS)
        .edit(
            n ->
                new NamespaceBuilder(n)
                    .editMetadata()
                    .addToLabels(SHARED_LABEL, "allowed")
                    .endMetadata()
                    .build());
    say(
        "namespace '"
            + OPERATOR_NS
            + "' (the operator's) has Secret grafana-admin too, for the "
            + "ClusterGrafanaConnection; namespace '"
            + NS
            + "' is labelled "
            + SHARED_LABEL
            + "=allowed");
    cluster
        .client()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("yc-sa-key")
                .withNamespace(NS)
                .endMetadata()
                .addToStringData("authorized-key.json", iam.createAuthorizedKey(YC_OPERATOR).json())
                .build())
        .create();
    say(
        "Yandex IAM simulator at "
            + iam.iamEndpoint()
            + "; Secret yc-sa-key holds the operator's authorized key");
    String amgAccount =
        amg.createServiceAccount(amg.createWorkspace(AMG_WORKSPACE), "dashboards-viewer", "VIEWER");
    cluster.client().resource(AmgTokenResources.credentialsSecret(NS)).create();
    say(
        "AMG simulator at "
            + amg.endpoint()
            + " (AWS_ENDPOINT_URL_GRAFANA) with workspace "
            + AMG_WORKSPACE
            + " and service account "
            + amgAccount
            + "; Secret "
            + AmgTokenResources.CREDENTIALS_SECRET
            + " holds AWS keys");
    watch();
    cluster.startOperator();
    say("operator started (the same wiring as java -jar target/grafana-token-operator.jar)");
    apply(examples);
    boolean finished = done.await(LIMIT.toSeconds(), TimeUnit.SECONDS) && !interrupted;
    summary(finished);
    return finished;
  }

  /** Connections first, so that no token waits for the connection it names. */
  private void apply(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    KubernetesSerialization yaml = cluster.client().getKubernetesSerialization();
    Map<Path, GenericKubernetesResource> read = new java.util.LinkedHashMap<>();
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        read.put(f, yaml.unmarshal(in, GenericKubernetesResource.class));
      }
    }
    read.forEach(
        (f, r) -> {
          if (r.getKind().equals("ClusterGrafanaConnection")) {
            applyConnection(f, yaml.convertValue(r, ClusterGrafanaConnection.class));
          }
        });
    read.forEach(
        (f, r) -> {
          if (r.getKind().equals("GrafanaServiceAccountToken")) {
            applyToken(f, yaml.convertValue(r, GrafanaServiceAccountToken.class));
          }
        });
  }

  private void applyConnection(Path f, ClusterGrafanaConnection c) {
    c.getSpec().getGrafana().setUrl(cluster.grafana().baseUrl());
    cluster.client().resource(c).create();
    say(
        "applied "
            + f
            + ": ClusterGrafanaConnection "
            + c.getMetadata().getName()
            + " (credentials in namespace "
            + OPERATOR_NS
            + ")");
  }

  private void applyToken(Path f, GrafanaServiceAccountToken r) {
    if (r.getSpec().getGrafana() != null) {
      r.getSpec().getGrafana().setUrl(cluster.grafana().baseUrl());
    }
    // the sandbox's only connection is a Grafana one
    providers.put(
        r.getMetadata().getName(),
        r.getSpec().getGrafana() != null || r.getSpec().getConnectionRef() != null
            ? "Grafana"
            : r.getSpec().getAmazonManagedGrafana() != null ? "AMG" : "IAM");
    cluster.client().resource(r).create();
    String through =
        r.getSpec().getConnectionRef() == null
            ? ""
            : ", through "
                + r.getSpec().getConnectionRef().kindOrDefault()
                + " "
                + r.getSpec().getConnectionRef().getName();
    say(
        "applied "
            + f
            + ": "
            + r.getMetadata().getName()
            + (r.getSpec().getSecondsToLive() == null
                ? " (lifetime decided by the provider"
                : " (secondsToLive " + r.getSpec().getSecondsToLive())
            + through
            + ")");
    resources.add(r.getMetadata().getName());
  }

  private void watch() {
    cluster
        .client()
        .events()
        .v1()
        .events()
        .inNamespace(NS)
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, Event e) {
                if (action == Action.ADDED) {
                  onEvent(e);
                }
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
    cluster
        .client()
        .secrets()
        .inNamespace(NS)
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, Secret s) {
                onSecret(action, s);
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }

  private void onSecret(Watcher.Action action, Secret s) {
    Map<String, String> a = s.getMetadata().getAnnotations();
    if (a == null || a.get(SecretAnnotations.TOKEN_ID) == null || s.getData() == null) {
      return;
    }
    String name = s.getMetadata().getName();
    String id = a.get(SecretAnnotations.TOKEN_ID);
    String key = decode(s.getData().get("token"));
    if (key == null || id.equals(keysBySecret.put(name, id))) {
      return;
    }
    String owner =
        s.getMetadata().getOwnerReferences() == null
                || s.getMetadata().getOwnerReferences().isEmpty()
            ? name
            : s.getMetadata().getOwnerReferences().get(0).getName();
    String provider = providers.getOrDefault(owner, "Grafana");
    keysByTokenId.put(owner + "/" + id, key);
    say(
        String.format(
            "Secret %-20s now holds token %-34s id %-23s expires %s; key works at %s: %s",
            name,
            a.get(SecretAnnotations.TOKEN_NAME),
            id,
            TIME.format(Instant.parse(a.get(SecretAnnotations.EXPIRES_AT))),
            provider,
            works(provider, key) ? "yes" : "NO"));
  }

  private void onEvent(Event e) {
    String who = e.getRegarding() == null ? "?" : e.getRegarding().getName();
    say(String.format("%-7s %-9s %-14s %s", e.getType(), e.getReason(), who, e.getNote()));
    if ("Rotated".equals(e.getReason())) {
      rotations.incrementAndGet();
      rotated.add(who);
    }
    if ("Revoked".equals(e.getReason())) {
      String id = e.getNote().replaceAll(".*token ", "").trim();
      String key = keysByTokenId.get(who + "/" + id);
      if (key != null) {
        say(
            "        previous key of token "
                + id
                + " still works: "
                + (works(providers.getOrDefault(who, "Grafana"), key)
                    ? "YES (unexpected)"
                    : "no (revoked)"));
      }
      revocations.incrementAndGet();
      revoked.add(who);
    }
    if (rotations.get() >= 4 && rotated.containsAll(resources) && revoked.containsAll(resources)) {
      done.countDown();
    }
  }

  private void summary(boolean finished) {
    if (interrupted) {
      say(
          "interrupted: "
              + rotations.get()
              + " rotations, "
              + revocations.get()
              + " previous keys revoked; stopping");
      return;
    }
    say(
        finished
            ? "done: "
                + rotations.get()
                + " rotations, "
                + revocations.get()
                + " previous keys revoked; stopping"
            : "stopped after "
                + LIMIT.toMinutes()
                + " minutes with "
                + rotations.get()
                + " rotations (expected every resource to rotate)");
  }

  private static String decode(String b64) {
    return b64 == null ? null : new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }

  private static void say(String line) {
    System.out.println(TIME.format(Instant.now()) + "  " + line);
  }

  private static void quietLogs() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    // the test classpath's logback-test.xml writes nothing to the console: the sandbox shows its
    // warnings and errors there, next to the timeline
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern("%d{HH:mm:ss}  %-5level %logger{36} - %msg%n");
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(ctx);
    console.setName("sandbox-console");
    console.setEncoder(encoder);
    console.start();
    ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(console);
    ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
    ctx.getLogger("io.grafanatokens").setLevel(Level.WARN);
    ctx.getLogger("io.javaoperatorsdk").setLevel(Level.WARN);
    ctx.getLogger("io.fabric8").setLevel(Level.ERROR);
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
  }
}
