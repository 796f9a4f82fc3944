package io.grafanatokens.provider;

/** The token name is taken (Grafana ErrTokenAlreadyExists / 409, AMG ConflictException). */
public class NameConflictException extends ProviderException {
  public NameConflictException(String message) {
    super(ProviderReasons.PROVIDER_REJECTED, message, null);
  }
}
