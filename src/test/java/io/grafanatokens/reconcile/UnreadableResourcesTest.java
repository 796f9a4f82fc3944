package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.grafanatokens.status.StatusBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A resource carrying a field this build does not know (a CRD upgraded before the Deployment) or
 * one it cannot read at all never stops the operator; the first is reconciled as if the field were
 * absent, the second is refused on its own status.
 */
class UnreadableResourcesTest extends LifecycleTestBase {

  private void applyRaw(String name, String specJson) {
    GenericKubernetesResource r =
        Serialization.unmarshal(
            "{\"apiVersion\":\"grafanatokens.io/v1alpha1\","
                + "\"kind\":\"GrafanaServiceAccountToken\",\"metadata\":{\"name\":\""
                + name
                + "\",\"namespace\":\""
                + NS
                + "\"},\"spec\":"
                + specJson
                + "}",
            GenericKubernetesResource.class);
    client
        .genericKubernetesResources(
            new ResourceDefinitionContext.Builder()
                .withGroup("grafanatokens.io")
                .withVersion("v1alpha1")
                .withKind("GrafanaServiceAccountToken")
                .withPlural("grafanaserviceaccounttokens")
                .withNamespaced(true)
                .build())
        .inNamespace(NS)
        .resource(r)
        .create();
  }

  private String grafanaBlock() {
    return "\"grafana\":{\"url\":\""
        + grafana.baseUrl()
        + "\",\"credentialsSecretRef\":{\"name\":\"grafana-admin\"},"
        + "\"serviceAccount\":{\"id\":"
        + serviceAccountId
        + ",\"aFieldFromTheFuture\":true}}";
  }

  @Test
  void unknownFieldsAreIgnoredAndAnUnreadableResourceIsRefusedOnItsOwnWithoutStoppingTheOperator() {
    applyRaw(
        "future",
        "{"
            + grafanaBlock()
            + ",\"connectionRefFromTheFuture\":{\"name\":\"x\"},\"tokenName\":\"future\"}");
    applyRaw(
        "broken", "{" + grafanaBlock() + ",\"secondsToLive\":\"soon\",\"tokenName\":\"broken\"}");
    apply(token("fine"));

    awaitReady("fine", "Issued");
    awaitReady("future", "Issued");
    awaitCondition("broken", StatusBuilder.READY, "False", "InvalidSpec");
    assertThat(condition("broken", StatusBuilder.READY).get().getMessage())
        .contains("spec.secondsToLive");
    assertThat(liveTokens()).hasSize(2);
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> cluster.runtime().ready());
    assertThat(events("InvalidSpec"))
        .anySatisfy(e -> assertThat(e.getRegarding().getName()).isEqualTo("broken"));
  }
}
