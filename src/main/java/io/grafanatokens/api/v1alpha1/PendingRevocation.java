package io.grafanatokens.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A previous token waiting for its grace period to end before it is revoked. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class PendingRevocation {
  @JsonPropertyDescription("The provider's token id.")
  private String tokenId;

  @JsonPropertyDescription("The service account the token lives on.")
  private String serviceAccountId;

  @JsonPropertyDescription(
      "Where the token was issued (a hash of provider and instance): it is revoked only while "
          + "the resource still points there, and otherwise left to expire.")
  private String location;

  @JsonPropertyDescription(
      "Entries written before location existed: the target-hash the token was issued under.")
  private String target;

  @JsonPropertyDescription("When the token is revoked (RFC 3339).")
  private String revokeAt;

  public PendingRevocation() {}

  /** An entry as written before locations were recorded (its target-hash only). */
  public PendingRevocation(
      String tokenId, String serviceAccountId, String target, String revokeAt) {
    this(tokenId, serviceAccountId, null, target, revokeAt);
  }

  private PendingRevocation(
      String tokenId, String serviceAccountId, String location, String target, String revokeAt) {
    this.tokenId = tokenId;
    this.serviceAccountId = serviceAccountId;
    this.location = location;
    this.target = target;
    this.revokeAt = revokeAt;
  }

  /** A previous token issued at {@code location}, to be revoked at {@code revokeAt}. */
  public static PendingRevocation at(
      String tokenId, String serviceAccountId, String location, String revokeAt) {
    return new PendingRevocation(tokenId, serviceAccountId, location, null, revokeAt);
  }

  /**
   * The same entry with its location stamped (an older entry found to live at {@code location}).
   */
  public PendingRevocation withLocation(String where) {
    return new PendingRevocation(tokenId, serviceAccountId, where, null, revokeAt);
  }

  /** The same entry, revoked no earlier than {@code notBefore}. */
  public PendingRevocation notBefore(String at) {
    return new PendingRevocation(tokenId, serviceAccountId, location, target, at);
  }

  public String getTokenId() {
    return tokenId;
  }

  public void setTokenId(String tokenId) {
    this.tokenId = tokenId;
  }

  public String getServiceAccountId() {
    return serviceAccountId;
  }

  public void setServiceAccountId(String serviceAccountId) {
    this.serviceAccountId = serviceAccountId;
  }

  public String getLocation() {
    return location;
  }

  public void setLocation(String location) {
    this.location = location;
  }

  public String getTarget() {
    return target;
  }

  public void setTarget(String target) {
    this.target = target;
  }

  public String getRevokeAt() {
    return revokeAt;
  }

  public void setRevokeAt(String revokeAt) {
    this.revokeAt = revokeAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PendingRevocation p
        && Objects.equals(tokenId, p.tokenId)
        && Objects.equals(serviceAccountId, p.serviceAccountId)
        && Objects.equals(location, p.location)
        && Objects.equals(target, p.target)
        && Objects.equals(revokeAt, p.revokeAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tokenId, serviceAccountId, location, target, revokeAt);
  }

  @Override
  public String toString() {
    return "PendingRevocation[" + tokenId + " on " + serviceAccountId + " at " + revokeAt + "]";
  }
}
