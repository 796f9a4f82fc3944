package io.grafanatokens.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The service account of a token issued through a connection: the part of the provider block a
 * connection leaves to each token.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
    value = "has(self.id) != has(self.name)",
    message = "spec.serviceAccount needs exactly one of id or name")
@ValidationRule(
    value = "has(self.name) || !has(self.createIfMissing)",
    message = "spec.serviceAccount.createIfMissing is only allowed with name")
@ValidationRule(
    value = "has(self.name) || !has(self.role)",
    message = "spec.serviceAccount.role is only allowed with name")
public class TokenServiceAccount {
  @JsonPropertyDescription(
      "grafana: the numeric id; amazonManagedGrafana: the workspace service account id; "
          + "yandexCloud: the service account id (at most 50 characters).")
  @Size(min = 1, max = 50)
  private String id;

  @JsonPropertyDescription("grafana only: the exact name of the service account.")
  @Size(min = 1, max = 190)
  private String name;

  @JsonPropertyDescription(
      "grafana only, with name: create the service account when it does not exist.")
  private Boolean createIfMissing;

  @JsonPropertyDescription(
      "grafana only: the role of a service account created by createIfMissing.")
  @SchemaFrom(type = ServiceAccountRole.class)
  private String role;

  public String getId() {
    return id;
  }

  public void setId(String id) {
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
