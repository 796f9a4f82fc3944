package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.fakes.grafana.Operation;
import io.grafanatokens.testing.Resources;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** docs/reference.md#delete and adoption of a retained Secret. */
class GrafanaDeletionTest extends LifecycleTestBase {

  @Test
  void aServiceAccountDeletedByAnAdminLeavesNothingToRevokeAndTheDeleteNeverRecreatesIt() {
    GrafanaServiceAccountToken r = token("created");
    io.grafanatokens.api.v1alpha1.ServiceAccountRef byName =
        new io.grafanatokens.api.v1alpha1.ServiceAccountRef();
    byName.setName("made-for-me");
    byName.setCreateIfMissing(true);
    r.getSpec().getGrafana().setServiceAccount(byName);
    apply(r);
    awaitReady("created", "Issued");
    long account =
        grafana.serviceAccounts(1).stream()
            .filter(a -> a.name().equals("made-for-me"))
            .findFirst()
            .orElseThrow()
            .id();
    assertThat(grafana.requestCount(Operation.CREATE_SA)).isEqualTo(1);
    grafana.deleteServiceAccountOutOfBand(account);

    client.resource(get("created")).delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> get("created") == null);
    assertThat(grafana.requestCount(Operation.CREATE_SA)).as("delete never creates").isEqualTo(1);
    assertThat(grafana.serviceAccounts(1)).noneMatch(a -> a.name().equals("made-for-me"));
    assertThat(secret("created")).isNull();
  }

  @Test
  void revokeRevokesCurrentAndPendingTokensAndRemovesTheSecret() {
    GrafanaServiceAccountToken r = token("bye");
    r.getSpec().setSecondsToLive(3600L);
    r.getSpec().setRotation(Resources.rotation("20m", "10m"));
    apply(r);
    awaitReady("bye", "Issued");
    Secret first = secret("bye");
    requestRotation("bye", "now");
    Secret second = awaitNewToken("bye", tokenId(first));
    awaitReady("bye", "Rotated");
    assertThat(liveTokens()).hasSize(2);

    client.resource(get("bye")).delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> get("bye") == null);
    assertThat(grafana.authenticates(key(first))).isFalse();
    assertThat(grafana.authenticates(key(second))).isFalse();
    assertThat(liveTokens()).isEmpty();
    assertThat(secret("bye")).isNull();
  }

  @Test
  void retainKeepsTheSecretAndARecreatedResourceAdoptsItsKey() {
    GrafanaServiceAccountToken r = token("keep");
    r.getSpec().setDeletionPolicy("Retain");
    r.getSpec().setTokenName("keep");
    apply(r);
    awaitReady("keep", "Issued");
    Secret kept = secret("keep");

    client.resource(get("keep")).delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> get("keep") == null);
    Secret left = secret("keep");
    assertThat(left).isNotNull();
    assertThat(left.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(grafana.authenticates(key(left))).isTrue();

    long creates = grafana.requestCount(Operation.CREATE_TOKEN);
    GrafanaServiceAccountToken again = token("keep");
    again.getSpec().setTokenName("keep");
    GrafanaServiceAccountToken recreated = apply(again);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                secret("keep").getMetadata().getOwnerReferences() != null
                    && !secret("keep").getMetadata().getOwnerReferences().isEmpty());
    assertThat(secret("keep").getMetadata().getOwnerReferences().get(0).getUid())
        .isEqualTo(recreated.getMetadata().getUid());
    assertThat(key(secret("keep"))).as("same shaping fields: the key is kept").isEqualTo(key(kept));
    assertThat(grafana.requestCount(Operation.CREATE_TOKEN)).isEqualTo(creates);
  }

  @Test
  void adoptedSecretWithOtherShapingFieldsGetsANewTokenAndTheOldOneIsLeftToExpire() {
    GrafanaServiceAccountToken r = token("adopt");
    r.getSpec().setDeletionPolicy("Retain");
    apply(r);
    awaitReady("adopt", "Issued");
    Secret kept = secret("adopt");
    client.resource(get("adopt")).delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> get("adopt") == null);

    GrafanaServiceAccountToken again = token("adopt");
    // another tokenName: a shaping field (the CRUD mock's uids share their first 8 characters, so
    // the name prefix is what tells the two resources' tokens apart here)
    again.getSpec().setTokenName("adopt-v2");
    apply(again);
    Secret fresh = awaitNewToken("adopt", tokenId(kept));
    assertThat(grafana.authenticates(key(fresh))).isTrue();
    assertThat(grafana.authenticates(key(kept))).as("not provably ours: left to expire").isTrue();
  }
}
