package io.grafanatokens.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator found of a connection (docs/reference.md#connection-status). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class GrafanaConnectionStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Ready: the credentials resolve and the provider accepted them.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("grafana, amazonManagedGrafana or yandexCloud.")
  private String provider;

  @JsonPropertyDescription("The Grafana URL or the workspace the connection reaches.")
  private String target;

  @JsonPropertyDescription("Tokens that name this connection now.")
  private Integer tokens;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long v) {
    this.observedGeneration = v;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getProvider() {
    return provider;
  }

  public void setProvider(String provider) {
    this.provider = provider;
  }

  public String getTarget() {
    return target;
  }

  public void setTarget(String target) {
    this.target = target;
  }

  public Integer getTokens() {
    return tokens;
  }

  public void setTokens(Integer tokens) {
    this.tokens = tokens;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GrafanaConnectionStatus s
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(provider, s.provider)
        && Objects.equals(target, s.target)
        && Objects.equals(tokens, s.tokens);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, provider, target, tokens);
  }
}
