package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.fakes.grafana.FakeGrafana;
import io.grafanatokens.fakes.grafana.MutableClock;
import io.grafanatokens.fakes.grafana.TokenSnapshot;
import io.grafanatokens.secret.SecretAnnotations;
import io.grafanatokens.status.StatusBuilder;
import io.grafanatokens.testing.EmbeddedCluster;
import io.grafanatokens.testing.LogCapture;
import io.grafanatokens.testing.Resources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Runs the real operator against the CRUD mock API and the fake Grafana, with a clock the test
 * moves. After each test: no minted key anywhere in logs, Events or status.
 */
abstract class LifecycleTestBase {
  static final String NS = "team-a";
  static final Pattern KEY = Pattern.compile("glsa_[0-9A-Za-z]{32}_[0-9a-f]{8}");

  protected EmbeddedCluster cluster;
  protected KubernetesClient client;
  protected FakeGrafana grafana;
  protected MutableClock clock;
  protected LogCapture logs;
  protected long serviceAccountId;
  private final AtomicInteger nudges = new AtomicInteger();

  /** Operator environment for this test class. */
  protected Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("TOKEN_CHECK_INTERVAL", "0");
    env.put("PROVIDER_TIMEOUT", "2s");
    return env;
  }

  @BeforeEach
  void startCluster() {
    logs = LogCapture.install();
    clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    cluster = EmbeddedCluster.create(clock, env());
    client = cluster.client();
    grafana = cluster.grafana();
    cluster.namespaceWithGrafanaAdmin(NS);
    serviceAccountId = grafana.createServiceAccount(1, "ci-bot", "Viewer");
    cluster.startOperator();
  }

  @AfterEach
  void noKeyMaterialLeaked() {
    try {
      List<String> leaks = logs.lines().stream().filter(l -> KEY.matcher(l).find()).toList();
      assertThat(leaks).as("log lines holding a key").isEmpty();
      for (Event e : client.events().v1().events().inNamespace(NS).list().getItems()) {
        assertThat(KEY.matcher(String.valueOf(e.getNote())).find())
            .as("event note " + e.getNote())
            .isFalse();
      }
      for (GrafanaServiceAccountToken r :
          client.resources(GrafanaServiceAccountToken.class).inNamespace(NS).list().getItems()) {
        String status = io.fabric8.kubernetes.client.utils.Serialization.asJson(r.getStatus());
        assertThat(KEY.matcher(status).find())
            .as("status of " + r.getMetadata().getName())
            .isFalse();
      }
    } finally {
      logs.close();
      cluster.close();
    }
  }

  // ---- resources

  protected GrafanaServiceAccountToken token(String name) {
    return Resources.grafanaToken(NS, name, grafana.baseUrl(), serviceAccountId);
  }

  protected GrafanaServiceAccountToken apply(GrafanaServiceAccountToken r) {
    return client.resource(r).create();
  }

  protected GrafanaServiceAccountToken get(String name) {
    return client.resources(GrafanaServiceAccountToken.class).inNamespace(NS).withName(name).get();
  }

  /**
   * Edits the resource like kubectl edit; a 409 from the operator's own status write meanwhile is
   * tried again.
   */
  protected GrafanaServiceAccountToken edit(
      String name, java.util.function.UnaryOperator<GrafanaServiceAccountToken> f) {
    GrafanaServiceAccountToken[] edited = new GrafanaServiceAccountToken[1];
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .ignoreExceptionsMatching(
            e ->
                e instanceof io.fabric8.kubernetes.client.KubernetesClientException k
                    && k.getCode() == 409)
        .until(
            () ->
                (edited[0] =
                        client
                            .resources(GrafanaServiceAccountToken.class)
                            .inNamespace(NS)
                            .withName(name)
                            .edit(f))
                    != null);
    return edited[0];
  }

  /** Asks for a rotation as a user would: a new value of the rotate annotation. */
  protected GrafanaServiceAccountToken requestRotation(String name, String value) {
    return edit(
        name,
        x -> {
          if (x.getMetadata().getAnnotations() == null) {
            x.getMetadata().setAnnotations(new java.util.HashMap<>());
          }
          x.getMetadata().getAnnotations().put("grafanatokens.io/rotate", value);
          return x;
        });
  }

  /**
   * The operator's namespace, where a ClusterGrafanaConnection's credentials live: with no
   * OPERATOR_NAMESPACE set and no pod, the operator takes "default".
   */
  protected String operatorNamespace() {
    if (client.namespaces().withName("default").get() == null) {
      client
          .namespaces()
          .resource(
              new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                  .withNewMetadata()
                  .withName("default")
                  .endMetadata()
                  .build())
          .create();
    }
    return "default";
  }

  /** A GrafanaConnection of the test namespace with this block. */
  protected void namespacedConnection(
      String name, io.grafanatokens.api.v1alpha1.GrafanaConnectionSpec spec) {
    io.grafanatokens.api.v1alpha1.GrafanaConnection c =
        new io.grafanatokens.api.v1alpha1.GrafanaConnection();
    c.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(name)
            .withNamespace(NS)
            .build());
    c.setSpec(spec);
    client.resource(c).create();
  }

  /**
   * A ClusterGrafanaConnection with this block; its Secrets are read in {@link
   * #operatorNamespace()}.
   */
  protected void clusterConnection(
      String name, io.grafanatokens.api.v1alpha1.ClusterGrafanaConnectionSpec spec) {
    io.grafanatokens.api.v1alpha1.ClusterGrafanaConnection c =
        new io.grafanatokens.api.v1alpha1.ClusterGrafanaConnection();
    c.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
    c.setSpec(spec);
    client.resource(c).create();
  }

  /** Makes the operator look at the resource now (the test clock does not fire JOSDK's timers). */
  protected void nudge(String name) {
    edit(
        name,
        r -> {
          if (r.getMetadata().getAnnotations() == null) {
            r.getMetadata().setAnnotations(new HashMap<>());
          }
          r.getMetadata()
              .getAnnotations()
              .put("test.grafanatokens.io/nudge", String.valueOf(nudges.incrementAndGet()));
          return r;
        });
  }

  protected void advance(Duration d) {
    clock.advance(d);
  }

  // ---- awaiting states

  protected Optional<Condition> condition(String name, String type) {
    GrafanaServiceAccountToken r = get(name);
    if (r == null || r.getStatus() == null || r.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return r.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  protected GrafanaServiceAccountToken awaitCondition(
      String name, String type, String status, String reason) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              Optional<Condition> c = condition(name, type);
              assertThat(c).as(type + " of " + name).isPresent();
              assertThat(c.get().getStatus() + "/" + c.get().getReason())
                  .isEqualTo(status + "/" + reason);
            });
    return get(name);
  }

  protected GrafanaServiceAccountToken awaitReady(String name, String reason) {
    return awaitCondition(name, StatusBuilder.READY, "True", reason);
  }

  protected Secret secret(String name) {
    return client.secrets().inNamespace(NS).withName(name).get();
  }

  protected Secret awaitSecret(String name) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> secret(name) != null);
    return secret(name);
  }

  /** Waits until the Secret holds a token other than {@code previousTokenId}. */
  protected Secret awaitNewToken(String secretName, String previousTokenId) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              Secret s = secret(secretName);
              return s != null && tokenId(s) != null && !tokenId(s).equals(previousTokenId);
            });
    return secret(secretName);
  }

  protected static String tokenId(Secret s) {
    return s.getMetadata().getAnnotations() == null
        ? null
        : s.getMetadata().getAnnotations().get(SecretAnnotations.TOKEN_ID);
  }

  protected static String key(Secret s, String dataKey) {
    String v = s.getData() == null ? null : s.getData().get(dataKey);
    return v == null ? null : new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
  }

  protected static String key(Secret s) {
    return key(s, "token");
  }

  /** This resource's live (unexpired, unrevoked) tokens at the fake Grafana. */
  protected List<TokenSnapshot> liveTokens() {
    return grafana.tokensOf(serviceAccountId).stream()
        .filter(t -> !t.revoked() && (t.expires() == null || t.expires().isAfter(clock.instant())))
        .toList();
  }

  protected List<Event> events(String reason) {
    return client.events().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }
}
