package io.grafanatokens.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grafanatokens.api.v1alpha1.CredentialsSecretRef;
import io.grafanatokens.api.v1alpha1.GrafanaProvider;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.api.v1alpha1.RestartTarget;
import io.grafanatokens.api.v1alpha1.Rotation;
import io.grafanatokens.api.v1alpha1.ServiceAccountRef;

/** Builds GrafanaServiceAccountToken resources for tests and the sandbox. */
public final class Resources {
  private Resources() {}

  /** A Deployment with one container, a workload for restartTargets. */
  public static Deployment deployment(String namespace, String name) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .withNewTemplate()
        .withNewMetadata()
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("app:1")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** The namespace as one being deleted shows itself: phase Terminating (what it holds stays). */
  public static void markTerminating(KubernetesClient client, String namespace) {
    client
        .namespaces()
        .withName(namespace)
        .edit(
            n ->
                new NamespaceBuilder(n)
                    .withNewStatus()
                    .withPhase("Terminating")
                    .endStatus()
                    .build());
  }

  public static RestartTarget restartTarget(String kind, String name) {
    RestartTarget t = new RestartTarget();
    t.setKind(kind);
    t.setName(name);
    return t;
  }

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
