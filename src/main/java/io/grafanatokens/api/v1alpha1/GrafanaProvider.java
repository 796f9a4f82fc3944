package io.grafanatokens.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The grafana provider block: a Grafana reached through its HTTP API. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class GrafanaProvider {
  /** http or https (any case), a host without userinfo, an optional path; no query or fragment. */
  public static final String URL_PATTERN = "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#@\\s]+(/[^?#\\s]*)?$";

  @Required
  @JsonPropertyDescription(
      "Base URL, http or https, may carry a sub-path (/grafana); no userinfo, query or fragment.")
  @Pattern(GrafanaProvider.URL_PATTERN)
  private String url;

  @JsonPropertyDescription(
      "Organisation, sent as X-Grafana-Org-Id. Required when the credential is a service-account "
          + "token of an org other than 1.")
  @Min(1)
  private Long orgId;

  @Required
  @JsonPropertyDescription(
      "Secret in this namespace with a bearer token or a username and password.")
  private CredentialsSecretRef credentialsSecretRef;

  @JsonPropertyDescription("TLS settings for the Grafana URL.")
  private Tls tls;

  @JsonPropertyDescription(
      "The service account the token is created for: exactly one of id or name.")
  private ServiceAccountRef serviceAccount;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public Long getOrgId() {
    return orgId;
  }

  public void setOrgId(Long orgId) {
    this.orgId = orgId;
  }

  public CredentialsSecretRef getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(CredentialsSecretRef v) {
    this.credentialsSecretRef = v;
  }

  public Tls getTls() {
    return tls;
  }

  public void setTls(Tls tls) {
    this.tls = tls;
  }

  public ServiceAccountRef getServiceAccount() {
    return serviceAccount;
  }

  public void setServiceAccount(ServiceAccountRef serviceAccount) {
    this.serviceAccount = serviceAccount;
  }
}
