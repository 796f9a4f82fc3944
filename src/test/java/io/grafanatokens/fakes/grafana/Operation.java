package io.grafanatokens.fakes.grafana;

/** The fake's endpoints, for request counters and fault injection. */
public enum Operation {
  /** GET /api/serviceaccounts/search */
  SEARCH,
  /** POST /api/serviceaccounts */
  CREATE_SA,
  /** GET /api/serviceaccounts/:id */
  GET_SA,
  /** PATCH /api/serviceaccounts/:id */
  UPDATE_SA,
  /** DELETE /api/serviceaccounts/:id */
  DELETE_SA,
  /** GET /api/serviceaccounts/:id/tokens */
  LIST_TOKENS,
  /** POST /api/serviceaccounts/:id/tokens */
  CREATE_TOKEN,
  /** DELETE /api/serviceaccounts/:id/tokens/:tokenId */
  DELETE_TOKEN,
  /** GET /api/user */
  CURRENT_USER,
  /** GET /api/org */
  CURRENT_ORG,
  /** Any path the fake does not serve (answered 404 Not found). */
  UNKNOWN
}
