package io.grafanatokens.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * What token to keep, where it lives and how it is rotated (docs/reference.md#token-spec-fields).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "[has(self.grafana), has(self.amazonManagedGrafana), has(self.yandexCloud), has(self.connectionRef)]"
            + ".filter(x, x).size() == 1",
    message =
        "exactly one of spec.grafana, spec.amazonManagedGrafana, spec.yandexCloud, spec.connectionRef must be set")
@ValidationRule(
    value = "has(self.connectionRef) == has(self.serviceAccount)",
    message = "spec.serviceAccount is required with spec.connectionRef and only allowed with it")
@ValidationRule(
    value = "!has(self.grafana) || has(self.grafana.serviceAccount)",
    message = "spec.grafana.serviceAccount is required")
@ValidationRule(
    value = "!has(self.amazonManagedGrafana) || has(self.amazonManagedGrafana.serviceAccountId)",
    message = "spec.amazonManagedGrafana.serviceAccountId is required")
@ValidationRule(
    value = "!has(self.yandexCloud) || has(self.yandexCloud.serviceAccountId)",
    message = "spec.yandexCloud.serviceAccountId is required")
@ValidationRule(
    value = "!has(self.yandexCloud) || !has(self.secondsToLive)",
    message =
        "spec.secondsToLive must be absent with spec.yandexCloud: the IAM service decides the lifetime")
@ValidationRule(
    value =
        "!has(self.yandexCloud) || !has(self.secret) || !has(self.secret.urlKey) || self.secret.urlKey == ''",
    message = "spec.secret.urlKey is not supported with spec.yandexCloud")
@ValidationRule(
    value =
        "has(self.yandexCloud) || !has(self.rotation) || !has(self.rotation.renewBefore)"
            + " || duration(self.rotation.renewBefore) + duration('30s')"
            + " <= duration(string(has(self.secondsToLive) ? self.secondsToLive : 86400) + 's')",
    message =
        "spec.rotation.renewBefore must be shorter than the lifetime (spec.secondsToLive or 86400) by at least 30s")
@ValidationRule(
    value =
        "!has(self.rotation) || !has(self.rotation.renewBefore) || !has(self.rotation.gracePeriod)"
            + " || duration(self.rotation.gracePeriod) < duration(self.rotation.renewBefore)",
    message = "spec.rotation.gracePeriod must be shorter than spec.rotation.renewBefore")
@JsonIgnoreProperties(ignoreUnknown = true)
public class GrafanaServiceAccountTokenSpec {
  @JsonPropertyDescription("A self-hosted or Cloud Grafana (>= 9) reached through its HTTP API.")
  private GrafanaProvider grafana;

  @JsonPropertyDescription("An Amazon Managed Grafana workspace, through the AWS API.")
  private AmazonManagedGrafanaProvider amazonManagedGrafana;

  @JsonPropertyDescription("Yandex Cloud IAM tokens (<= 12 h) for a service account.")
  private YandexCloudProvider yandexCloud;

  @JsonPropertyDescription(
      "A GrafanaConnection or ClusterGrafanaConnection to issue through, instead of a "
          + "provider block: the connection holds the provider and its credentials, spec.serviceAccount the account.")
  private ConnectionRef connectionRef;

  @JsonPropertyDescription("With spec.connectionRef: the service account the token is created for.")
  private TokenServiceAccount serviceAccount;

  @JsonPropertyDescription(
      "Name of the token at the provider, before the operator's suffix; default metadata.name.")
  @Pattern("^[A-Za-z0-9._-]{1,100}$")
  private String tokenName;

  @JsonPropertyDescription(
      "Requested token lifetime in seconds (grafana, amazonManagedGrafana); default 86400. "
          + "Must be absent with yandexCloud.")
  @Min(60)
  @Max(2592000)
  private Long secondsToLive;

  @JsonPropertyDescription("When to renew and how long the previous key stays valid.")
  private Rotation rotation;

  @JsonPropertyDescription("The Secret the key is written to.")
  private SecretTemplate secret;

  @JsonPropertyDescription(
      "Revoke (default): revoke the tokens on delete. Retain: keep the Secret and its key.")
  @SchemaFrom(type = DeletionPolicy.class)
  private String deletionPolicy;

  @JsonPropertyDescription("Workloads to rollout-restart when the key changes (at most 20).")
  @Size(max = 20)
  @ValidationRule(
      value = "self.all(x, self.exists_one(y, y.kind == x.kind && y.name == x.name))",
      message = "spec.restartTargets must be unique")
  private List<RestartTarget> restartTargets;

  public GrafanaProvider getGrafana() {
    return grafana;
  }

  public void setGrafana(GrafanaProvider grafana) {
    this.grafana = grafana;
  }

  public AmazonManagedGrafanaProvider getAmazonManagedGrafana() {
    return amazonManagedGrafana;
  }

  public void setAmazonManagedGrafana(AmazonManagedGrafanaProvider v) {
    this.amazonManagedGrafana = v;
  }

  public YandexCloudProvider getYandexCloud() {
    return yandexCloud;
  }

  public void setYandexCloud(YandexCloudProvider yandexCloud) {
    this.yandexCloud = yandexCloud;
  }

  public ConnectionRef getConnectionRef() {
    return connectionRef;
  }

  public void setConnectionRef(ConnectionRef connectionRef) {
    this.connectionRef = connectionRef;
  }

  public TokenServiceAccount getServiceAccount() {
    return serviceAccount;
  }

  public void setServiceAccount(TokenServiceAccount serviceAccount) {
    this.serviceAccount = serviceAccount;
  }

  public String getTokenName() {
    return tokenName;
  }

  public void setTokenName(String tokenName) {
    this.tokenName = tokenName;
  }

  public Long getSecondsToLive() {
    return secondsToLive;
  }

  public void setSecondsToLive(Long secondsToLive) {
    this.secondsToLive = secondsToLive;
  }

  public Rotation getRotation() {
    return rotation;
  }

  public void setRotation(Rotation rotation) {
    this.rotation = rotation;
  }

  public SecretTemplate getSecret() {
    return secret;
  }

  public void setSecret(SecretTemplate secret) {
    this.secret = secret;
  }

  public String getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(String deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }

  public List<RestartTarget> getRestartTargets() {
    return restartTargets;
  }

  public void setRestartTargets(List<RestartTarget> restartTargets) {
    this.restartTargets = restartTargets;
  }
}
