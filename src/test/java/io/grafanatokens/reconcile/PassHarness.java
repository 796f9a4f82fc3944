package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.fakes.grafana.MutableClock;
import io.grafanatokens.fakes.memory.MemoryTokenProvider;
import io.grafanatokens.observability.EventEmitter;
import io.grafanatokens.observability.TokenMetrics;
import io.grafanatokens.secret.SecretAnnotations;
import io.grafanatokens.testing.ApiServerDispatcher;
import io.grafanatokens.testing.EmbeddedCluster;
import io.grafanatokens.testing.MockServers;
import io.grafanatokens.testing.Resources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;

/**
 * The fast tier: one pass at a time, run by the test against the CRUD mock API and an in-memory
 * provider with a clock that moves only when told. No operator runs, nothing is awaited; a "kill"
 * drops everything the operator remembers and every call it has not yet made, and the next pass is
 * a fresh process. Status is written the way the reconciler writes it.
 */
final class PassHarness implements AutoCloseable {
  static final String NS = "team-a";
  static final String GRAFANA_A = "https://grafana-a.example";
  static final String GRAFANA_B = "https://grafana-b.example";
  static final String ADMIN_KEY = "admin-key";
  static final String OPERATOR_NAMESPACE = "operators";
  static final String FINALIZER = "grafanaserviceaccounttokens.grafanatokens.io/finalizer";

  final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
  final MemoryTokenProvider provider = new MemoryTokenProvider(clock);
  final ApiServerDispatcher api = new ApiServerDispatcher();
  final KubernetesMockServer server;
  final KubernetesClient client;
  private final KubernetesClient operatorClient;
  private ReconcileDeps deps;
  private ServerSecretCache cache;
  Duration tokenCheckInterval = Duration.ZERO;

  PassHarness() {
    provider.deadWhile(api::operatorKilled);
    server =
        new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), api, false);
    server.init();
    client = server.createClient();
    operatorClient =
        server.createClient(
            b ->
                b.withKubernetesSerialization(
                        io.grafanatokens.runtime.LenientReading.serialization())
                    .editOrNewConfig()
                    .withRequestRetryBackoffLimit(0)
                    .withUserAgent(ApiServerDispatcher.OPERATOR_AGENT)
                    .endConfig());
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    client
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(EmbeddedCluster.CREDENTIALS_SECRET)
                .withNamespace(NS)
                .endMetadata()
                .addToData("token", b64(ADMIN_KEY))
                .build())
        .create();
    restart();
  }

  /** A new operator process: nothing remembered, no call of the killed one reaches the server. */
  void restart() {
    api.operatorKilled(false);
    Namespaces namespaces = new Namespaces(operatorClient, clock);
    EventEmitter events =
        new EventEmitter(operatorClient, clock, "pass-harness", namespaces::sawTerminating);
    cache = new ServerSecretCache(operatorClient);
    deps =
        new ReconcileDeps(
            new ProviderRegistry(List.of(provider)),
            new ServerConnections(operatorClient),
            OPERATOR_NAMESPACE,
            new SecretStore(operatorClient, cache),
            new CredentialSecrets(operatorClient, clock),
            namespaces,
            events,
            TokenMetrics.noop(),
            new WorkloadRestarter(operatorClient, events),
            new RetryBook(),
            new CredentialGate(),
            new TriggerBook(),
            new WriteHolds(),
            new WarningThrottle(),
            new LivenessCache(),
            clock,
            ns -> false,
            tokenCheckInterval);
  }

  GrafanaServiceAccountToken token(String name, String url) {
    GrafanaServiceAccountToken r = Resources.grafanaToken(NS, name, url, 2);
    r.getMetadata().setFinalizers(new ArrayList<>(List.of(FINALIZER)));
    return r;
  }

  /**
   * A one-hour token on {@code url} with a 5-minute grace period, applied and issued: revocations
   * of it are owed, not left to expire.
   */
  void issuedWithGrace(String name, String url) {
    GrafanaServiceAccountToken r = token(name, url);
    r.getSpec().setSecondsToLive(3600L);
    r.getSpec().setRotation(Resources.rotation("20m", "5m"));
    apply(r);
    settle(name);
  }

  GrafanaServiceAccountToken apply(GrafanaServiceAccountToken r) {
    return client.resource(r).create();
  }

  GrafanaServiceAccountToken get(String name) {
    return client.resources(GrafanaServiceAccountToken.class).inNamespace(NS).withName(name).get();
  }

  GrafanaServiceAccountToken edit(
      String name, java.util.function.UnaryOperator<GrafanaServiceAccountToken> f) {
    return client
        .resources(GrafanaServiceAccountToken.class)
        .inNamespace(NS)
        .withName(name)
        .edit(f);
  }

  /**
   * One reconcile, as JOSDK would run it, and its status written. A kill inside the pass ends it
   * there: its status is never written and the next pass is another process.
   *
   * @return the outcome, or null when the pass was killed
   */
  Outcome pass(String name) {
    GrafanaServiceAccountToken r = get(name);
    Outcome o;
    try {
      o = new TokenPass(deps, r).run();
    } catch (MemoryTokenProvider.Killed killed) {
      restart();
      return null;
    }
    if (api.operatorKilled()) {
      restart();
      return null;
    }
    if (o.statusChanged()) {
      client
          .resources(GrafanaServiceAccountToken.class)
          .inNamespace(NS)
          .withName(name)
          .editStatus(
              x -> {
                x.setStatus(o.status());
                return x;
              });
    }
    return o;
  }

  /** Passes until one changes nothing (at most 5), as the events of a pass's own writes would. */
  Outcome settle(String name) {
    Outcome o = pass(name);
    for (int i = 0; i < 5 && o != null && o.statusChanged(); i++) {
      o = pass(name);
    }
    return o;
  }

  /** The finalizer's pass; removes the finalizer when it is done. */
  CleanupPass.Result cleanup(String name) {
    GrafanaServiceAccountToken r = get(name);
    CleanupPass.Result result;
    try {
      result = new CleanupPass(deps, r).run();
    } catch (MemoryTokenProvider.Killed killed) {
      restart();
      return null;
    }
    if (api.operatorKilled()) {
      restart();
      return null;
    }
    if (result.done()) {
      edit(
          name,
          x -> {
            x.getMetadata().setFinalizers(new ArrayList<>());
            return x;
          });
    } else if (result.status() != null) {
      client
          .resources(GrafanaServiceAccountToken.class)
          .inNamespace(NS)
          .withName(name)
          .editStatus(
              x -> {
                x.setStatus(result.status());
                return x;
              });
    }
    return result;
  }

  /** A Deployment "app" in the namespace, to name as a restart target. */
  void deployment() {
    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .resource(
            new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                .withNewMetadata()
                .withName("app")
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewMetadata()
                .endMetadata()
                .endTemplate()
                .endSpec()
                .build())
        .create();
  }

  /** The restart target naming the Deployment "app". */
  static io.grafanatokens.api.v1alpha1.RestartTarget app() {
    io.grafanatokens.api.v1alpha1.RestartTarget t =
        new io.grafanatokens.api.v1alpha1.RestartTarget();
    t.setKind("Deployment");
    t.setName("app");
    return t;
  }

  /** An issued resource gets the Deployment "app" as its restart target. */
  void withRestartTarget(String name) {
    deployment();
    edit(
        name,
        x -> {
          x.getSpec().setRestartTargets(List.of(app()));
          return x;
        });
    settle(name);
  }

  /** The Deployment's restartedAt annotation, null until the operator restarted it. */
  String restartedAt() {
    var d = client.apps().deployments().inNamespace(NS).withName("app").get();
    java.util.Map<String, String> a = d.getSpec().getTemplate().getMetadata().getAnnotations();
    return a == null ? null : a.get(WorkloadRestarter.RESTARTED_AT);
  }

  void advance(Duration d) {
    clock.advance(d);
  }

  Secret secret(String name) {
    return client.secrets().inNamespace(NS).withName(name).get();
  }

  static String tokenId(Secret s) {
    return s == null || s.getMetadata().getAnnotations() == null
        ? null
        : s.getMetadata().getAnnotations().get(SecretAnnotations.TOKEN_ID);
  }

  static String key(Secret s) {
    return new String(Base64.getDecoder().decode(s.getData().get("token")), StandardCharsets.UTF_8);
  }

  static String b64(String v) {
    return Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8));
  }

  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  /** The operator's cache keeps answering this copy of the Secret. */
  void cacheLagsBehind(Secret old) {
    cache.lagBehind(old);
  }

  ReconcileDeps deps() {
    return deps;
  }

  @Override
  public void close() {
    operatorClient.close();
    client.close();
    MockServers.destroy(server);
  }
}
