package io.grafanatokens.sandbox;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
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
 * happens. Ends by itself after three rotations with revoked previous keys (or on Ctrl-C).
 */
public final class Sandbox {
  private static final String NS = "sandbox";
  /** Held so that JUL keeps its level: fabric8's mock server logs every request at INFO. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
  private static final Duration LIMIT = Duration.ofMinutes(4);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private final EmbeddedCluster cluster;
  private final Instant start = Instant.now();
  private final Map<String, String> keysBySecret = new ConcurrentHashMap<>();
  private final Map<String, String> keysByTokenId = new ConcurrentHashMap<>();
  private final AtomicInteger rotations = new AtomicInteger();
  private final AtomicInteger revocations = new AtomicInteger();
  private final CountDownLatch done = new CountDownLatch(1);

  private Sandbox(EmbeddedCluster cluster) {
    this.cluster = cluster;
  }

  public static void main(String[] args) throws Exception {
    quietLogs();
    Path examples = Path.of(args.length > 0 ? args[0] : "deploy/examples/sandbox");
    say("starting an in-process Kubernetes API and a Grafana simulator");
    try (EmbeddedCluster cluster = EmbeddedCluster.create(Clock.systemUTC(), Map.of("TOKEN_CHECK_INTERVAL", "30s"))) {
      Sandbox sandbox = new Sandbox(cluster);
      Runtime.getRuntime().addShutdownHook(new Thread(sandbox.done::countDown));
      cluster.namespaceWithGrafanaAdmin(NS);
      say("Grafana simulator at " + cluster.grafana().baseUrl() + "; namespace '" + NS
          + "' has Secret grafana-admin with an Admin service-account token");
      sandbox.watch();
      cluster.startOperator();
      say("operator started (the same wiring as java -jar target/grafana-token-operator.jar)");
      sandbox.apply(examples);
      boolean finished = sandbox.done.await(LIMIT.toSeconds(), TimeUnit.SECONDS);
      sandbox.summary(finished);
      if (!finished) {
        System.exit(1);
      }
    }
    System.exit(0);
  }

  private void apply(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        GrafanaServiceAccountToken r = cluster.client().getKubernetesSerialization()
            .unmarshal(in, GrafanaServiceAccountToken.class);
        r.getSpec().getGrafana().setUrl(cluster.grafana().baseUrl());
        cluster.client().resource(r).create();
        say("applied " + f + ": " + r.getMetadata().getName() + " (secondsToLive "
            + r.getSpec().getSecondsToLive() + ")");
      }
    }
  }

  private void watch() {
    cluster.client().events().v1().events().inNamespace(NS).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Event e) {
        if (action == Action.ADDED) {
          onEvent(e);
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    });
    cluster.client().secrets().inNamespace(NS).watch(new Watcher<>() {
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
    keysByTokenId.put(id, key);
    say(String.format("Secret %-20s now holds token %-38s id %-3s expires %s; key works at Grafana: %s",
        name, a.get(SecretAnnotations.TOKEN_NAME), id, TIME.format(Instant.parse(a.get(SecretAnnotations.EXPIRES_AT))),
        cluster.grafana().authenticates(key) ? "yes" : "NO"));
  }

  private void onEvent(Event e) {
    String who = e.getRegarding() == null ? "?" : e.getRegarding().getName();
    say(String.format("%-7s %-9s %-14s %s", e.getType(), e.getReason(), who, e.getNote()));
    if ("Rotated".equals(e.getReason())) {
      rotations.incrementAndGet();
    }
    if ("Revoked".equals(e.getReason())) {
      String id = e.getNote().replaceAll(".*token ", "").trim();
      String key = keysByTokenId.get(id);
      if (key != null) {
        say("        previous key of token " + id + " works at Grafana: "
            + (cluster.grafana().authenticates(key) ? "YES (unexpected)" : "no (revoked)"));
      }
      revocations.incrementAndGet();
    }
    if (rotations.get() >= 3 && revocations.get() >= 3) {
      done.countDown();
    }
  }

  private void summary(boolean finished) {
    say(finished
        ? "done: " + rotations.get() + " rotations, " + revocations.get() + " previous keys revoked; stopping"
        : "stopped after " + LIMIT.toMinutes() + " minutes with " + rotations.get() + " rotations (expected 3)");
  }

  private static String decode(String b64) {
    return b64 == null ? null : new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }

  private static void say(String line) {
    System.out.println(TIME.format(Instant.now()) + "  " + line);
  }

  private static void quietLogs() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
    ctx.getLogger("io.grafanatokens").setLevel(Level.WARN);
    ctx.getLogger("io.javaoperatorsdk").setLevel(Level.WARN);
    ctx.getLogger("io.fabric8").setLevel(Level.ERROR);
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
  }
}
