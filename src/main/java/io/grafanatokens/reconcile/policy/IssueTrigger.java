package io.grafanatokens.reconcile.policy;

/** Why a new token is issued: the Issuing=True reasons of api.md "When a new token is issued". */
public enum IssueTrigger {
  /** renewalTime has come. */
  RENEWING("Renewing", "the token reached its renewal time"),
  /** There is no Secret (first issue, or the Secret was deleted). */
  SECRET_MISSING("SecretMissing", "the Secret holds no token"),
  /** The key in the Secret no longer matches the key-sha256 annotation. */
  KEY_EDITED("KeyEdited", "the key in the Secret was edited"),
  /** A shaping field changed. */
  SPEC_CHANGED("SpecChanged", "a field that shapes the token changed"),
  /** The grafanatokens.io/rotate annotation has a new value. */
  ROTATE_REQUESTED("RotateRequested", "a rotation was requested with grafanatokens.io/rotate"),
  /** The provider no longer has the token, or revoked it. */
  TOKEN_GONE("TokenGone", "the provider no longer has the token");

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
