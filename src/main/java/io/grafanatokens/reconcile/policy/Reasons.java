package io.grafanatokens.reconcile.policy;

/** Condition and Event reasons of api.md "Status" that are not provider failures. */
public final class Reasons {
  /** Ready=True after the first issue. */
  public static final String ISSUED = "Issued";
  /** Ready=True after a later issue. */
  public static final String ROTATED = "Rotated";
  /** A spec rule does not hold; waits for a spec change. */
  public static final String INVALID_SPEC = "InvalidSpec";
  /** Ambient credentials asked for in a namespace not listed in AMBIENT_CREDENTIALS_NAMESPACES. */
  public static final String NOT_PERMITTED = "NotPermitted";
  /** The Secret exists and this resource does not own it. */
  public static final String SECRET_CONFLICT = "SecretConflict";
  /** The key in the Secret has expired and no new one could be issued. */
  public static final String EXPIRED = "Expired";
  /** The resource is being deleted. */
  public static final String DELETING = "Deleting";
  /** Issuing=False. */
  public static final String IDLE = "Idle";
  /** Normal event: a previous token was revoked. */
  public static final String REVOKED = "Revoked";
  /** Warning event: the lifetime is short for the rotation settings. */
  public static final String SHORT_LIFETIME = "ShortLifetime";
  /** Warning event: credentials are sent in a way others can read (basic auth over http). */
  public static final String INSECURE_CREDENTIALS = "InsecureCredentials";
  /** Yandex answered with the key already held. */
  public static final String SAME_TOKEN_RETURNED = "SameTokenReturned";

  private Reasons() {}
}
