package io.grafanatokens.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The Grafana service account, by id or by exact name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.id) != has(self.name)",
    message = "spec.grafana.serviceAccount needs exactly one of id or name")
@ValidationRule(
    value = "has(self.name) || !has(self.createIfMissing)",
    message = "spec.grafana.serviceAccount.createIfMissing is only allowed with name")
@ValidationRule(
    value = "has(self.name) || !has(self.role)",
    message = "spec.grafana.serviceAccount.role is only allowed with name")
@JsonIgnoreProperties(ignoreUnknown = true)
public class ServiceAccountRef {
  @Min(1)
  @JsonPropertyDescription("Numeric id of the service account.")
  private Long id;

  @Size(min = 1, max = 190)
  @JsonPropertyDescription(
      "Exact name of the service account (looked up with /api/serviceaccounts/search).")
  private String name;

  @JsonPropertyDescription("With name: create the service account when it does not exist.")
  private Boolean createIfMissing;

  @JsonPropertyDescription(
      "Role of a service account created by createIfMissing: Viewer, Editor, Admin or None.")
  @SchemaFrom(type = ServiceAccountRole.class)
  private String role;

  public Long getId() {
    return id;
  }

  public void setId(Long id) {
    this.id = id;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Boolean getCreateIfMissing() {
    return createIfMissing;
  }

  public void setCreateIfMissing(Boolean createIfMissing) {
    this.createIfMissing = createIfMissing;
  }

  public String getRole() {
    return role;
  }

  public void setRole(String role) {
    this.role = role;
  }
}
