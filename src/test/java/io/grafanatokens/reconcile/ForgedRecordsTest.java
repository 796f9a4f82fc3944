package io.grafanatokens.reconcile;

import static io.grafanatokens.reconcile.PassHarness.GRAFANA_A;
import static io.grafanatokens.reconcile.PassHarness.NS;
import static io.grafanatokens.reconcile.PassHarness.key;
import static io.grafanatokens.reconcile.PassHarness.tokenId;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.fakes.memory.MemoryTokenProvider;
import io.grafanatokens.fakes.memory.MemoryTokenProvider.Op;
import io.grafanatokens.secret.SecretAnnotations;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Secret is writable by anyone who may edit Secrets in its namespace: what it records must never
 * make the operator delete a token that is not this resource's
 * (docs/reference.md#which-tokens-may-be-deleted). The held-by-other-Secrets check alone does not
 * save a token that no Secret holds; the name the provider lists it under does.
 */
class ForgedRecordsTest {
  private final PassHarness h = new PassHarness();

  @AfterEach
  void close() {
    h.close();
  }

  private void issued(String name) {
    h.issuedWithGrace(name, GRAFANA_A);
  }

  /**
   * A tenant adds an entry that is due now, copying the Secret's own target so that it passes for
   * one of ours.
   */
  private void forgePendingEntry(String name, String tokenId, String serviceAccountId) {
    h.client
        .secrets()
        .inNamespace(NS)
        .withName(name)
        .edit(
            s -> {
              String target = s.getMetadata().getAnnotations().get(SecretAnnotations.TARGET_HASH);
              s.getMetadata()
                  .getAnnotations()
                  .put(
                      SecretAnnotations.PENDING_REVOCATIONS,
                      "[{\"tokenId\":\""
                          + tokenId
                          + "\",\"serviceAccountId\":\""
                          + serviceAccountId
                          + "\",\"target\":\""
                          + target
                          + "\",\"revokeAt\":\""
                          + h.now()
                          + "\"}]");
              return s;
            });
  }

  private List<String> leftToExpireWarnings() {
    return h.client.events().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> "TokenLeftToExpire".equals(e.getReason()))
        .map(Event::getNote)
        .toList();
  }

  private List<String> revoked() {
    return h.provider.calls().stream()
        .filter(c -> c.op() == Op.REVOKE)
        .map(MemoryTokenProvider.Call::token)
        .toList();
  }

  private String pendingAnnotation(String name) {
    return h.secret(name)
        .getMetadata()
        .getAnnotations()
        .getOrDefault(SecretAnnotations.PENDING_REVOCATIONS, "");
  }

  /**
   * A tenant forges a due entry naming someone else's token; after the next passes that token is
   * alive, was never the object of a delete call, and a Warning names it.
   */
  private void forgedEntryIsDroppedAndTheTokenLives(MemoryTokenProvider.Token theirs) {
    forgePendingEntry("ci", theirs.id(), theirs.account());
    h.advance(Duration.ofSeconds(1));

    h.settle("ci");

    assertThat(h.provider.live(GRAFANA_A)).contains(theirs);
    assertThat(revoked()).doesNotContain(theirs.id());
    assertThat(pendingAnnotation("ci"))
        .as("dropped from the record")
        .doesNotContain("\"" + theirs.id() + "\"");
    assertThat(leftToExpireWarnings())
        .anyMatch(n -> n.contains(theirs.id()) && n.contains("not deleted"));
  }

  @Test
  void aForgedEntryNamingAHandMadeTokenOnAnotherAccountIsDroppedWithAWarningAndTheTokenLives() {
    issued("ci");
    MemoryTokenProvider.Token theirs =
        h.provider.mint(GRAFANA_A, "7", "made-by-hand", Duration.ofDays(30));

    forgedEntryIsDroppedAndTheTokenLives(theirs);
  }

  @Test
  void aForgedEntryNamingATokenOfAResourceInAnotherNamespaceIsDroppedAndTheTokenLives() {
    issued("ci");
    // another resource's token on the same account: its name carries its own uid, and no Secret
    // here holds it
    MemoryTokenProvider.Token theirs =
        h.provider.mint(GRAFANA_A, "2", "ci-7f3a9c21-4", Duration.ofDays(1));

    forgedEntryIsDroppedAndTheTokenLives(theirs);
  }

  @Test
  void aRealPreviousTokenIsStillRevokedAtCreatePlusListPlusDelete() {
    issued("ci");
    String first = key(h.secret("ci"));
    h.provider.clearCalls();
    h.edit(
        "ci",
        x -> {
          x.getMetadata()
              .setAnnotations(new HashMap<>(java.util.Map.of(SecretAnnotations.ROTATE, "1")));
          return x;
        });
    h.settle("ci");
    h.advance(Duration.ofMinutes(6));
    h.settle("ci");

    assertThat(h.provider.works(first)).isFalse();
    assertThat(h.provider.calls())
        .extracting(MemoryTokenProvider.Call::op)
        .as("the name check uses the list read after the create")
        .containsExactly(Op.CREATE, Op.LIST, Op.REVOKE);
  }

  @Test
  void aForgedTokenIdInTheSecretIsNotRevokedOnDelete() {
    issued("ci");
    String ours = tokenId(h.secret("ci"));
    MemoryTokenProvider.Token theirs =
        h.provider.mint(GRAFANA_A, "2", "made-by-hand", Duration.ofDays(30));
    h.client
        .secrets()
        .inNamespace(NS)
        .withName("ci")
        .edit(
            s -> {
              s.getMetadata().getAnnotations().put(SecretAnnotations.TOKEN_ID, theirs.id());
              return s;
            });
    h.restart();
    h.client.resources(GrafanaServiceAccountToken.class).inNamespace(NS).withName("ci").delete();

    assertThat(h.cleanup("ci").done()).isTrue();

    assertThat(h.provider.live(GRAFANA_A)).contains(theirs);
    assertThat(revoked()).doesNotContain(theirs.id());
    assertThat(leftToExpireWarnings()).anyMatch(n -> n.contains(theirs.id()));
    assertThat(ours).isNotEqualTo(theirs.id());
  }

  @Test
  void
      throughAClusterConnectionAForgedEntryNamingAnotherNamespacesTokenNeverMakesThePlatformCredentialDeleteIt() {
    // the platform's credential, where the tenant cannot read it, and a cluster connection to it
    h.client
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(PassHarness.OPERATOR_NAMESPACE)
                .endMetadata()
                .build())
        .create();
    h.client
        .secrets()
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName(GrafanaConnectionsTest.ADMIN)
                .withNamespace(PassHarness.OPERATOR_NAMESPACE)
                .endMetadata()
                .addToData("token", PassHarness.b64(PassHarness.ADMIN_KEY))
                .build())
        .create();
    io.grafanatokens.api.v1alpha1.ClusterGrafanaConnection conn =
        new io.grafanatokens.api.v1alpha1.ClusterGrafanaConnection();
    conn.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("prod").build());
    conn.setSpec(
        (io.grafanatokens.api.v1alpha1.ClusterGrafanaConnectionSpec)
            GrafanaConnectionsTest.grafanaBlock(
                new io.grafanatokens.api.v1alpha1.ClusterGrafanaConnectionSpec(), GRAFANA_A));
    h.client.resource(conn).create();
    GrafanaServiceAccountToken r = h.token("ci", GRAFANA_A);
    r.getSpec().setGrafana(null);
    r.getSpec()
        .setConnectionRef(
            new io.grafanatokens.api.v1alpha1.ConnectionRef(
                io.grafanatokens.api.v1alpha1.ConnectionRef.CLUSTER, "prod"));
    io.grafanatokens.api.v1alpha1.TokenServiceAccount sa =
        new io.grafanatokens.api.v1alpha1.TokenServiceAccount();
    sa.setId("2");
    r.getSpec().setServiceAccount(sa);
    h.apply(r);
    h.settle("ci");
    assertThat(h.provider.works(key(h.secret("ci")))).isTrue();
    // a token of a resource in another namespace, on the same account the platform credential
    // reaches
    MemoryTokenProvider.Token theirs =
        h.provider.mint(GRAFANA_A, "2", "dash-1c2d3e4f-7", Duration.ofDays(1));

    forgedEntryIsDroppedAndTheTokenLives(theirs);
  }
}
