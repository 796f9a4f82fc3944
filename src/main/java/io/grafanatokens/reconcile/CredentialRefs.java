package io.grafanatokens.reconcile;

import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import java.util.ArrayList;
import java.util.List;

/** The Secrets a spec reads its credentials from, to notice when one of them changes. */
final class CredentialRefs {
  private CredentialRefs() {}

  static List<String> names(GrafanaServiceAccountTokenSpec spec) {
    List<String> out = new ArrayList<>();
    if (spec.getGrafana() != null) {
      if (spec.getGrafana().getCredentialsSecretRef() != null) {
        out.add(spec.getGrafana().getCredentialsSecretRef().getName());
      }
      if (spec.getGrafana().getTls() != null && spec.getGrafana().getTls().getCaSecretRef() != null) {
        out.add(spec.getGrafana().getTls().getCaSecretRef().getName());
      }
    }
    if (spec.getAmazonManagedGrafana() != null && spec.getAmazonManagedGrafana().getCredentialsSecretRef() != null) {
      out.add(spec.getAmazonManagedGrafana().getCredentialsSecretRef().getName());
    }
    if (spec.getYandexCloud() != null && spec.getYandexCloud().getAuth() != null
        && spec.getYandexCloud().getAuth().getAuthorizedKeySecretRef() != null) {
      out.add(spec.getYandexCloud().getAuth().getAuthorizedKeySecretRef().getName());
    }
    return out;
  }
}
