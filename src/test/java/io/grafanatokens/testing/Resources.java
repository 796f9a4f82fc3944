package io.grafanatokens.testing;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.grafanatokens.api.v1alpha1.CredentialsSecretRef;
import io.grafanatokens.api.v1alpha1.GrafanaProvider;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.api.v1alpha1.Rotation;
import io.grafanatokens.api.v1alpha1.ServiceAccountRef;

/** Builds GrafanaServiceAccountToken resources for tests and the sandbox. */
public final class Resources {
  private Resources() {}

  public static GrafanaServiceAccountToken grafanaToken(
      String namespace, String name, String grafanaUrl, long serviceAccountId) {
    GrafanaServiceAccountToken r = new GrafanaServiceAccountToken();
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    GrafanaServiceAccountTokenSpec spec = new GrafanaServiceAccountTokenSpec();
    GrafanaProvider g = new GrafanaProvider();
    g.setUrl(grafanaUrl);
    CredentialsSecretRef creds = new CredentialsSecretRef();
    creds.setName(EmbeddedCluster.CREDENTIALS_SECRET);
    g.setCredentialsSecretRef(creds);
    ServiceAccountRef sa = new ServiceAccountRef();
    sa.setId(serviceAccountId);
    g.setServiceAccount(sa);
    spec.setGrafana(g);
    r.setSpec(spec);
    return r;
  }

  public static Rotation rotation(String renewBefore, String gracePeriod) {
    Rotation r = new Rotation();
    r.setRenewBefore(renewBefore);
    r.setGracePeriod(gracePeriod);
    return r;
  }
}
