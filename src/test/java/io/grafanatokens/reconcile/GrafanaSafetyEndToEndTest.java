package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.RestartTarget;
import io.grafanatokens.api.v1alpha1.SecretTemplate;
import io.grafanatokens.fakes.grafana.FakeGrafana;
import io.grafanatokens.fakes.grafana.Fault;
import io.grafanatokens.fakes.grafana.Operation;
import io.grafanatokens.status.StatusBuilder;
import io.grafanatokens.testing.ApiServerDispatcher;
import io.grafanatokens.testing.ApiServerDispatcher.FaultMode;
import io.grafanatokens.testing.Resources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rotation promise end to end (the failures it must never cause), with the real wiring: the
 * operator, the CRUD mock and the fake Grafana. The fast tier (RotationSafetyTest) proves each rule
 * pass by pass; these prove the operator as users run it keeps them.
 */
class GrafanaSafetyEndToEndTest extends LifecycleTestBase {

  @Override
  protected Map<String, String> env() {
    Map<String, String> env = super.env();
    env.put("TOKEN_CHECK_INTERVAL", "10m");
    return env;
  }

  private GrafanaServiceAccountToken shortLived(String name) {
    GrafanaServiceAccountToken r = token(name);
    r.getSpec().setSecondsToLive(3600L);
    r.getSpec().setRotation(Resources.rotation("20m", "5m"));
    return r;
  }

  @Test
  void aPendingIdIsNeverRevokedAtTheGrafanaTheUrlMovedTo() {
    apply(shortLived("mover"));
    awaitReady("mover", "Issued");
    String first = tokenId(secret("mover"));
    requestRotation("mover", "1");
    awaitNewToken("mover", first);
    awaitReady("mover", "Rotated");

    try (FakeGrafana other = FakeGrafana.builder().clock(clock).start()) {
      long account = other.createServiceAccount(1, "ci-bot", "Viewer");
      // Grafana B numbers its own tokens: its token with the pending id belongs to another tool
      String theirs = "";
      for (int i = 0; i < Integer.parseInt(first); i++) {
        theirs = other.mintToken(account, "other-tool-" + i, 0);
      }
      client
          .secrets()
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("grafana-b")
                  .withNamespace(NS)
                  .endMetadata()
                  .addToStringData("token", other.mintAdminToken(1))
                  .build())
          .create();
      edit(
          "mover",
          x -> {
            x.getSpec().getGrafana().setUrl(other.baseUrl());
            x.getSpec().getGrafana().getServiceAccount().setId(account);
            x.getSpec().getGrafana().getCredentialsSecretRef().setName("grafana-b");
            return x;
          });
      await().atMost(Duration.ofSeconds(20)).until(() -> other.authenticates(key(secret("mover"))));

      advance(Duration.ofMinutes(6));
      nudge("mover");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> get("mover").getStatus().getPendingRevocations() == null);
      assertThat(other.authenticates(theirs)).as("another tool's token at Grafana B").isTrue();
      assertThat(other.requestCount(Operation.DELETE_TOKEN)).isZero();
      assertThat(events("TokenLeftToExpire")).isNotEmpty();
    }
  }

  @Test
  void aRestartThatFailedAfterTheSwapIsRedoneBeforeThePreviousKeyIsRevoked() {
    client.apps().deployments().inNamespace(NS).resource(Resources.deployment(NS, "app")).create();
    GrafanaServiceAccountToken r = shortLived("envvar");
    RestartTarget t = Resources.restartTarget("Deployment", "app");
    r.getSpec().setRestartTargets(List.of(t));
    apply(r);
    awaitReady("envvar", "Issued");
    Secret first = secret("envvar");
    cluster
        .api()
        .failNext(
            ApiServerDispatcher.on("patch", "deployments"),
            FaultMode.REFUSE,
            500,
            "etcd timeout",
            2);
    requestRotation("envvar", "1");
    awaitNewToken("envvar", tokenId(first));

    advance(Duration.ofMinutes(6));
    nudge("envvar");
    await().atMost(Duration.ofSeconds(20)).until(() -> restartedAt() != null);
    assertThat(grafana.authenticates(key(first)))
        .as("revoked only a grace period after the restart")
        .isTrue();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> tokenId(secret("envvar")).equals(get("envvar").getStatus().getRestartedFor()));
    advance(Duration.ofMinutes(5));
    nudge("envvar");
    await().atMost(Duration.ofSeconds(20)).until(() -> !grafana.authenticates(key(first)));
  }

  private String restartedAt() {
    var a =
        client
            .apps()
            .deployments()
            .inNamespace(NS)
            .withName("app")
            .get()
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations();
    return a == null ? null : a.get("grafanatokens.io/restartedAt");
  }

  @Test
  void anInvalidSecretLabelIsAnInvalidSpecAndNoTokenIsMinted() {
    GrafanaServiceAccountToken r = token("label");
    SecretTemplate st = new SecretTemplate();
    st.setLabels(Map.of("owner", "team a"));
    r.getSpec().setSecret(st);
    apply(r);
    awaitCondition("label", StatusBuilder.READY, "False", "InvalidSpec");
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> grafana.requestCount(Operation.CREATE_TOKEN) == 0);
  }

  @Test
  void aTokenFoundGoneIsReportedNotReadyUntilAReplacementIsIssued() {
    apply(shortLived("dead"));
    awaitReady("dead", "Issued");
    grafana.deleteTokenOutOfBand(Long.parseLong(tokenId(secret("dead"))));
    grafana.failNext(Operation.CREATE_TOKEN, Fault.HTTP_500, 2);
    advance(Duration.ofMinutes(10));
    nudge("dead");
    awaitCondition("dead", StatusBuilder.READY, "False", "TokenGone");
    advance(Duration.ofSeconds(3));
    nudge("dead");
    await()
        .during(Duration.ofMillis(700))
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                condition("dead", StatusBuilder.READY)
                    .map(c -> "TokenGone".equals(c.getReason()))
                    .orElse(false));
    advance(Duration.ofSeconds(10));
    nudge("dead");
    awaitReady("dead", "Rotated");
    assertThat(grafana.authenticates(key(secret("dead")))).isTrue();
  }
}
