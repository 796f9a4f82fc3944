package io.grafanatokens.fakes.amg;

/**
 * The six AMG service-account operations the fake serves (docs/provider-apis.md#amg-operations),
 * for counters and faults.
 */
public enum AmgOperation {
  /** POST /workspaces/{workspaceId}/serviceaccounts */
  CREATE_SERVICE_ACCOUNT,
  /** GET /workspaces/{workspaceId}/serviceaccounts */
  LIST_SERVICE_ACCOUNTS,
  /** DELETE /workspaces/{workspaceId}/serviceaccounts/{serviceAccountId} */
  DELETE_SERVICE_ACCOUNT,
  /** POST /workspaces/{workspaceId}/serviceaccounts/{serviceAccountId}/tokens */
  CREATE_TOKEN,
  /** GET /workspaces/{workspaceId}/serviceaccounts/{serviceAccountId}/tokens */
  LIST_TOKENS,
  /** DELETE /workspaces/{workspaceId}/serviceaccounts/{serviceAccountId}/tokens/{tokenId} */
  DELETE_TOKEN,
  /** Any other method and path (answered 400 ValidationException, reason UNKNOWN_OPERATION). */
  UNKNOWN
}
