package io.grafanatokens.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The closed set of spec.grafana.serviceAccount.role (Grafana's basic roles), as the CRD schema's
 * {@code enum}; the field stays a String for the reason given on {@link DeletionPolicy}.
 */
public enum ServiceAccountRole {
  @JsonProperty("Viewer")
  VIEWER,
  @JsonProperty("Editor")
  EDITOR,
  @JsonProperty("Admin")
  ADMIN,
  @JsonProperty("None")
  NONE
}
