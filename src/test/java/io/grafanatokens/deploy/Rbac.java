package io.grafanatokens.deploy;

import static org.assertj.core.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.grafanatokens.testing.ApiServerDispatcher.Call;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the rendered RBAC grants one ServiceAccount, as single (scope, group, resource, verb)
 * grants, evaluated the way the API server's RBAC authorizer does for the calls the mock records.
 */
final class Rbac {
  /** Verbs that act on a named object and so can be limited by resourceNames. */
  private static final Set<String> NAMED_VERBS = Set.of("get", "update", "patch", "delete");

  /**
   * One verb on one resource, granted by one rule.
   *
   * @param namespace null: cluster-wide (a ClusterRole bound by a ClusterRoleBinding)
   * @param resourceNames empty: any name
   */
  record Grant(
      String source,
      String namespace,
      String group,
      String resource,
      String verb,
      List<String> resourceNames) {
    boolean matches(Call c) {
      if (!group.equals(c.group()) || !resource.equals(c.resource()) || !verb.equals(c.verb())) {
        return false;
      }
      if (namespace != null && !namespace.equals(c.namespace())) {
        return false;
      }
      // a rule with resourceNames never allows create, list, watch or deletecollection; the name of
      // a named call is checked against the objects themselves (RbacCoverageTest)
      return resourceNames.isEmpty() || NAMED_VERBS.contains(c.verb());
    }

    @Override
    public String toString() {
      return "'"
          + verb
          + " "
          + (group.isEmpty() ? "" : group + "/")
          + resource
          + "'"
          + (resourceNames.isEmpty() ? "" : " names " + resourceNames)
          + (namespace == null ? " cluster-wide" : " in namespace " + namespace)
          + " ("
          + source
          + ")";
    }
  }

  private final List<Grant> grants;

  private Rbac(List<Grant> grants) {
    this.grants = List.copyOf(grants);
  }

  List<Grant> grants() {
    return grants;
  }

  Optional<Grant> grantFor(Call c) {
    return grants.stream().filter(g -> g.matches(c)).findFirst();
  }

  boolean allows(Call c) {
    return grantFor(c).isPresent();
  }

  /** The rules bound to serviceAccount (namespace/name) by the rendered bindings. */
  static Rbac of(List<HasMetadata> objects, String saNamespace, String saName) {
    List<ClusterRole> clusterRoles = Manifests.all(objects, ClusterRole.class);
    List<Role> roles = Manifests.all(objects, Role.class);
    List<Grant> grants = new ArrayList<>();
    for (ClusterRoleBinding b : Manifests.all(objects, ClusterRoleBinding.class)) {
      if (!bindsTo(b.getSubjects(), saNamespace, saName)) {
        continue;
      }
      ClusterRole cr =
          clusterRole(
              clusterRoles, b.getRoleRef(), "ClusterRoleBinding " + b.getMetadata().getName());
      add(grants, cr.getRules(), null, "ClusterRole " + cr.getMetadata().getName());
    }
    for (RoleBinding b : Manifests.all(objects, RoleBinding.class)) {
      if (!bindsTo(b.getSubjects(), saNamespace, saName)) {
        continue;
      }
      String ns = b.getMetadata().getNamespace();
      String where = "RoleBinding " + ns + "/" + b.getMetadata().getName();
      RoleRef ref = b.getRoleRef();
      if ("ClusterRole".equals(ref.getKind())) {
        ClusterRole cr = clusterRole(clusterRoles, ref, where);
        add(
            grants,
            cr.getRules(),
            ns,
            "ClusterRole " + cr.getMetadata().getName() + " via " + where);
      } else {
        Role role =
            roles.stream()
                .filter(
                    r ->
                        ns.equals(r.getMetadata().getNamespace())
                            && ref.getName().equals(r.getMetadata().getName()))
                .findFirst()
                .orElseGet(
                    () ->
                        fail(
                            where
                                + " refers to Role "
                                + ref.getName()
                                + ", which is not in namespace "
                                + ns));
        add(grants, role.getRules(), ns, "Role " + ns + "/" + role.getMetadata().getName());
      }
    }
    return new Rbac(grants);
  }

  private static ClusterRole clusterRole(List<ClusterRole> all, RoleRef ref, String where) {
    return all.stream()
        .filter(r -> ref.getName().equals(r.getMetadata().getName()))
        .findFirst()
        .orElseGet(
            () ->
                fail(
                    where + " refers to ClusterRole " + ref.getName() + ", which is not rendered"));
  }

  private static boolean bindsTo(List<Subject> subjects, String ns, String name) {
    return subjects != null
        && subjects.stream()
            .anyMatch(
                s ->
                    "ServiceAccount".equals(s.getKind())
                        && name.equals(s.getName())
                        && ns.equals(s.getNamespace()));
  }

  private static void add(
      List<Grant> out, List<PolicyRule> rules, String namespace, String source) {
    for (int i = 0; i < rules.size(); i++) {
      PolicyRule r = rules.get(i);
      String src = source + " rule " + (i + 1);
      if (r.getNonResourceURLs() != null && !r.getNonResourceURLs().isEmpty()) {
        fail(
            src
                + " grants nonResourceURLs "
                + r.getNonResourceURLs()
                + ": the operator calls none");
      }
      List<String> names = r.getResourceNames() == null ? List.of() : r.getResourceNames();
      for (String group : r.getApiGroups()) {
        for (String resource : r.getResources()) {
          for (String verb : r.getVerbs()) {
            if (group.contains("*") || resource.contains("*") || verb.contains("*")) {
              fail(
                  src
                      + " has a wildcard ("
                      + verb
                      + " "
                      + group
                      + "/"
                      + resource
                      + "): not least privilege");
            }
            out.add(new Grant(src, namespace, group, resource, verb, names));
          }
        }
      }
    }
  }
}
