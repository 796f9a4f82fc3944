package io.grafanatokens.reconcile.policy;

import io.grafanatokens.api.v1alpha1.Reasons;

/**
 * Why a new token is issued: the Issuing=True reasons of
 * docs/reference.md#when-a-new-token-is-issued.
 */
public enum IssueTrigger {
  /** renewalTime has come. */
  RENEWING(Reasons.RENEWING, "the token reached its renewal time"),
  /** There is no Secret (first issue, or the Secret was deleted). */
  SECRET_MISSING(Reasons.SECRET_MISSING, "the Secret holds no token"),
  /** The key in the Secret no longer matches the key-sha256 annotation. */
  KEY_EDITED(Reasons.KEY_EDITED, "the key in the Secret was edited"),
  /** A shaping field changed. */
  SPEC_CHANGED(Reasons.SPEC_CHANGED, "a field that shapes the token changed"),
  /** The grafanatokens.io/rotate annotation has a new value. */
  ROTATE_REQUESTED(
      Reasons.ROTATE_REQUESTED, "a rotation was requested with grafanatokens.io/rotate"),
  /** The provider no longer has the token, or revoked it. */
  TOKEN_GONE(Reasons.TOKEN_GONE, "the provider no longer has the token");

  private final String reason;
  private final String description;

  IssueTrigger(String reason, String description) {
    this.reason = reason;
    this.description = description;
  }

  public String reason() {
    return reason;
  }

  public String description() {
    return description;
  }
}
