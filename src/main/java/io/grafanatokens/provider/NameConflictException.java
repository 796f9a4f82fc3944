package io.grafanatokens.provider;

import io.grafanatokens.api.v1alpha1.Reasons;

/** The token name is taken (Grafana ErrTokenAlreadyExists / 409, AMG ConflictException). */
public class NameConflictException extends ProviderException {
  public NameConflictException(String message) {
    super(Reasons.PROVIDER_REJECTED, message, null);
  }
}
