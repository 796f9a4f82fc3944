package io.grafanatokens.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The closed set of spec.restartTargets[].kind, as the CRD schema's {@code enum}; the field stays a
 * String for the reason given on {@link DeletionPolicy}.
 */
public enum RestartTargetKind {
  @JsonProperty("Deployment")
  DEPLOYMENT,
  @JsonProperty("StatefulSet")
  STATEFUL_SET,
  @JsonProperty("DaemonSet")
  DAEMON_SET
}
