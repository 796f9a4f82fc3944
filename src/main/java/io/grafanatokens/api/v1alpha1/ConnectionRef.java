package io.grafanatokens.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The connection a token is issued through, instead of a provider block of its own. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ConnectionRef {
  public static final String NAMESPACED = "GrafanaConnection";
  public static final String CLUSTER = "ClusterGrafanaConnection";

  @JsonPropertyDescription(
      "GrafanaConnection (default: in this namespace) or ClusterGrafanaConnection.")
  @SchemaFrom(type = ConnectionKind.class)
  private String kind;

  @Required
  @JsonPropertyDescription("Name of the connection.")
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  private String name;

  public ConnectionRef() {}

  public ConnectionRef(String kind, String name) {
    this.kind = kind;
    this.name = name;
  }

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  /** The kind after defaulting. */
  public String kindOrDefault() {
    return kind == null || kind.isEmpty() ? NAMESPACED : kind;
  }
}
