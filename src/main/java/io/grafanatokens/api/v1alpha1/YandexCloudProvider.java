package io.grafanatokens.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The yandexCloud provider block: IAM tokens minted for a service account. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class YandexCloudProvider {
  @Size(min = 1, max = 50)
  @JsonPropertyDescription("The service account the IAM token is minted for.")
  private String serviceAccountId;

  @Required
  @JsonPropertyDescription("How the operator gets its own IAM token: exactly one option.")
  private YandexAuth auth;

  @JsonPropertyDescription("IAM endpoint override; honoured only with auth.authorizedKeySecretRef.")
  @Pattern(GrafanaProvider.URL_PATTERN)
  @Size(max = 2048)
  private String endpoint;

  public String getServiceAccountId() {
    return serviceAccountId;
  }

  public void setServiceAccountId(String serviceAccountId) {
    this.serviceAccountId = serviceAccountId;
  }

  public YandexAuth getAuth() {
    return auth;
  }

  public void setAuth(YandexAuth auth) {
    this.auth = auth;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }
}
