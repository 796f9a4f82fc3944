package io.grafanatokens.fakes.amg;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.grafanatokens.api.v1alpha1.AmazonManagedGrafanaProvider;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.api.v1alpha1.NamedSecretRef;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds amazonManagedGrafana resources and credentials Secrets that point at a {@link FakeAmg}.
 */
public final class AmgTokenResources {
  /** The credentials Secret the static-key resources name. */
  public static final String CREDENTIALS_SECRET = "aws-creds";

  public static final String ACCESS_KEY_ID = "AKIAFAKESTATICKEY01";

  private AmgTokenResources() {}

  /** A spec with static keys from {@link #CREDENTIALS_SECRET} and spec.endpoint at the fake. */
  public static GrafanaServiceAccountTokenSpec spec(
      FakeAmg amg, String workspaceId, String serviceAccountId) {
    GrafanaServiceAccountTokenSpec spec = ambientSpec(amg, workspaceId, serviceAccountId);
    NamedSecretRef ref = new NamedSecretRef();
    ref.setName(CREDENTIALS_SECRET);
    spec.getAmazonManagedGrafana().setCredentialsSecretRef(ref);
    spec.getAmazonManagedGrafana().setEndpoint(amg.endpoint());
    return spec;
  }

  /** A spec that uses the operator's own identity: no credentialsSecretRef and no endpoint. */
  public static GrafanaServiceAccountTokenSpec ambientSpec(
      FakeAmg amg, String workspaceId, String serviceAccountId) {
    AmazonManagedGrafanaProvider block = new AmazonManagedGrafanaProvider();
    block.setWorkspaceId(workspaceId);
    block.setRegion(amg.region());
    block.setServiceAccountId(serviceAccountId);
    GrafanaServiceAccountTokenSpec spec = new GrafanaServiceAccountTokenSpec();
    spec.setAmazonManagedGrafana(block);
    return spec;
  }

  public static GrafanaServiceAccountToken token(
      String namespace, String name, GrafanaServiceAccountTokenSpec spec) {
    GrafanaServiceAccountToken r = new GrafanaServiceAccountToken();
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    r.setSpec(spec);
    return r;
  }

  /** The Secret data of static keys; sessionToken may be null. */
  public static Map<String, String> credentials(
      String accessKeyId, String secretAccessKey, String sessionToken) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("accessKeyId", accessKeyId);
    data.put("secretAccessKey", secretAccessKey);
    if (sessionToken != null) {
      data.put("sessionToken", sessionToken);
    }
    return data;
  }

  /** {@link #CREDENTIALS_SECRET} holding {@link #ACCESS_KEY_ID} and a secret key. */
  public static Secret credentialsSecret(String namespace) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(CREDENTIALS_SECRET)
        .withNamespace(namespace)
        .endMetadata()
        .addToStringData(credentials(ACCESS_KEY_ID, "fake-secret-access-key", null))
        .build();
  }
}
