package io.grafanatokens.reconcile;

import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.provider.ProviderKind;
import io.grafanatokens.provider.TokenProvider;
import io.grafanatokens.reconcile.policy.SpecValidator;
import io.grafanatokens.reconcile.policy.Violation;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * docs/reference.md#issuing-crash-safe step 1, the part that needs no Secret: the spec is valid,
 * its provider is built in, and the identity it asks for may be used from its namespace. Issue and
 * delete pass through the same gates.
 */
final class Resolver {
  private final ReconcileDeps d;

  Resolver(ReconcileDeps d) {
    this.d = d;
  }

  Resolution resolve(GrafanaServiceAccountToken r) {
    return resolve(r, field -> true);
  }

  /**
   * For the finalizer: only a provider block that is itself invalid (or unreadable) keeps it from
   * calling the provider. A spec that became invalid elsewhere (a secret.labels value, a duration)
   * still revokes its tokens, or they would live on for up to 30 days with no Secret.
   */
  Resolution resolveForDelete(GrafanaServiceAccountToken r) {
    return resolve(r, Resolver::inProviderBlock);
  }

  static boolean inProviderBlock(String field) {
    return field.equals("spec")
        || PROVIDER_FIELDS.stream()
            .anyMatch(
                f ->
                    field.equals(f)
                        || field.startsWith(f + ".")
                        || field.startsWith(f + "[")
                        || field.startsWith(f + " "));
  }

  private static final List<String> PROVIDER_FIELDS =
      List.of(
          "spec.grafana",
          "spec.amazonManagedGrafana",
          "spec.yandexCloud",
          "spec.connectionRef",
          "spec.serviceAccount");

  /**
   * @param blocking which fields' violations refuse the resource
   */
  private Resolution resolve(GrafanaServiceAccountToken r, Predicate<String> blocking) {
    List<String> unreadable = ReadProblems.of(r).stream().filter(blocking).toList();
    if (!unreadable.isEmpty()) {
      return new Resolution.Refused(
          Reasons.INVALID_SPEC, "could not be read: " + String.join("; ", unreadable));
    }
    List<Violation> violations =
        SpecValidator.validate(r.getSpec()).stream().filter(v -> blocking.test(v.field())).toList();
    if (!violations.isEmpty()) {
      return new Resolution.Refused(
          Reasons.INVALID_SPEC,
          violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
    }
    if (r.getSpec() != null && r.getSpec().getConnectionRef() != null) {
      return new ConnectionResolver(d).resolve(r, blocking);
    }
    ProviderKind kind = ProviderRegistry.kindOf(r.getSpec());
    Optional<TokenProvider> provider = d.providers().forKind(kind);
    if (provider.isEmpty()) {
      return new Resolution.Refused(
          Reasons.INVALID_SPEC,
          "spec."
              + kind.specName()
              + ": this provider is not available in this build of the operator");
    }
    String ns = r.getMetadata().getNamespace();
    if (provider.get().usesAmbientCredentials(r.getSpec()) && !d.ambientAllowed().test(ns)) {
      return new Resolution.Refused(
          Reasons.NOT_PERMITTED,
          "spec."
              + kind.specName()
              + " uses the operator's own "
              + "identity, which namespace "
              + ns
              + " may not use: list it in AMBIENT_CREDENTIALS_NAMESPACES or give a "
              + "credentials Secret");
    }
    return new Resolution.Usable(
        ResolvedResource.of(r, kind, provider.get()),
        new KubernetesSecretLookup(d.credentials(), ns));
  }
}
