package io.grafanatokens.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The amazonManagedGrafana provider block: an AMG workspace through the AWS API. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class AmazonManagedGrafanaProvider {
  @Required
  @Pattern("^g-[0-9a-f]{10}$")
  @JsonPropertyDescription("Workspace id, g- and ten hex digits.")
  private String workspaceId;

  @Required
  @Size(min = 1, max = 64)
  @JsonPropertyDescription("AWS region of the workspace, e.g. eu-west-1.")
  private String region;

  @Size(min = 1, max = 128)
  @JsonPropertyDescription("Id of the workspace service account.")
  private String serviceAccountId;

  @JsonPropertyDescription(
      "Secret with accessKeyId, secretAccessKey and optional sessionToken. Without it the operator's "
          + "own AWS identity is used (only in namespaces listed in AMBIENT_CREDENTIALS_NAMESPACES).")
  private NamedSecretRef credentialsSecretRef;

  @JsonPropertyDescription(
      "Endpoint override (VPC endpoint, FIPS); honoured only with credentialsSecretRef.")
  @Pattern(GrafanaProvider.URL_PATTERN)
  @Size(max = 2048)
  private String endpoint;

  public String getWorkspaceId() {
    return workspaceId;
  }

  public void setWorkspaceId(String workspaceId) {
    this.workspaceId = workspaceId;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public String getServiceAccountId() {
    return serviceAccountId;
  }

  public void setServiceAccountId(String serviceAccountId) {
    this.serviceAccountId = serviceAccountId;
  }

  public NamedSecretRef getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(NamedSecretRef v) {
    this.credentialsSecretRef = v;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }
}
