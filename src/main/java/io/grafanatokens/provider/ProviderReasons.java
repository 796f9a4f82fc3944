package io.grafanatokens.provider;

import java.util.List;

/** The condition reasons a provider failure maps to (api.md "Status"). */
public final class ProviderReasons {
  /** A credentials Secret or one of its keys is missing. */
  public static final String CREDENTIALS_NOT_FOUND = "CredentialsNotFound";
  /** The provider answered 401. */
  public static final String CREDENTIALS_REJECTED = "CredentialsRejected";
  /** The provider answered 403. */
  public static final String PERMISSION_DENIED = "PermissionDenied";
  /** The service account or workspace does not exist. */
  public static final String SERVICE_ACCOUNT_NOT_FOUND = "ServiceAccountNotFound";
  /** AMG 402. */
  public static final String QUOTA_EXCEEDED = "QuotaExceeded";
  /** Another 4xx, with the provider's text. */
  public static final String PROVIDER_REJECTED = "ProviderRejected";
  /** 5xx, timeouts, connection errors. */
  public static final String PROVIDER_ERROR = "ProviderError";
  /** The provider answered with the key already held, or one that expires no later (Yandex). */
  public static final String SAME_TOKEN_RETURNED = "SameTokenReturned";
  /** 429 / throttling. */
  public static final String RATE_LIMITED = "RateLimited";

  /** Every reason above: what an issue can fail with (the issue-failures counter's known labels). */
  public static final List<String> ALL = List.of(CREDENTIALS_NOT_FOUND, CREDENTIALS_REJECTED, PERMISSION_DENIED,
      SERVICE_ACCOUNT_NOT_FOUND, QUOTA_EXCEEDED, PROVIDER_REJECTED, PROVIDER_ERROR, SAME_TOKEN_RETURNED, RATE_LIMITED);

  private ProviderReasons() {}
}
