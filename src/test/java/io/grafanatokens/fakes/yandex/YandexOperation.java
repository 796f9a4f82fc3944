package io.grafanatokens.fakes.yandex;

/** The endpoints of the fake Yandex IAM, for request counts and fault injection. */
public enum YandexOperation {
  /** POST /iam/v1/tokens: a JWT (or OAuth token) for the caller's own IAM token. */
  CREATE_TOKEN,
  /** POST /iam/v1/tokens:createForServiceAccount. */
  CREATE_FOR_SERVICE_ACCOUNT,
  /** POST /iam/v1/tokens:revoke. */
  REVOKE,
  /** POST /oauth/token: workload identity federation's token exchange. */
  TOKEN_EXCHANGE,
  /** GET /computeMetadata/v1/instance/service-accounts/default/token. */
  METADATA_TOKEN,
  /** Any other path: 404. */
  UNKNOWN
}
