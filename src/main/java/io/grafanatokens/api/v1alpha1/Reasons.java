package io.grafanatokens.api.v1alpha1;

/**
 * Every condition and Event reason the operator writes (docs/reference.md#conditions-and-reasons):
 * fixed strings that tests, dashboards and alerts match on. One catalogue for the reconciler and
 * the providers.
 */
public final class Reasons {
  // ---- Ready=True
  /** The first token of this resource is in the Secret. */
  public static final String ISSUED = "Issued";

  /** A later token replaced the first. */
  public static final String ROTATED = "Rotated";

  /** A connection's credentials resolve and the provider accepted them. */
  public static final String CONNECTED = "Connected";

  // ---- Ready=False, and Issuing=True while an issue keeps failing
  /** A spec rule does not hold; waits for a spec change. */
  public static final String INVALID_SPEC = "InvalidSpec";

  /**
   * The operator's own identity asked for where it may not be used, or a connection refuses the
   * namespace.
   */
  public static final String NOT_PERMITTED = "NotPermitted";

  /** spec.connectionRef names a connection that does not exist. */
  public static final String CONNECTION_NOT_FOUND = "ConnectionNotFound";

  /** The Secret was deleted and re-issuing it is rate-limited. */
  public static final String SECRET_MISSING = "SecretMissing";

  /** The API server refused the Secret write. */
  public static final String SECRET_REJECTED = "SecretRejected";

  /** A credentials Secret or one of its keys is missing. */
  public static final String CREDENTIALS_NOT_FOUND = "CredentialsNotFound";

  /** The provider answered 401. */
  public static final String CREDENTIALS_REJECTED = "CredentialsRejected";

  /** The provider answered 403 (Yandex PERMISSION_DENIED). */
  public static final String PERMISSION_DENIED = "PermissionDenied";

  /** The service account or workspace does not exist. */
  public static final String SERVICE_ACCOUNT_NOT_FOUND = "ServiceAccountNotFound";

  /** AMG 402. */
  public static final String QUOTA_EXCEEDED = "QuotaExceeded";

  /** Another 4xx, with the provider's text. */
  public static final String PROVIDER_REJECTED = "ProviderRejected";

  /** 5xx, timeouts, connection errors. */
  public static final String PROVIDER_ERROR = "ProviderError";

  /** 429 / throttling. */
  public static final String RATE_LIMITED = "RateLimited";

  /** The Secret exists and this resource does not own it. */
  public static final String SECRET_CONFLICT = "SecretConflict";

  /** The key in the Secret has expired and no new one could be issued. */
  public static final String EXPIRED = "Expired";

  /** The token in the Secret no longer works at the provider and no new one could be issued yet. */
  public static final String TOKEN_GONE = "TokenGone";

  /** The finalizer is waiting; the message says on what. */
  public static final String DELETING = "Deleting";

  // ---- Issuing=True: the triggers
  /** renewalTime has come. */
  public static final String RENEWING = "Renewing";

  /** The key in the Secret no longer matches key-sha256. */
  public static final String KEY_EDITED = "KeyEdited";

  /** A shaping field changed. */
  public static final String SPEC_CHANGED = "SpecChanged";

  /** The grafanatokens.io/rotate annotation has a new value. */
  public static final String ROTATE_REQUESTED = "RotateRequested";

  /** The provider answered with the key already held, or one that expires no later (Yandex). */
  public static final String SAME_TOKEN_RETURNED = "SameTokenReturned";

  /** Issuing=False. */
  public static final String IDLE = "Idle";

  // ---- Events only
  /** Normal: a previous token was revoked. */
  public static final String REVOKED = "Revoked";

  /** Normal: a restart target was rolled out for the new key. */
  public static final String RESTARTED = "Restarted";

  /** Warning: a restart target does not exist. */
  public static final String RESTART_TARGET_NOT_FOUND = "RestartTargetNotFound";

  /** Warning: a restart target could not be patched; the restart is retried. */
  public static final String RESTART_FAILED = "RestartFailed";

  /** Warning: the lifetime is short for the rotation settings. */
  public static final String SHORT_LIFETIME = "ShortLifetime";

  /** Warning: credentials are sent in a way others can read (basic auth over http). */
  public static final String INSECURE_CREDENTIALS = "InsecureCredentials";

  /**
   * Warning: a token is left to expire (issued under another target, refused on revoke, or on
   * delete).
   */
  public static final String LEFT_TO_EXPIRE = "TokenLeftToExpire";

  /**
   * The reasons a failed issue is counted under: grafana_token_issue_failures_by_reason_total
   * exists at 0 for each from the first reconcile of a namespace's first resource, so that
   * increase() and absent() alerts work.
   */
  public static final java.util.List<String> ISSUE_FAILURES =
      java.util.List.of(
          CREDENTIALS_NOT_FOUND,
          CREDENTIALS_REJECTED,
          PERMISSION_DENIED,
          SERVICE_ACCOUNT_NOT_FOUND,
          QUOTA_EXCEEDED,
          PROVIDER_REJECTED,
          PROVIDER_ERROR,
          SAME_TOKEN_RETURNED,
          RATE_LIMITED,
          SECRET_REJECTED);

  private Reasons() {}
}
