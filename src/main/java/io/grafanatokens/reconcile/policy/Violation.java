package io.grafanatokens.reconcile.policy;

/**
 * A spec rule that does not hold, naming the field by its path (e.g. spec.rotation.gracePeriod).
 */
public record Violation(String field, String message) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
