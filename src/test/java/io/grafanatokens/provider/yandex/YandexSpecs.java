package io.grafanatokens.provider.yandex;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.api.v1alpha1.SecretKeyRef;
import io.grafanatokens.api.v1alpha1.YandexAuth;
import io.grafanatokens.api.v1alpha1.YandexCloudProvider;
import java.util.Map;

/** Builds yandexCloud specs and resources for tests and the sandbox, one per auth option. */
public final class YandexSpecs {
  private YandexSpecs() {}

  /** auth.authorizedKeySecretRef with the default data key. */
  public static GrafanaServiceAccountTokenSpec authorizedKey(
      String serviceAccountId, String keySecret) {
    YandexAuth auth = new YandexAuth();
    auth.setAuthorizedKeySecretRef(new SecretKeyRef(keySecret, null));
    return spec(serviceAccountId, auth);
  }

  /** auth.workloadIdentity for the operator's federated service account. */
  public static GrafanaServiceAccountTokenSpec workloadIdentity(
      String serviceAccountId, String operatorAccount) {
    YandexAuth auth = new YandexAuth();
    YandexAuth.WorkloadIdentity wlif = new YandexAuth.WorkloadIdentity();
    wlif.setServiceAccountId(operatorAccount);
    auth.setWorkloadIdentity(wlif);
    return spec(serviceAccountId, auth);
  }

  /** auth.metadataService: {}. */
  public static GrafanaServiceAccountTokenSpec metadataService(String serviceAccountId) {
    YandexAuth auth = new YandexAuth();
    auth.setMetadataService(Map.of());
    return spec(serviceAccountId, auth);
  }

  public static GrafanaServiceAccountToken resource(
      String namespace, String name, GrafanaServiceAccountTokenSpec spec) {
    GrafanaServiceAccountToken r = new GrafanaServiceAccountToken();
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    r.setSpec(spec);
    return r;
  }

  private static GrafanaServiceAccountTokenSpec spec(String serviceAccountId, YandexAuth auth) {
    YandexCloudProvider y = new YandexCloudProvider();
    y.setServiceAccountId(serviceAccountId);
    y.setAuth(auth);
    GrafanaServiceAccountTokenSpec spec = new GrafanaServiceAccountTokenSpec();
    spec.setYandexCloud(y);
    return spec;
  }
}
