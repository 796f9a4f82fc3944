package io.grafanatokens.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A previous token waiting for its grace period to end before it is revoked. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PendingRevocation {
  @JsonPropertyDescription("The provider's token id.")
  private String tokenId;

  @JsonPropertyDescription("The service account the token lives on.")
  private String serviceAccountId;

  @JsonPropertyDescription("When the token is revoked (RFC 3339).")
  private String revokeAt;

  public PendingRevocation() {}

  public PendingRevocation(String tokenId, String serviceAccountId, String revokeAt) {
    this.tokenId = tokenId;
    this.serviceAccountId = serviceAccountId;
    this.revokeAt = revokeAt;
  }

  public String getTokenId() { return tokenId; }
  public void setTokenId(String tokenId) { this.tokenId = tokenId; }
  public String getServiceAccountId() { return serviceAccountId; }
  public void setServiceAccountId(String serviceAccountId) { this.serviceAccountId = serviceAccountId; }
  public String getRevokeAt() { return revokeAt; }
  public void setRevokeAt(String revokeAt) { this.revokeAt = revokeAt; }

  @Override
  public boolean equals(Object o) {
    return o instanceof PendingRevocation p
        && Objects.equals(tokenId, p.tokenId)
        && Objects.equals(serviceAccountId, p.serviceAccountId)
        && Objects.equals(revokeAt, p.revokeAt);
  }

  @Override
  public int hashCode() { return Objects.hash(tokenId, serviceAccountId, revokeAt); }
}
