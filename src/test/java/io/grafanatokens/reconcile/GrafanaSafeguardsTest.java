package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.fakes.grafana.Operation;
import io.grafanatokens.status.StatusBuilder;
import io.grafanatokens.testing.EmbeddedCluster;
import io.grafanatokens.testing.Resources;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Limits that keep the operator from doing harm: re-issue rate, terminating namespaces. */
class GrafanaSafeguardsTest extends LifecycleTestBase {

  @Test
  void deletedSecretIsReissuedAtMostThreeTimesAnHour() {
    apply(token("churn"));
    awaitReady("churn", "Issued");
    for (int i = 0; i < 3; i++) {
      Secret s = secret("churn");
      client.resource(s).delete();
      awaitNewToken("churn", tokenId(s));
    }
    long creates = grafana.requestCount(Operation.CREATE_TOKEN);
    client.resource(secret("churn")).delete();
    awaitCondition("churn", StatusBuilder.ISSUING, "True", "SecretMissing");
    assertThat(secret("churn")).isNull();
    assertThat(grafana.requestCount(Operation.CREATE_TOKEN)).isEqualTo(creates);
    assertThat(events("SecretMissing")).hasSize(1);

    advance(Duration.ofHours(1));
    nudge("churn");
    awaitSecret("churn");
    assertThat(grafana.authenticates(key(secret("churn")))).isTrue();
  }

  @Test
  void finalizerGivesUpTwoMinutesAfterDeletionInATerminatingNamespace() {
    String ns = "doomed";
    cluster.namespaceWithGrafanaAdmin(ns);
    GrafanaServiceAccountToken r =
        Resources.grafanaToken(ns, "orphan", grafana.baseUrl(), serviceAccountId);
    client.resource(r).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> client.secrets().inNamespace(ns).withName("orphan").get() != null);
    String tokenId = tokenId(client.secrets().inNamespace(ns).withName("orphan").get());

    // the namespace goes, and its credentials with it
    Resources.markTerminating(client, ns);
    client.secrets().inNamespace(ns).withName(EmbeddedCluster.CREDENTIALS_SECRET).delete();
    // past the few seconds credential Secrets are shared for (CredentialSecrets.MAX_AGE)
    advance(Duration.ofSeconds(11));
    client.resources(GrafanaServiceAccountToken.class).inNamespace(ns).withName("orphan").delete();
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                client
                        .resources(GrafanaServiceAccountToken.class)
                        .inNamespace(ns)
                        .withName("orphan")
                        .get()
                    != null);

    advance(Duration.ofMinutes(3));
    client
        .resources(GrafanaServiceAccountToken.class)
        .inNamespace(ns)
        .withName("orphan")
        .edit(
            x -> {
              x.getMetadata()
                  .setAnnotations(
                      new java.util.HashMap<>(
                          java.util.Map.of("test.grafanatokens.io/nudge", "1")));
              return x;
            });
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                client
                        .resources(GrafanaServiceAccountToken.class)
                        .inNamespace(ns)
                        .withName("orphan")
                        .get()
                    == null);
    assertThat(logs.lines())
        .anyMatch(
            l -> l.contains(ns + "/orphan") && l.contains(tokenId) && l.contains("left to expire"));
  }

  @Test
  void noTokenIsIssuedInATerminatingNamespace() {
    String ns = "closing";
    cluster.namespaceWithGrafanaAdmin(ns);
    Resources.markTerminating(client, ns);
    client
        .resource(Resources.grafanaToken(ns, "late", grafana.baseUrl(), serviceAccountId))
        .create();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              GrafanaServiceAccountToken r =
                  client
                      .resources(GrafanaServiceAccountToken.class)
                      .inNamespace(ns)
                      .withName("late")
                      .get();
              return r.getStatus() != null
                  && r.getStatus().getConditions().stream()
                      .anyMatch(
                          c ->
                              StatusBuilder.ISSUING.equals(c.getType())
                                  && c.getMessage().contains("being deleted"));
            });
    assertThat(grafana.requestCount(Operation.CREATE_TOKEN)).isZero();
  }
}
