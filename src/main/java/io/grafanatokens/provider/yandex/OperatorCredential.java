package io.grafanatokens.provider.yandex;

import io.grafanatokens.provider.ProviderException;

/** How the operator obtains its own IAM token for one option of spec.yandexCloud.auth. */
interface OperatorCredential {
  /** Identifies the identity and where its token comes from, to share a cached token; no secret. */
  String cacheKey();

  /**
   * Who the operator acts as, for messages, e.g. "service account X (authorized key K in Secret
   * S)".
   */
  String identity();

  /** Obtains a new IAM token (no cache). */
  OperatorToken obtain() throws ProviderException;
}
