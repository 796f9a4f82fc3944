package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.secret.SecretAnnotations;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.EventSourceManager;
import io.javaoperatorsdk.operator.processing.event.source.informer.ManagedInformerEventSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the operator's caches hold of the objects a real API server returns: no server-side-apply
 * bookkeeping (metadata.managedFields, a tree of maps on every object), which no code reads and
 * which was most of the heap at 10,000 resources, while issue, rotation, key-edit detection and
 * conditional writes work as before.
 */
class CachedObjectsTest extends LifecycleTestBase {

  /** As a real server returns them: a client-side apply, the operator's writes, nested f: maps. */
  private static List<ManagedFieldsEntry> managedFields(String apiVersion, String writtenPart) {
    FieldsV1 applied = new FieldsV1();
    applied.setAdditionalProperty(
        "f:metadata",
        Map.of(
            "f:annotations",
            Map.of(".", Map.of(), "f:kubectl.kubernetes.io/last-applied-configuration", Map.of()),
            "f:labels",
            Map.of(".", Map.of(), "f:app.kubernetes.io/part-of", Map.of())));
    FieldsV1 written = new FieldsV1();
    written.setAdditionalProperty(
        writtenPart,
        Map.of(
            ".",
            Map.of(),
            "f:conditions",
            Map.of(
                ".",
                Map.of(),
                "k:{\"type\":\"Ready\"}",
                Map.of(
                    ".",
                    Map.of(),
                    "f:status",
                    Map.of(),
                    "f:type",
                    Map.of(),
                    "f:reason",
                    Map.of()))));
    return List.of(
        new ManagedFieldsEntryBuilder()
            .withManager("kubectl-client-side-apply")
            .withOperation("Update")
            .withApiVersion(apiVersion)
            .withTime("2026-12-01T10:00:00Z")
            .withFieldsType("FieldsV1")
            .withFieldsV1(applied)
            .build(),
        new ManagedFieldsEntryBuilder()
            .withManager("grafana-token-operator")
            .withOperation("Update")
            .withApiVersion(apiVersion)
            .withTime("2026-12-01T10:00:01Z")
            .withFieldsType("FieldsV1")
            .withFieldsV1(written)
            .build());
  }

  private <T extends HasMetadata> void addManagedFields(Class<T> kind, String name) {
    KubernetesClient kubectl = cluster.kubectl();
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(
            () -> {
              kubectl
                  .resources(kind)
                  .inNamespace(NS)
                  .withName(name)
                  .edit(
                      o -> {
                        o.getMetadata()
                            .setManagedFields(
                                managedFields(
                                    o.getApiVersion(),
                                    o instanceof Secret ? "f:data" : "f:status"));
                        return o;
                      });
              return true;
            });
  }

  private EventSourceManager<GrafanaServiceAccountToken> eventSources() {
    @SuppressWarnings("unchecked")
    Controller<GrafanaServiceAccountToken> c =
        (Controller<GrafanaServiceAccountToken>)
            cluster
                .runtime()
                .operator()
                .getRegisteredController(GrafanaServiceAccountTokenReconciler.NAME)
                .orElseThrow();
    return c.getEventSourceManager();
  }

  /** Every object the token controller caches: its tokens and its managed Secrets. */
  private List<HasMetadata> cached() {
    EventSourceManager<GrafanaServiceAccountToken> sources = eventSources();
    @SuppressWarnings("unchecked")
    ManagedInformerEventSource<Secret, GrafanaServiceAccountToken, ?> secrets =
        (ManagedInformerEventSource<Secret, GrafanaServiceAccountToken, ?>)
            sources.getEventSourcesFor(Secret.class).get(0);
    return java.util.stream.Stream.concat(
            sources.getControllerEventSource().list(x -> true), secrets.list(x -> true))
        .map(HasMetadata.class::cast)
        .toList();
  }

  private String serverResourceVersion(HasMetadata o) {
    return cluster
        .kubectl()
        .resources(o.getClass())
        .inNamespace(NS)
        .withName(o.getMetadata().getName())
        .get()
        .getMetadata()
        .getResourceVersion();
  }

  @Test
  void cachedTokensAndSecretsCarryNoManagedFieldsAndTheLifecycleIsUnchanged() {
    GrafanaServiceAccountToken applied = token("ci");
    applied.getMetadata().setManagedFields(managedFields(applied.getApiVersion(), "f:spec"));
    cluster.kubectl().resource(applied).create();
    awaitReady("ci", "Issued");
    String secretName = "ci";
    addManagedFields(Secret.class, secretName);
    addManagedFields(GrafanaServiceAccountToken.class, "ci");
    assertThat(
            cluster
                .kubectl()
                .secrets()
                .inNamespace(NS)
                .withName(secretName)
                .get()
                .getMetadata()
                .getManagedFields())
        .as("the API server (the CRUD mock) keeps what it was sent, as a real one records it")
        .hasSize(2);

    // the caches caught up with the server, and hold no managedFields
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(cached())
                    .hasSize(2)
                    .allSatisfy(
                        o -> {
                          assertThat(o.getMetadata().getResourceVersion())
                              .as(o.getKind() + " as the server has it now")
                              .isEqualTo(serverResourceVersion(o));
                          assertThat(o.getMetadata().getManagedFields())
                              .as(o.getKind() + " managedFields in the cache")
                              .isNullOrEmpty();
                        }));

    // a rotation: conditional Secret write on the cached resourceVersion, status write
    String first = tokenId(secret(secretName));
    edit(
        "ci",
        x -> {
          x.getMetadata().getAnnotations().put("grafanatokens.io/rotate", "1");
          return x;
        });
    awaitReady("ci", "Rotated");
    Secret rotated = awaitNewToken(secretName, first);
    assertThat(key(rotated)).isNotBlank();

    // a hand-edited key is noticed through the cached Secret's data and annotation
    addManagedFields(Secret.class, secretName);
    cluster
        .kubectl()
        .secrets()
        .inNamespace(NS)
        .withName(secretName)
        .edit(
            s -> {
              s.getData()
                  .put("token", java.util.Base64.getEncoder().encodeToString("x".getBytes()));
              return s;
            });
    Secret reissued = awaitNewToken(secretName, tokenId(rotated));
    assertThat(reissued.getMetadata().getAnnotations()).containsKey(SecretAnnotations.KEY_SHA256);
  }
}
