package io.grafanatokens.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The closed set of spec.deletionPolicy, as the CRD schema's {@code enum} (through
 * {@code @SchemaFrom}); the field itself stays a String so that a value written past an old or
 * disabled schema still reaches the reconciler's validation instead of failing deserialisation.
 */
public enum DeletionPolicy {
  @JsonProperty("Revoke")
  REVOKE,
  @JsonProperty("Retain")
  RETAIN
}
