package io.grafanatokens.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** The operator's own Yandex identity: exactly one of the options. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "[has(self.authorizedKeySecretRef), has(self.workloadIdentity), has(self.metadataService)]"
            + ".filter(x, x).size() == 1",
    message =
        "spec.yandexCloud.auth needs exactly one of authorizedKeySecretRef, workloadIdentity, metadataService")
@JsonIgnoreProperties(ignoreUnknown = true)
public class YandexAuth {
  @JsonPropertyDescription(
      "A service-account authorized key (JSON) in this namespace; key default authorized-key.json.")
  private SecretKeyRef authorizedKeySecretRef;

  @JsonPropertyDescription(
      "Workload identity federation for this Yandex service account (ambient).")
  private WorkloadIdentity workloadIdentity;

  @JsonPropertyDescription("The VM / node metadata service (ambient).")
  private Map<String, String> metadataService;

  public SecretKeyRef getAuthorizedKeySecretRef() {
    return authorizedKeySecretRef;
  }

  public void setAuthorizedKeySecretRef(SecretKeyRef v) {
    this.authorizedKeySecretRef = v;
  }

  public WorkloadIdentity getWorkloadIdentity() {
    return workloadIdentity;
  }

  public void setWorkloadIdentity(WorkloadIdentity v) {
    this.workloadIdentity = v;
  }

  public Map<String, String> getMetadataService() {
    return metadataService;
  }

  public void setMetadataService(Map<String, String> v) {
    this.metadataService = v;
  }

  /** Workload identity federation settings. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class WorkloadIdentity {
    @JsonPropertyDescription(
        "The Yandex service account the pod's Kubernetes token is exchanged for.")
    private String serviceAccountId;

    public String getServiceAccountId() {
      return serviceAccountId;
    }

    public void setServiceAccountId(String serviceAccountId) {
      this.serviceAccountId = serviceAccountId;
    }
  }
}
