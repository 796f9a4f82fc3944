package io.grafanatokens.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the operator last observed and did; a cache of the Secret's annotations
 * (docs/reference.md#status).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class GrafanaServiceAccountTokenStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Ready: the Secret holds a valid, unexpired key. Issuing: a token is being issued.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("grafana, amazonManagedGrafana or yandexCloud.")
  private String provider;

  @JsonPropertyDescription("The service account the current token lives on.")
  private String serviceAccountId;

  @JsonPropertyDescription(
      "The provider's id of the current token (yandexCloud: a sha256: handle).")
  private String tokenId;

  @JsonPropertyDescription("The current token's name at the provider.")
  private String tokenName;

  @JsonPropertyDescription("The Secret holding the key.")
  private String secretName;

  @JsonPropertyDescription("When the current token was issued.")
  private String issuedAt;

  @JsonPropertyDescription("When the current token expires.")
  private String expiresAt;

  @JsonPropertyDescription("When the current token will be renewed.")
  private String renewalTime;

  @JsonPropertyDescription("Tokens issued for this resource so far.")
  private Long rotationCount;

  @JsonPropertyDescription("The last value of the grafanatokens.io/rotate annotation acted on.")
  private String lastRotateRequest;

  @JsonPropertyDescription("Previous tokens waiting for their grace period.")
  private List<PendingRevocation> pendingRevocations;

  @JsonPropertyDescription(
      "The token id for which every restartTarget was restarted; a Secret holding another id "
          + "means a restart is outstanding (it is redone, and no previous token is revoked meanwhile).")
  private String restartedFor;

  @JsonPropertyDescription(
      "The target-hash of the shaping fields the current token was issued under.")
  private String target;

  @JsonPropertyDescription(
      "The location (instance) the current token was issued at, to know where it may be revoked "
          + "when the Secret is gone.")
  private String location;

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

  public String getServiceAccountId() {
    return serviceAccountId;
  }

  public void setServiceAccountId(String v) {
    this.serviceAccountId = v;
  }

  public String getTokenId() {
    return tokenId;
  }

  public void setTokenId(String tokenId) {
    this.tokenId = tokenId;
  }

  public String getTokenName() {
    return tokenName;
  }

  public void setTokenName(String tokenName) {
    this.tokenName = tokenName;
  }

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }

  public String getIssuedAt() {
    return issuedAt;
  }

  public void setIssuedAt(String issuedAt) {
    this.issuedAt = issuedAt;
  }

  public String getExpiresAt() {
    return expiresAt;
  }

  public void setExpiresAt(String expiresAt) {
    this.expiresAt = expiresAt;
  }

  public String getRenewalTime() {
    return renewalTime;
  }

  public void setRenewalTime(String renewalTime) {
    this.renewalTime = renewalTime;
  }

  public Long getRotationCount() {
    return rotationCount;
  }

  public void setRotationCount(Long rotationCount) {
    this.rotationCount = rotationCount;
  }

  public String getLastRotateRequest() {
    return lastRotateRequest;
  }

  public void setLastRotateRequest(String v) {
    this.lastRotateRequest = v;
  }

  public List<PendingRevocation> getPendingRevocations() {
    return pendingRevocations;
  }

  public void setPendingRevocations(List<PendingRevocation> v) {
    this.pendingRevocations = v;
  }

  public String getRestartedFor() {
    return restartedFor;
  }

  public void setRestartedFor(String restartedFor) {
    this.restartedFor = restartedFor;
  }

  public String getTarget() {
    return target;
  }

  public void setTarget(String target) {
    this.target = target;
  }

  public String getLocation() {
    return location;
  }

  public void setLocation(String location) {
    this.location = location;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof GrafanaServiceAccountTokenStatus s)) {
      return false;
    }
    return Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(provider, s.provider)
        && Objects.equals(serviceAccountId, s.serviceAccountId)
        && Objects.equals(tokenId, s.tokenId)
        && Objects.equals(tokenName, s.tokenName)
        && Objects.equals(secretName, s.secretName)
        && Objects.equals(issuedAt, s.issuedAt)
        && Objects.equals(expiresAt, s.expiresAt)
        && Objects.equals(renewalTime, s.renewalTime)
        && Objects.equals(rotationCount, s.rotationCount)
        && Objects.equals(lastRotateRequest, s.lastRotateRequest)
        && Objects.equals(pendingRevocations, s.pendingRevocations)
        && Objects.equals(restartedFor, s.restartedFor)
        && Objects.equals(target, s.target)
        && Objects.equals(location, s.location);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        observedGeneration, provider, tokenId, expiresAt, renewalTime, rotationCount);
  }
}
