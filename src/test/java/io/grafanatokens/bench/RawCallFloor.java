package io.grafanatokens.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenStatus;
import io.grafanatokens.testing.Resources;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * The raw-call floor: what a plain client needs for the same outcome at the same concurrency — per
 * resource one token create at Grafana, one Secret create and one status write — against the same
 * servers. The resources themselves are created first and not timed: the operator's figure does not
 * time them either (they are the input).
 */
final class RawCallFloor {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final String grafanaUrl;
  private final String adminToken;
  private final long serviceAccountId;
  private final long lifetimeSeconds;
  private final int concurrency;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  RawCallFloor(
      KubernetesClient client,
      String grafanaUrl,
      String adminToken,
      long serviceAccountId,
      long lifetimeSeconds,
      int concurrency) {
    this.client = client;
    this.grafanaUrl = grafanaUrl;
    this.adminToken = adminToken;
    this.serviceAccountId = serviceAccountId;
    this.lifetimeSeconds = lifetimeSeconds;
    this.concurrency = concurrency;
  }

  /** Creates n fresh resources (not timed). */
  List<GrafanaServiceAccountToken> prepare(String namespace, int n) throws Exception {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    return parallel(
        n,
        i ->
            client
                .resource(
                    Resources.grafanaToken(
                        namespace, String.format("floor-%05d", i), grafanaUrl, serviceAccountId))
                .create());
  }

  /** The timed part: token, Secret and status for each resource; returns its wall time. */
  Duration issueAll(List<GrafanaServiceAccountToken> resources) throws Exception {
    Instant start = Instant.now();
    parallel(
        resources.size(),
        i -> {
          issue(resources.get(i));
          return null;
        });
    return Duration.between(start, Instant.now());
  }

  /**
   * Removes what {@link #prepare} and {@link #issueAll} made, so the operator started next never
   * sees it.
   */
  void delete(String namespace) {
    client.secrets().inNamespace(namespace).delete();
    client.resources(GrafanaServiceAccountToken.class).inNamespace(namespace).delete();
    client.namespaces().withName(namespace).delete();
  }

  private void issue(GrafanaServiceAccountToken r) {
    String name = r.getMetadata().getName();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    // the CRUD mock's uids share their first 8 characters: the namespace keeps names apart across
    // passes
    JsonNode token =
        createToken(
            r.getMetadata().getNamespace()
                + "-"
                + name
                + "-"
                + r.getMetadata().getUid().substring(0, 8)
                + "-1");
    String id = token.get("id").asText();
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(r.getMetadata().getNamespace())
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion(r.getApiVersion())
                    .withKind(r.getKind())
                    .withName(name)
                    .withUid(r.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build())
            .withLabels(Map.of("bench", "raw-call-floor"))
            .withAnnotations(
                Map.of(
                    "grafanatokens.io/token-id",
                    id,
                    "grafanatokens.io/token-name",
                    token.get("name").asText(),
                    "grafanatokens.io/issued-at",
                    now.toString(),
                    "grafanatokens.io/expires-at",
                    now.plusSeconds(lifetimeSeconds).toString()))
            .endMetadata()
            .withType("Opaque")
            .addToData(
                "token",
                Base64.getEncoder()
                    .encodeToString(token.get("key").asText().getBytes(StandardCharsets.UTF_8)))
            .build();
    client.resource(secret).create();
    GrafanaServiceAccountTokenStatus s = new GrafanaServiceAccountTokenStatus();
    s.setObservedGeneration(r.getMetadata().getGeneration());
    s.setConditions(
        new ArrayList<>(
            List.of(
                new ConditionBuilder()
                    .withType("Ready")
                    .withStatus("True")
                    .withReason("Issued")
                    .withMessage("Secret " + name + " holds token " + id)
                    .withObservedGeneration(r.getMetadata().getGeneration())
                    .withLastTransitionTime(now.toString())
                    .build(),
                new ConditionBuilder()
                    .withType("Issuing")
                    .withStatus("False")
                    .withReason("Idle")
                    .withMessage("")
                    .withObservedGeneration(r.getMetadata().getGeneration())
                    .withLastTransitionTime(now.toString())
                    .build())));
    s.setProvider("grafana");
    s.setServiceAccountId(Long.toString(serviceAccountId));
    s.setTokenId(id);
    s.setTokenName(token.get("name").asText());
    s.setSecretName(name);
    s.setIssuedAt(now.toString());
    s.setExpiresAt(now.plusSeconds(lifetimeSeconds).toString());
    s.setRenewalTime(now.plusSeconds(lifetimeSeconds * 2 / 3).toString());
    s.setRotationCount(1L);
    r.setStatus(s);
    client.resource(r).updateStatus();
  }

  private JsonNode createToken(String name) {
    try {
      String body = JSON.writeValueAsString(Map.of("name", name, "secondsToLive", lifetimeSeconds));
      HttpRequest req =
          HttpRequest.newBuilder(
                  URI.create(grafanaUrl + "/api/serviceaccounts/" + serviceAccountId + "/tokens"))
              .header("Authorization", "Bearer " + adminToken)
              .header("Content-Type", "application/json")
              .timeout(Duration.ofSeconds(30))
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() != 200) {
        throw new IllegalStateException(
            "token create answered " + resp.statusCode() + ": " + resp.body());
      }
      return JSON.readTree(resp.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs task(0..n-1) with {@code concurrency} in flight; results in index order. */
  <T> List<T> parallel(int n, IntFunction<T> task) throws Exception {
    return parallel(n, concurrency, task);
  }

  static <T> List<T> parallel(int n, int concurrency, IntFunction<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<T>> futures = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(pool.submit(() -> task.apply(index)));
      }
      List<T> out = new ArrayList<>(n);
      for (Future<T> f : futures) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
