package io.grafanatokens.reconcile.policy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.grafanatokens.api.v1alpha1.ClusterGrafanaConnectionSpec;
import io.grafanatokens.api.v1alpha1.ConnectionRef;
import io.grafanatokens.api.v1alpha1.GrafanaConnectionSpec;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.api.v1alpha1.TokenServiceAccount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * docs/reference.md#using-a-connection: what a token naming a connection may say before the
 * connection is read, and what a connection's own spec must hold. The rules that depend on the
 * connection's provider are checked on the effective spec once it is known. Pure.
 */
public final class ConnectionRules {
  private static final Set<String> KINDS = Set.of(ConnectionRef.NAMESPACED, ConnectionRef.CLUSTER);
  private static final Set<String> SELECTOR_OPERATORS =
      Set.of("In", "NotIn", "Exists", "DoesNotExist");
  private static final Set<String> VALUED_OPERATORS = Set.of("In", "NotIn");
  private static final Pattern DIGITS = Pattern.compile("^[1-9][0-9]{0,17}$");

  private ConnectionRules() {}

  /** spec.connectionRef and spec.serviceAccount of a token. */
  static void tokenSide(GrafanaServiceAccountTokenSpec spec, List<Violation> out) {
    ConnectionRef ref = spec.getConnectionRef();
    TokenServiceAccount sa = spec.getServiceAccount();
    if (ref == null) {
      if (sa != null) {
        out.add(
            new Violation(
                "spec.serviceAccount",
                "is only allowed with spec.connectionRef (a provider block names "
                    + "its own service account)"));
      }
      return;
    }
    if (ref.getKind() != null && !KINDS.contains(ref.getKind())) {
      out.add(
          new Violation(
              "spec.connectionRef.kind", "must be GrafanaConnection or ClusterGrafanaConnection"));
    }
    if (ref.getName() == null
        || ref.getName().length() > 253
        || !KubernetesNames.DNS_SUBDOMAIN.matcher(ref.getName()).matches()) {
      out.add(new Violation("spec.connectionRef.name", "is required: a DNS subdomain"));
    }
    if (sa == null) {
      out.add(
          new Violation(
              "spec.serviceAccount", "is required with spec.connectionRef: set id or name"));
      return;
    }
    if ((sa.getId() != null) == (sa.getName() != null)) {
      out.add(new Violation("spec.serviceAccount", "needs exactly one of id or name"));
    }
    if (sa.getId() != null && (sa.getId().isEmpty() || sa.getId().length() > 50)) {
      out.add(new Violation("spec.serviceAccount.id", "must be 1 to 50 characters"));
    }
    if (sa.getName() != null && (sa.getName().isBlank() || sa.getName().length() > 190)) {
      out.add(new Violation("spec.serviceAccount.name", "must be 1 to 190 characters"));
    }
    if (sa.getName() == null && sa.getCreateIfMissing() != null) {
      out.add(new Violation("spec.serviceAccount.createIfMissing", "is only allowed with name"));
    }
    if (sa.getName() == null && sa.getRole() != null) {
      out.add(new Violation("spec.serviceAccount.role", "is only allowed with name"));
    }
    if (sa.getRole() != null && !ProviderBlockRules.ROLES.contains(sa.getRole())) {
      out.add(
          new Violation("spec.serviceAccount.role", "must be one of Viewer, Editor, Admin, None"));
    }
  }

  /**
   * What a connection's provider asks of spec.serviceAccount: a name, createIfMissing and role only
   * for grafana, whose ids are digits.
   */
  public static List<Violation> accountFor(
      GrafanaConnectionSpec connection, TokenServiceAccount sa) {
    List<Violation> out = new ArrayList<>();
    if (connection.getGrafana() != null) {
      if (sa.getId() != null && !DIGITS.matcher(sa.getId()).matches()) {
        out.add(
            new Violation(
                "spec.serviceAccount.id", "must be the digits of a Grafana service account id"));
      }
      return out;
    }
    String provider =
        connection.getAmazonManagedGrafana() != null ? "amazonManagedGrafana" : "yandexCloud";
    if (sa.getId() == null) {
      out.add(
          new Violation(
              "spec.serviceAccount.id",
              "is required: a " + provider + " connection has no name lookup"));
    }
    Map<String, Object> grafanaOnly = new LinkedHashMap<>();
    grafanaOnly.put("name", sa.getName());
    grafanaOnly.put("createIfMissing", sa.getCreateIfMissing());
    grafanaOnly.put("role", sa.getRole());
    grafanaOnly.forEach(
        (field, value) -> {
          if (value != null) {
            out.add(
                new Violation(
                    "spec.serviceAccount." + field,
                    "is only for a grafana connection, not " + provider));
          }
        });
    return out;
  }

  /** A connection's own spec: exactly one block, valid, and naming no service account. */
  public static List<Violation> connection(GrafanaConnectionSpec spec) {
    List<Violation> out = new ArrayList<>();
    if (spec == null) {
      out.add(new Violation("spec", "is required"));
      return out;
    }
    int blocks =
        (spec.getGrafana() != null ? 1 : 0)
            + (spec.getAmazonManagedGrafana() != null ? 1 : 0)
            + (spec.getYandexCloud() != null ? 1 : 0);
    if (blocks != 1) {
      out.add(
          new Violation(
              "spec",
              "exactly one provider block of grafana, amazonManagedGrafana, yandexCloud must be "
                  + "set (found "
                  + blocks
                  + ")"));
    }
    if (spec.getGrafana() != null) {
      ProviderBlockRules.grafana(spec.getGrafana(), false, out);
    }
    if (spec.getAmazonManagedGrafana() != null) {
      ProviderBlockRules.amazon(spec.getAmazonManagedGrafana(), false, out);
    }
    if (spec.getYandexCloud() != null) {
      ProviderBlockRules.yandex(spec.getYandexCloud(), false, out);
    }
    if (spec instanceof ClusterGrafanaConnectionSpec cluster) {
      namespaceSelector(cluster.getNamespaceSelector(), out);
    }
    return out;
  }

  /**
   * metav1.LabelSelector's own rules, which the API server applies to built-in kinds but not to a
   * selector inside a custom resource: a selector it would refuse never admits or refuses anyone.
   */
  private static void namespaceSelector(LabelSelector selector, List<Violation> out) {
    if (selector == null || selector.getMatchExpressions() == null) {
      return;
    }
    List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
    for (int i = 0; i < expressions.size(); i++) {
      LabelSelectorRequirement e = expressions.get(i);
      String at = "spec.namespaceSelector.matchExpressions[" + i + "]";
      if (e.getKey() == null || e.getKey().isEmpty()) {
        out.add(new Violation(at + ".key", "is required"));
      }
      boolean withValues = e.getValues() != null && !e.getValues().isEmpty();
      if (!SELECTOR_OPERATORS.contains(String.valueOf(e.getOperator()))) {
        out.add(new Violation(at + ".operator", "must be In, NotIn, Exists or DoesNotExist"));
      } else if (VALUED_OPERATORS.contains(e.getOperator()) != withValues) {
        out.add(
            new Violation(
                at + ".values",
                "must be non-empty with In and NotIn, and absent with Exists and "
                    + "DoesNotExist"));
      }
    }
  }
}
