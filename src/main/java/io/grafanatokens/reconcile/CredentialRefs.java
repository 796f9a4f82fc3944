package io.grafanatokens.reconcile;

import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The Secrets a spec reads its credentials from, to notice when one of them changes. */
final class CredentialRefs {
  private CredentialRefs() {}

  /** Every Secret the provider reads: the credential and a CA bundle. */
  static List<String> names(GrafanaServiceAccountTokenSpec spec) {
    List<String> out = new ArrayList<>();
    credential(spec).ifPresent(out::add);
    if (spec.getGrafana() != null
        && spec.getGrafana().getTls() != null
        && spec.getGrafana().getTls().getCaSecretRef() != null) {
      out.add(spec.getGrafana().getTls().getCaSecretRef().getName());
    }
    return out;
  }

  /**
   * The Secret whose content the provider presents as the operator's credential; empty for ambient
   * identity.
   */
  static Optional<String> credential(GrafanaServiceAccountTokenSpec spec) {
    if (spec.getGrafana() != null && spec.getGrafana().getCredentialsSecretRef() != null) {
      return Optional.ofNullable(spec.getGrafana().getCredentialsSecretRef().getName());
    }
    if (spec.getAmazonManagedGrafana() != null
        && spec.getAmazonManagedGrafana().getCredentialsSecretRef() != null) {
      return Optional.ofNullable(
          spec.getAmazonManagedGrafana().getCredentialsSecretRef().getName());
    }
    if (spec.getYandexCloud() != null
        && spec.getYandexCloud().getAuth() != null
        && spec.getYandexCloud().getAuth().getAuthorizedKeySecretRef() != null) {
      return Optional.ofNullable(
          spec.getYandexCloud().getAuth().getAuthorizedKeySecretRef().getName());
    }
    return Optional.empty();
  }
}
