package io.grafanatokens.reconcile.policy;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Kubernetes' own syntax rules for label keys and values and annotation keys (k8s.io/apimachinery
 * validation), checked before any write so that a spec can never make the API server refuse the
 * Secret. Pure.
 */
final class KubernetesNames {
  static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final Pattern LABEL_NAME =
      Pattern.compile("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$");

  private KubernetesNames() {}

  /**
   * Kubernetes' qualified name: [prefix/]name, name <= 63 of [A-Za-z0-9._-] with alphanumeric ends.
   */
  static Optional<String> qualifiedNameProblem(String key) {
    if (key == null || key.isEmpty()) {
      return Optional.of("must not be empty");
    }
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        return Optional.of(
            "'"
                + key
                + "' must have a DNS subdomain as its prefix (lowercase letters, digits, '-', '.')");
      }
    }
    if (name.isEmpty() || name.length() > 63 || !LABEL_NAME.matcher(name).matches()) {
      return Optional.of(
          "'"
              + key
              + "' must be at most 63 characters of letters, digits, '-', '_' and '.', "
              + "starting and ending with a letter or digit, after an optional prefix/");
    }
    return Optional.empty();
  }

  /** Kubernetes' label value: empty, or <= 63 of [A-Za-z0-9._-] with alphanumeric ends. */
  static Optional<String> labelValueProblem(String value) {
    if (value == null || value.isEmpty()) {
      return Optional.empty();
    }
    if (value.length() > 63 || !LABEL_NAME.matcher(value).matches()) {
      return Optional.of(
          "'"
              + value
              + "' must be at most 63 characters of letters, digits, '-', '_' and '.', "
              + "starting and ending with a letter or digit");
    }
    return Optional.empty();
  }
}
