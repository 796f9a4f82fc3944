package io.grafanatokens.reconcile.policy;

import io.grafanatokens.api.v1alpha1.AmazonManagedGrafanaProvider;
import io.grafanatokens.api.v1alpha1.GrafanaConnectionSpec;
import io.grafanatokens.api.v1alpha1.GrafanaProvider;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.api.v1alpha1.ServiceAccountRef;
import io.grafanatokens.api.v1alpha1.TokenServiceAccount;
import io.grafanatokens.api.v1alpha1.YandexCloudProvider;
import java.util.List;

/**
 * docs/reference.md#using-a-connection: the spec a token naming a connection is reconciled by — the
 * connection's block completed by the token's spec.serviceAccount — and the rules it must then
 * hold, reported on the token's own fields. Pure.
 */
public final class EffectiveSpec {
  private EffectiveSpec() {}

  /**
   * What spec.serviceAccount must be for this connection's provider, then every rule of the
   * effective spec (the AMG 30-day cap, no secondsToLive for yandexCloud, ...).
   */
  public static List<Violation> problems(
      GrafanaServiceAccountTokenSpec token, GrafanaConnectionSpec connection) {
    List<Violation> account = ConnectionRules.accountFor(connection, token.getServiceAccount());
    if (!account.isEmpty()) {
      return account;
    }
    return SpecValidator.validate(of(token, connection, token.getServiceAccount())).stream()
        .map(EffectiveSpec::onTheToken)
        .toList();
  }

  /**
   * The token's spec with the connection's block, completed by spec.serviceAccount (null: the
   * connection's block alone, for its status).
   */
  public static GrafanaServiceAccountTokenSpec of(
      GrafanaServiceAccountTokenSpec token, GrafanaConnectionSpec c, TokenServiceAccount sa) {
    GrafanaServiceAccountTokenSpec e = new GrafanaServiceAccountTokenSpec();
    e.setTokenName(token.getTokenName());
    e.setSecondsToLive(token.getSecondsToLive());
    e.setRotation(token.getRotation());
    e.setSecret(token.getSecret());
    e.setDeletionPolicy(token.getDeletionPolicy());
    e.setRestartTargets(token.getRestartTargets());
    if (c.getGrafana() != null) {
      GrafanaProvider g = new GrafanaProvider();
      g.setUrl(c.getGrafana().getUrl());
      g.setOrgId(c.getGrafana().getOrgId());
      g.setCredentialsSecretRef(c.getGrafana().getCredentialsSecretRef());
      g.setTls(c.getGrafana().getTls());
      if (sa != null) {
        ServiceAccountRef ref = new ServiceAccountRef();
        ref.setId(sa.getId() == null ? null : Long.valueOf(sa.getId()));
        ref.setName(sa.getName());
        ref.setCreateIfMissing(sa.getCreateIfMissing());
        ref.setRole(sa.getRole());
        g.setServiceAccount(ref);
      }
      e.setGrafana(g);
    } else if (c.getAmazonManagedGrafana() != null) {
      AmazonManagedGrafanaProvider a = c.getAmazonManagedGrafana();
      AmazonManagedGrafanaProvider copy = new AmazonManagedGrafanaProvider();
      copy.setWorkspaceId(a.getWorkspaceId());
      copy.setRegion(a.getRegion());
      copy.setCredentialsSecretRef(a.getCredentialsSecretRef());
      copy.setEndpoint(a.getEndpoint());
      copy.setServiceAccountId(sa == null ? null : sa.getId());
      e.setAmazonManagedGrafana(copy);
    } else {
      YandexCloudProvider y = c.getYandexCloud();
      YandexCloudProvider copy = new YandexCloudProvider();
      copy.setAuth(y.getAuth());
      copy.setEndpoint(y.getEndpoint());
      copy.setServiceAccountId(sa == null ? null : sa.getId());
      e.setYandexCloud(copy);
    }
    return e;
  }

  /** A rule of the effective spec named by the token's own field. */
  private static Violation onTheToken(Violation v) {
    String field =
        v.field()
            .replaceFirst("^spec\\.grafana\\.serviceAccount", "spec.serviceAccount")
            .replaceFirst(
                "^spec\\.(amazonManagedGrafana|yandexCloud)\\.serviceAccountId",
                "spec.serviceAccount.id");
    return new Violation(field, v.message());
  }
}
