package io.grafanatokens.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * One provider block and its credentials, without the service account: shared by every token that
 * names the connection (docs/reference.md#connection-spec-fields).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
    value =
        "[has(self.grafana), has(self.amazonManagedGrafana), has(self.yandexCloud)].filter(x, x).size() == 1",
    message =
        "exactly one provider block of spec.grafana, spec.amazonManagedGrafana, spec.yandexCloud must be set")
@ValidationRule(
    value = "!has(self.grafana) || !has(self.grafana.serviceAccount)",
    message =
        "spec.grafana.serviceAccount is not part of a connection: each token gives spec.serviceAccount")
@ValidationRule(
    value = "!has(self.amazonManagedGrafana) || !has(self.amazonManagedGrafana.serviceAccountId)",
    message =
        "spec.amazonManagedGrafana.serviceAccountId is not part of a connection: each token gives "
            + "spec.serviceAccount.id")
@ValidationRule(
    value = "!has(self.yandexCloud) || !has(self.yandexCloud.serviceAccountId)",
    message =
        "spec.yandexCloud.serviceAccountId is not part of a connection: each token gives spec.serviceAccount.id")
public class GrafanaConnectionSpec {
  @JsonPropertyDescription(
      "A self-hosted or Cloud Grafana (>= 9) reached through its HTTP API, without serviceAccount.")
  private GrafanaProvider grafana;

  @JsonPropertyDescription("An Amazon Managed Grafana workspace, without serviceAccountId.")
  private AmazonManagedGrafanaProvider amazonManagedGrafana;

  @JsonPropertyDescription("Yandex Cloud IAM, without serviceAccountId.")
  private YandexCloudProvider yandexCloud;

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
}
