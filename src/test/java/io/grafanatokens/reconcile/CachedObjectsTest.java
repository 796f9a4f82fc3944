package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Secret;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.secret.SecretAnnotations;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.EventSourceManager;
import io.javaoperatorsdk.operator.processing.event.source.informer.ManagedInformerEventSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the operator's caches hold of the objects a real API server returns: no server-side-apply
 * bookkeeping (metadata.managedFields, a tree of maps on every object), which no code reads and
 * which was most of the heap at 10,000 resources, while issue, rotation, key-edit detection and
 * conditional writes work as before.
 */
class CachedObjectsTest extends LifecycleTestBase {

  @BeforeEach
  void serverRecordsManagedFields() {
    cluster.api().recordManagedFields(clock);
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
    return Stream.concat(
            sources.getControllerEventSource().list(x -> true), secrets.list(x -> true))
        .map(HasMetadata.class::cast)
        .toList();
  }

  /** The object as the server holds it, every field read (kubectl's view). */
  private HasMetadata onServer(HasMetadata o) {
    return cluster
        .kubectl()
        .resources(o.getClass())
        .inNamespace(NS)
        .withName(o.getMetadata().getName())
        .get();
  }

  private void assertCachesAreCurrentAndHoldNoManagedFields() {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(cached())
                    .hasSize(2)
                    .allSatisfy(
                        o -> {
                          HasMetadata server = onServer(o);
                          assertThat(o.getMetadata().getResourceVersion())
                              .as(o.getKind() + " as the server has it now")
                              .isEqualTo(server.getMetadata().getResourceVersion());
                          assertThat(server.getMetadata().getManagedFields())
                              .as(o.getKind() + " on the server")
                              .isNotEmpty();
                          assertThat(o.getMetadata().getManagedFields())
                              .as(o.getKind() + " in the cache")
                              .isNullOrEmpty();
                        }));
  }

  @Test
  void cachedTokensAndSecretsCarryNoManagedFieldsAndTheLifecycleIsUnchanged() {
    apply(token("ci"));
    awaitReady("ci", "Issued");
    assertThat(secret("ci").getMetadata().getManagedFields())
        .as("what the operator's client reads of the Secret")
        .isNullOrEmpty();
    List<ManagedFieldsEntry> recorded = onServer(secret("ci")).getMetadata().getManagedFields();
    assertThat(recorded)
        .as("the server recorded the operator as the Secret's manager, with nested f: maps")
        .anySatisfy(
            e -> {
              assertThat(e.getManager()).isEqualTo("grafana-token-operator");
              assertThat(e.getFieldsV1().getAdditionalProperties()).containsKeys("f:data");
            });
    assertCachesAreCurrentAndHoldNoManagedFields();

    // a rotation: the Secret's update is conditional on the cached resourceVersion
    String first = tokenId(secret("ci"));
    requestRotation("ci", "1");
    awaitReady("ci", "Rotated");
    Secret rotated = awaitNewToken("ci", first);
    assertCachesAreCurrentAndHoldNoManagedFields();

    // a hand-edited key is noticed from the cached Secret's data and key-sha256 annotation
    client
        .secrets()
        .inNamespace(NS)
        .withName("ci")
        .edit(
            s -> {
              s.getData()
                  .put(
                      "token",
                      Base64.getEncoder().encodeToString("x".getBytes(StandardCharsets.UTF_8)));
              return s;
            });
    Secret reissued = awaitNewToken("ci", tokenId(rotated));
    assertThat(reissued.getMetadata().getAnnotations()).containsKey(SecretAnnotations.KEY_SHA256);
    assertCachesAreCurrentAndHoldNoManagedFields();
  }
}
