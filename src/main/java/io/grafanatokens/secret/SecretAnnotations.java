package io.grafanatokens.secret;

/**
 * The labels and annotations the operator writes on its Secrets
 * (docs/reference.md#secret-annotations; fixed).
 */
public final class SecretAnnotations {
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "grafana-token-operator";

  private static final String P = "grafanatokens.io/";
  public static final String TOKEN_ID = P + "token-id";
  public static final String TOKEN_NAME = P + "token-name";
  public static final String SERVICE_ACCOUNT_ID = P + "service-account-id";
  public static final String ISSUED_AT = P + "issued-at";
  public static final String EXPIRES_AT = P + "expires-at";
  public static final String KEY_SHA256 = P + "key-sha256";
  public static final String TARGET_HASH = P + "target-hash";
  public static final String LOCATION = P + "location";
  public static final String PENDING_REVOCATIONS = P + "pending-revocations";
  public static final String ROTATE_REQUEST = P + "rotate-request";
  public static final String APPLIED_METADATA = P + "applied-metadata";

  /** On the resource: a new value asks for a rotation. */
  public static final String ROTATE = P + "rotate";

  private SecretAnnotations() {}
}
