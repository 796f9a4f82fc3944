package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.fakes.yandex.AuthorizedKeyFile;
import io.grafanatokens.fakes.yandex.YandexOperation;
import io.grafanatokens.provider.yandex.YandexSpecs;
import io.grafanatokens.status.StatusBuilder;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each spec.yandexCloud.auth option end to end, and docs/reference.md#ambient-credentials: workload
 * identity and the metadata service only in AMBIENT_CREDENTIALS_NAMESPACES (here team-a).
 */
class YandexAuthOptionsTest extends YandexEndToEndBaseTest {
  static final String VM_ACCOUNT = "ajevmnodegroup000000";

  @Test
  void workloadIdentityExchangesThePodsKubernetesToken() throws Exception {
    Files.writeString(workloadTokenFile, "projected-k8s-jwt");
    iam.federateKubernetesToken("projected-k8s-jwt", OPERATOR);
    apply(YandexSpecs.resource(NS, "wlif", YandexSpecs.workloadIdentity(TARGET, OPERATOR)));
    awaitReady("wlif", "Issued");
    assertThat(iam.authenticates(key(secret("wlif")))).isTrue();
    assertThat(iam.requestCount(YandexOperation.TOKEN_EXCHANGE)).isEqualTo(1);
    assertThat(iam.requestCount(YandexOperation.CREATE_TOKEN)).isZero();
  }

  @Test
  void theMetadataServiceActsAsTheNodesServiceAccount() {
    iam.addServiceAccount(VM_ACCOUNT)
        .attachToMetadataService(VM_ACCOUNT)
        .grantTokenCreator(VM_ACCOUNT, TARGET);
    apply(YandexSpecs.resource(NS, "vm", YandexSpecs.metadataService(TARGET)));
    awaitReady("vm", "Issued");
    assertThat(iam.authenticates(key(secret("vm")))).isTrue();
    assertThat(iam.requestCount(YandexOperation.METADATA_TOKEN)).isEqualTo(1);
  }

  @Test
  void ambientOptionsAreNotPermittedOutsideTheListedNamespacesAndCallNothing() throws Exception {
    Files.writeString(workloadTokenFile, "projected-k8s-jwt");
    iam.federateKubernetesToken("projected-k8s-jwt", OPERATOR);
    iam.addServiceAccount(VM_ACCOUNT)
        .attachToMetadataService(VM_ACCOUNT)
        .grantTokenCreator(VM_ACCOUNT, TARGET);
    namespace(OTHER_NS);
    iam.resetCounters();
    client
        .resource(
            YandexSpecs.resource(OTHER_NS, "wlif", YandexSpecs.workloadIdentity(TARGET, OPERATOR)))
        .create();
    client
        .resource(YandexSpecs.resource(OTHER_NS, "vm", YandexSpecs.metadataService(TARGET)))
        .create();

    for (String name : new String[] {"wlif", "vm"}) {
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(readyIn(OTHER_NS, name))
                      .hasValueSatisfying(
                          c ->
                              assertThat(c.getStatus() + "/" + c.getReason())
                                  .isEqualTo("False/NotPermitted")));
      assertThat(readyIn(OTHER_NS, name).get().getMessage())
          .contains("AMBIENT_CREDENTIALS_NAMESPACES");
    }
    assertThat(iam.totalRequests()).as("no request to any Yandex endpoint").isZero();
    assertThat(client.secrets().inNamespace(OTHER_NS).withName("wlif").get()).isNull();
  }

  @Test
  void anAuthorizedKeyWorksInAnyNamespace() {
    namespace(OTHER_NS);
    iam.addServiceAccount("ajeteambreader000000").grantTokenCreator("ajeteambreader000000", TARGET);
    AuthorizedKeyFile teamB = iam.createAuthorizedKey("ajeteambreader000000");
    keySecret(OTHER_NS, "team-b-key", teamB);
    client
        .resource(
            YandexSpecs.resource(OTHER_NS, "prom", YandexSpecs.authorizedKey(TARGET, "team-b-key")))
        .create();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(readyIn(OTHER_NS, "prom"))
                    .hasValueSatisfying(
                        c ->
                            assertThat(c.getStatus() + "/" + c.getReason())
                                .isEqualTo("True/Issued")));
  }

  @Test
  void aRejectedAmbientIdentityIsRetriedOnceTheFederationIsFixed() throws Exception {
    Files.writeString(workloadTokenFile, "projected-k8s-jwt");
    apply(YandexSpecs.resource(NS, "late", YandexSpecs.workloadIdentity(TARGET, OPERATOR)));
    awaitCondition("late", StatusBuilder.READY, "False", "CredentialsRejected");
    assertThat(condition("late", StatusBuilder.READY).get().getMessage())
        .contains("federated credential");

    // no credentials Secret can change here: the federation is fixed outside Kubernetes
    iam.federateKubernetesToken("projected-k8s-jwt", OPERATOR);
    advance(Duration.ofMinutes(1).plusSeconds(1));
    nudge("late");
    awaitReady("late", "Issued");
  }

  private Optional<Condition> readyIn(String namespace, String name) {
    GrafanaServiceAccountToken r =
        client
            .resources(GrafanaServiceAccountToken.class)
            .inNamespace(namespace)
            .withName(name)
            .get();
    if (r == null || r.getStatus() == null || r.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return r.getStatus().getConditions().stream()
        .filter(c -> StatusBuilder.READY.equals(c.getType()))
        .findFirst();
  }
}
