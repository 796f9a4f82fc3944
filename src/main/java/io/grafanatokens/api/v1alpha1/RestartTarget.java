package io.grafanatokens.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A workload in the resource's namespace to rollout-restart when the key changes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestartTarget {
  @Required
  @Size(max = 32)
  @JsonPropertyDescription("Deployment, StatefulSet or DaemonSet.")
  @ValidationRule(
      value = "self in ['Deployment', 'StatefulSet', 'DaemonSet']",
      message = "spec.restartTargets[].kind must be Deployment, StatefulSet or DaemonSet")
  private String kind;

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of the workload.")
  private String name;

  public String getKind() { return kind; }
  public void setKind(String kind) { this.kind = kind; }
  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
}
