package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.grafanatokens.api.v1alpha1.ClusterGrafanaConnection;
import io.grafanatokens.api.v1alpha1.ConnectionRef;
import io.grafanatokens.api.v1alpha1.GrafanaConnectionSpec;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.provider.ProviderKind;
import io.grafanatokens.provider.TokenProvider;
import io.grafanatokens.reconcile.policy.ConnectionRules;
import io.grafanatokens.reconcile.policy.EffectiveSpec;
import io.grafanatokens.reconcile.policy.LabelSelectors;
import io.grafanatokens.reconcile.policy.Violation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * docs/reference.md#using-a-connection: a token naming a connection gets the connection's block
 * plus its own spec.serviceAccount as its effective block, and from then on is reconciled like one
 * with the block inline. A missing connection, a namespace a cluster connection does not admit, or
 * an invalid combination is refused before any provider call — on delete too.
 */
final class ConnectionResolver {
  private final ReconcileDeps d;

  ConnectionResolver(ReconcileDeps d) {
    this.d = d;
  }

  /**
   * @param blocking which of the token's fields, when invalid with this connection, refuse it
   */
  Resolution resolve(GrafanaServiceAccountToken r, java.util.function.Predicate<String> blocking) {
    ConnectionRef ref = r.getSpec().getConnectionRef();
    String ns = r.getMetadata().getNamespace();
    boolean cluster = ConnectionRef.CLUSTER.equals(ref.kindOrDefault());
    Optional<? extends HasMetadata> found =
        cluster
            ? d.connections().cluster(ref.getName())
            : d.connections().namespaced(ns, ref.getName());
    if (found.isEmpty()) {
      String hint =
          cluster && !d.connections().servesClusterConnections()
              ? "; this install does not read ClusterGrafanaConnections (CLUSTER_CONNECTIONS, and the ClusterRole of "
                  + "deploy/namespaced-with-cluster-connections)"
              : "";
      return new Resolution.Refused(
          Reasons.CONNECTION_NOT_FOUND,
          "spec.connectionRef: "
              + ref.kindOrDefault()
              + " "
              + (cluster ? "" : ns + "/")
              + ref.getName()
              + " does not exist"
              + hint);
    }
    GrafanaConnectionSpec block =
        cluster
            ? ((ClusterGrafanaConnection) found.get()).getSpec()
            : ((io.grafanatokens.api.v1alpha1.GrafanaConnection) found.get()).getSpec();
    String what = ref.kindOrDefault() + " " + ref.getName();
    if (cluster) {
      Optional<Map<String, String>> labels = d.namespaces().labels(ns);
      if (labels.isEmpty()) {
        return new Resolution.Refused(
            Reasons.NOT_PERMITTED,
            what
                + ": the labels of namespace "
                + ns
                + " cannot be read to check its namespaceSelector");
      }
      if (!LabelSelectors.matches(
          ((ClusterGrafanaConnection) found.get()).getSpec().getNamespaceSelector(),
          labels.get())) {
        return new Resolution.Refused(
            Reasons.NOT_PERMITTED,
            what + " does not admit namespace " + ns + " (its namespaceSelector)");
      }
    }
    List<Violation> problems = ConnectionRules.connection(block);
    if (!problems.isEmpty()) {
      return new Resolution.Refused(
          Reasons.INVALID_SPEC, what + " is invalid: " + joined(problems));
    }
    problems =
        EffectiveSpec.problems(r.getSpec(), block).stream()
            .filter(v -> blocking.test(v.field()))
            .toList();
    GrafanaServiceAccountTokenSpec effective =
        EffectiveSpec.of(r.getSpec(), block, r.getSpec().getServiceAccount());
    if (!problems.isEmpty()) {
      return new Resolution.Refused(Reasons.INVALID_SPEC, joined(problems));
    }
    ProviderKind kind = ProviderRegistry.kindOf(effective);
    Optional<TokenProvider> provider = d.providers().forKind(kind);
    if (provider.isEmpty()) {
      return new Resolution.Refused(
          Reasons.INVALID_SPEC,
          what
              + ": its provider "
              + kind.specName()
              + " is not available in this build of the operator");
    }
    // a cluster connection's identity was chosen by a cluster admin, whose selector says who may
    // use it
    if (!cluster
        && provider.get().usesAmbientCredentials(effective)
        && !d.ambientAllowed().test(ns)) {
      return new Resolution.Refused(
          Reasons.NOT_PERMITTED,
          what
              + " uses the operator's own identity, which namespace "
              + ns
              + " may not use: list it in AMBIENT_CREDENTIALS_NAMESPACES or give the connection a credentials Secret");
    }
    // a cluster connection's Secrets are the operator's, never a tenant's of the same name
    String credentials = cluster ? d.operatorNamespace() : ns;
    return new Resolution.Usable(
        ResolvedResource.of(r, effective, kind, provider.get()),
        new KubernetesSecretLookup(d.credentials(), credentials));
  }

  private static String joined(List<Violation> vs) {
    return vs.stream().map(Violation::toString).collect(Collectors.joining("; "));
  }
}
