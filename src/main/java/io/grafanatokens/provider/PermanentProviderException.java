package io.grafanatokens.provider;

/**
 * Fixed outside Kubernetes (401, 403, 404, 402, validation, lifetime limits), or a missing
 * credential: re-checked on the schedule of docs/reference.md#failures-and-retries for its reason.
 */
public class PermanentProviderException extends ProviderException {
  public PermanentProviderException(String reason, String message) {
    super(reason, message, null);
  }
}
