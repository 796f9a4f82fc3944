package io.grafanatokens.reconcile.policy;

import io.grafanatokens.api.v1alpha1.AmazonManagedGrafanaProvider;
import io.grafanatokens.api.v1alpha1.GrafanaProvider;
import io.grafanatokens.api.v1alpha1.ServiceAccountRef;
import io.grafanatokens.api.v1alpha1.YandexCloudProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * docs/reference.md#validation for one provider block: the same rules for a token's inline block
 * and for a connection's, which names no service account. Pure.
 */
final class ProviderBlockRules {
  private static final Pattern URL = Pattern.compile(GrafanaProvider.URL_PATTERN);
  private static final Pattern WORKSPACE_ID = Pattern.compile("^g-[0-9a-f]{10}$");
  static final Set<String> ROLES = Set.of("Viewer", "Editor", "Admin", "None");

  private ProviderBlockRules() {}

  /** spec.grafana; {@code withAccount} false for a connection's block, which names none. */
  static void grafana(GrafanaProvider g, boolean withAccount, List<Violation> out) {
    urlProblem(g.getUrl()).ifPresent(p -> out.add(new Violation("spec.grafana.url", p)));
    if (g.getOrgId() != null && g.getOrgId() < 1) {
      out.add(new Violation("spec.grafana.orgId", "must be >= 1"));
    }
    if (g.getCredentialsSecretRef() == null || blank(g.getCredentialsSecretRef().getName())) {
      out.add(new Violation("spec.grafana.credentialsSecretRef.name", "is required"));
    }
    if (g.getTls() != null
        && g.getTls().getCaSecretRef() != null
        && blank(g.getTls().getCaSecretRef().getName())) {
      out.add(
          new Violation(
              "spec.grafana.tls.caSecretRef.name", "is required when caSecretRef is set"));
    }
    if (!withAccount) {
      if (g.getServiceAccount() != null) {
        out.add(
            new Violation(
                "spec.grafana.serviceAccount",
                "is not part of a connection: give it on the token, " + "as spec.serviceAccount"));
      }
      return;
    }
    serviceAccount(g.getServiceAccount(), "spec.grafana.serviceAccount", out);
  }

  /** A Grafana service account reference: exactly one of id and name, the rest only with a name. */
  static void serviceAccount(ServiceAccountRef sa, String path, List<Violation> out) {
    if (sa == null) {
      out.add(new Violation(path, "is required: set id or name"));
      return;
    }
    boolean hasName = sa.getName() != null;
    if ((sa.getId() != null) == hasName) {
      out.add(new Violation(path, "needs exactly one of id or name"));
    }
    if (sa.getId() != null && sa.getId() < 1) {
      out.add(new Violation(path + ".id", "must be >= 1"));
    }
    if (hasName && sa.getName().isBlank()) {
      out.add(new Violation(path + ".name", "must not be empty"));
    }
    if (!hasName && sa.getCreateIfMissing() != null) {
      out.add(new Violation(path + ".createIfMissing", "is only allowed with name"));
    }
    if (!hasName && sa.getRole() != null) {
      out.add(new Violation(path + ".role", "is only allowed with name"));
    }
    if (sa.getRole() != null && !ROLES.contains(sa.getRole())) {
      out.add(new Violation(path + ".role", "must be one of Viewer, Editor, Admin, None"));
    }
  }

  static Optional<String> urlProblem(String url) {
    if (blank(url)) {
      return Optional.of("is required");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.of("is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return Optional.of("must use http or https");
    }
    if (uri.getRawUserInfo() != null
        || url.substring(scheme.length() + 3).split("/", 2)[0].contains("@")) {
      return Optional.of("must not carry userinfo: put credentials in credentialsSecretRef");
    }
    if (uri.getRawQuery() != null || url.contains("?")) {
      return Optional.of("must not carry a query");
    }
    if (uri.getRawFragment() != null || url.contains("#")) {
      return Optional.of("must not carry a fragment");
    }
    if (blank(uri.getHost())) {
      return Optional.of("must name a host");
    }
    if (!URL.matcher(url).matches()) {
      return Optional.of(
          "must be http(s)://host[:port][/path] without userinfo, query or fragment");
    }
    return Optional.empty();
  }

  /** An endpoint override follows the url rules; absent is fine. */
  static Optional<String> endpointProblem(String endpoint) {
    return endpoint == null ? Optional.empty() : urlProblem(endpoint);
  }

  /** spec.amazonManagedGrafana; {@code withAccount} false for a connection's block. */
  static void amazon(AmazonManagedGrafanaProvider a, boolean withAccount, List<Violation> out) {
    if (a.getWorkspaceId() == null || !WORKSPACE_ID.matcher(a.getWorkspaceId()).matches()) {
      out.add(
          new Violation("spec.amazonManagedGrafana.workspaceId", "must match ^g-[0-9a-f]{10}$"));
    }
    if (blank(a.getRegion())) {
      out.add(new Violation("spec.amazonManagedGrafana.region", "is required"));
    }
    if (withAccount && blank(a.getServiceAccountId())) {
      out.add(new Violation("spec.amazonManagedGrafana.serviceAccountId", "is required"));
    }
    if (!withAccount && a.getServiceAccountId() != null) {
      out.add(
          new Violation(
              "spec.amazonManagedGrafana.serviceAccountId",
              "is not part of a connection: give it on " + "the token, as spec.serviceAccount.id"));
    }
    endpointProblem(a.getEndpoint())
        .ifPresent(m -> out.add(new Violation("spec.amazonManagedGrafana.endpoint", m)));
    if (a.getCredentialsSecretRef() != null && blank(a.getCredentialsSecretRef().getName())) {
      out.add(new Violation("spec.amazonManagedGrafana.credentialsSecretRef.name", "is required"));
    }
  }

  /** spec.yandexCloud; {@code withAccount} false for a connection's block. */
  static void yandex(YandexCloudProvider y, boolean withAccount, List<Violation> out) {
    String sa = y.getServiceAccountId();
    if (withAccount && (sa == null || sa.isEmpty() || sa.length() > 50)) {
      out.add(
          new Violation("spec.yandexCloud.serviceAccountId", "is required, 1 to 50 characters"));
    }
    if (!withAccount && sa != null) {
      out.add(
          new Violation(
              "spec.yandexCloud.serviceAccountId",
              "is not part of a connection: give it on the " + "token, as spec.serviceAccount.id"));
    }
    int options = 0;
    if (y.getAuth() != null) {
      options =
          (y.getAuth().getAuthorizedKeySecretRef() != null ? 1 : 0)
              + (y.getAuth().getWorkloadIdentity() != null ? 1 : 0)
              + (y.getAuth().getMetadataService() != null ? 1 : 0);
    }
    endpointProblem(y.getEndpoint())
        .ifPresent(m -> out.add(new Violation("spec.yandexCloud.endpoint", m)));
    if (y.getAuth() != null
        && y.getAuth().getAuthorizedKeySecretRef() != null
        && blank(y.getAuth().getAuthorizedKeySecretRef().getName())) {
      out.add(new Violation("spec.yandexCloud.auth.authorizedKeySecretRef.name", "is required"));
    }
    if (options != 1) {
      out.add(
          new Violation(
              "spec.yandexCloud.auth",
              "needs exactly one of authorizedKeySecretRef, "
                  + "workloadIdentity, metadataService"));
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
