package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.SecretTemplate;
import io.grafanatokens.fakes.grafana.Operation;
import io.grafanatokens.secret.SecretAnnotations;
import io.grafanatokens.status.StatusBuilder;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/reference.md#when-a-new-token-is-issued and the changes that must not issue one. */
class GrafanaTriggersTest extends LifecycleTestBase {

  private Secret issued(String name) {
    apply(token(name));
    awaitReady(name, "Issued");
    return secret(name);
  }

  @Test
  void deletedSecretIsReissuedAndTheLostTokenKeepsItsGraceThenIsRevoked() {
    Secret first = issued("gone");
    String firstKey = key(first);
    client.resource(first).delete();
    Secret second = awaitNewToken("gone", tokenId(first));
    awaitReady("gone", "Rotated");
    assertThat(grafana.authenticates(key(second))).isTrue();
    assertThat(grafana.authenticates(firstKey))
        .as("a pod that read the deleted Secret keeps its grace")
        .isTrue();
    assertThat(get("gone").getStatus().getPendingRevocations())
        .extracting(p -> p.getTokenId())
        .containsExactly(tokenId(first));

    advance(Duration.ofMinutes(10));
    nudge("gone");
    await().atMost(Duration.ofSeconds(20)).until(() -> !grafana.authenticates(firstKey));
    assertThat(liveTokens()).hasSize(1);
  }

  @Test
  void editedKeyIsReplaced() {
    Secret first = issued("edited");
    client
        .secrets()
        .inNamespace(NS)
        .withName("edited")
        .edit(
            s -> {
              s.getData().put("token", Base64.getEncoder().encodeToString("not-a-key".getBytes()));
              return s;
            });
    Secret second = awaitNewToken("edited", tokenId(first));
    assertThat(grafana.authenticates(key(second))).isTrue();
    GrafanaServiceAccountToken r = awaitReady("edited", "Rotated");
    assertThat(r.getStatus().getPendingRevocations())
        .extracting(p -> p.getTokenId())
        .containsExactly(tokenId(first));
  }

  @Test
  void rotateAnnotationRotatesOncePerValue() {
    GrafanaServiceAccountToken r = token("on-demand");
    r.getMetadata()
        .setAnnotations(new HashMap<>(Map.of(SecretAnnotations.ROTATE, "before-create")));
    apply(r);
    awaitReady("on-demand", "Issued");
    Secret first = secret("on-demand");
    assertThat(first.getMetadata().getAnnotations())
        .containsEntry(SecretAnnotations.ROTATE_REQUEST, "before-create");

    edit(
        "on-demand",
        x -> {
          x.getMetadata().getAnnotations().put(SecretAnnotations.ROTATE, "2026-12-01");
          return x;
        });
    Secret second = awaitNewToken("on-demand", tokenId(first));
    GrafanaServiceAccountToken rotated = awaitReady("on-demand", "Rotated");
    assertThat(rotated.getStatus().getLastRotateRequest()).isEqualTo("2026-12-01");
    nudge("on-demand");
    await()
        .during(Duration.ofMillis(700))
        .atMost(Duration.ofSeconds(5))
        .until(() -> tokenId(second).equals(tokenId(secret("on-demand"))));
  }

  @Test
  void shapingFieldChangeIssuesNewToken() {
    Secret first = issued("shape");
    edit(
        "shape",
        x -> {
          x.getSpec().setSecondsToLive(7200L);
          return x;
        });
    Secret second = awaitNewToken("shape", tokenId(first));
    assertThat(grafana.token(Long.parseLong(tokenId(second))).orElseThrow().expires())
        .isEqualTo(
            grafana
                .token(Long.parseLong(tokenId(second)))
                .orElseThrow()
                .created()
                .plusSeconds(7200));
  }

  @Test
  void secretMetadataKeyAndUrlKeyChangesPatchTheSecretWithoutANewToken() {
    Secret first = issued("meta");
    String id = tokenId(first);
    long creates = grafana.requestCount(Operation.CREATE_TOKEN);
    edit(
        "meta",
        x -> {
          SecretTemplate t = new SecretTemplate();
          t.setKey("grafana-token");
          t.setUrlKey("url");
          t.setLabels(Map.of("team", "a"));
          t.setAnnotations(Map.of("note", "hello"));
          x.getSpec().setSecret(t);
          return x;
        });
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                key(secret("meta"), "grafana-token") != null
                    && secret("meta").getMetadata().getLabels().containsKey("team"));
    Secret patched = secret("meta");
    assertThat(tokenId(patched)).isEqualTo(id);
    assertThat(key(patched, "grafana-token")).isEqualTo(key(first));
    assertThat(patched.getData()).doesNotContainKey("token");
    assertThat(key(patched, "url")).isEqualTo(grafana.baseUrl());
    assertThat(patched.getMetadata().getAnnotations()).containsEntry("note", "hello");

    edit(
        "meta",
        x -> {
          x.getSpec().getSecret().setLabels(null);
          x.getSpec().getSecret().setAnnotations(null);
          return x;
        });
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !secret("meta").getMetadata().getLabels().containsKey("team"));
    assertThat(secret("meta").getMetadata().getAnnotations()).doesNotContainKey("note");
    assertThat(grafana.requestCount(Operation.CREATE_TOKEN)).isEqualTo(creates);
  }

  @Test
  void othersDataAndMetadataOnTheSecretAreKept() {
    Secret first = issued("shared");
    client
        .secrets()
        .inNamespace(NS)
        .withName("shared")
        .edit(
            s -> {
              s.getData().put("extra", Base64.getEncoder().encodeToString("x".getBytes()));
              s.getMetadata().getLabels().put("someone-else", "yes");
              return s;
            });
    nudge("shared");
    advance(Duration.ofHours(24));
    nudge("shared");
    Secret second = awaitNewToken("shared", tokenId(first));
    assertThat(second.getData()).containsKey("extra");
    assertThat(second.getMetadata().getLabels()).containsEntry("someone-else", "yes");
  }

  @Test
  void secretNameChangeMovesTheCurrentKey() {
    Secret first = issued("moving");
    long creates = grafana.requestCount(Operation.CREATE_TOKEN);
    edit(
        "moving",
        x -> {
          SecretTemplate t = new SecretTemplate();
          t.setName("moved");
          x.getSpec().setSecret(t);
          return x;
        });
    Secret moved = awaitSecret("moved");
    assertThat(key(moved)).isEqualTo(key(first));
    assertThat(tokenId(moved)).isEqualTo(tokenId(first));
    await().atMost(Duration.ofSeconds(20)).until(() -> secret("moving") == null);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "moved".equals(get("moving").getStatus().getSecretName()));
    assertThat(grafana.requestCount(Operation.CREATE_TOKEN)).isEqualTo(creates);
  }

  @Test
  void foreignSecretIsNeverOverwritten() {
    client
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("taken")
                .withNamespace(NS)
                .endMetadata()
                .addToData("token", Base64.getEncoder().encodeToString("theirs".getBytes()))
                .build())
        .create();
    apply(token("taken"));
    awaitCondition("taken", StatusBuilder.READY, "False", "SecretConflict");
    assertThat(key(secret("taken"))).isEqualTo("theirs");
    assertThat(grafana.requestCount(Operation.CREATE_TOKEN)).isZero();
    assertThat(events("SecretConflict")).hasSize(1);
  }

  @Test
  void renewBeforeChangeOnlyMovesRenewalTime() {
    GrafanaServiceAccountToken r = token("timing");
    r.getSpec().setSecondsToLive(3600L);
    apply(r);
    GrafanaServiceAccountToken ready = awaitReady("timing", "Issued");
    String before = ready.getStatus().getRenewalTime();
    String id = tokenId(secret("timing"));
    edit(
        "timing",
        x -> {
          x.getSpec().setRotation(io.grafanatokens.testing.Resources.rotation("30m", null));
          return x;
        });
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !before.equals(get("timing").getStatus().getRenewalTime()));
    assertThat(tokenId(secret("timing"))).isEqualTo(id);
  }
}
