package io.grafanatokens.reconcile.policy;

import io.grafanatokens.api.v1alpha1.AmazonManagedGrafanaProvider;
import io.grafanatokens.api.v1alpha1.GrafanaProvider;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.api.v1alpha1.RestartTarget;
import io.grafanatokens.api.v1alpha1.Rotation;
import io.grafanatokens.api.v1alpha1.SecretTemplate;
import io.grafanatokens.api.v1alpha1.ServiceAccountRef;
import io.grafanatokens.api.v1alpha1.YandexCloudProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of docs/reference.md#validation, checked again by the operator because the API server's
 * validation can be off or old. Pure: no API calls.
 */
public final class SpecValidator {
  public static final long MIN_SECONDS_TO_LIVE = 60;
  public static final long MAX_SECONDS_TO_LIVE = 2_592_000;
  public static final long DEFAULT_SECONDS_TO_LIVE = 86_400;
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String ANNOTATION_PREFIX = "grafanatokens.io/";

  private static final Pattern URL = Pattern.compile(GrafanaProvider.URL_PATTERN);
  private static final Pattern TOKEN_NAME = Pattern.compile("^[A-Za-z0-9._-]{1,100}$");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final Pattern LABEL_NAME = Pattern.compile("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$");
  /** Kubernetes' limit on all annotations of an object, less room for the operator's own. */
  private static final long MAX_ANNOTATIONS_SIZE = 256 * 1024 - 16 * 1024;
  private static final Pattern DATA_KEY = Pattern.compile("^[-._a-zA-Z0-9]+$");
  private static final Pattern WORKSPACE_ID = Pattern.compile("^g-[0-9a-f]{10}$");
  private static final Set<String> ROLES = Set.of("Viewer", "Editor", "Admin", "None");
  private static final Set<String> KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet");
  private static final Set<String> POLICIES = Set.of("Revoke", "Retain");
  private static final Duration MIN_RENEW_MARGIN = Duration.ofSeconds(30);

  private SpecValidator() {}

  /** All violations, in the order of the reference's table; empty when the spec is valid. */
  public static List<Violation> validate(GrafanaServiceAccountTokenSpec spec) {
    List<Violation> out = new ArrayList<>();
    if (spec == null) {
      out.add(new Violation("spec", "is required"));
      return out;
    }
    int blocks = (spec.getGrafana() != null ? 1 : 0)
        + (spec.getAmazonManagedGrafana() != null ? 1 : 0)
        + (spec.getYandexCloud() != null ? 1 : 0);
    if (blocks != 1) {
      out.add(new Violation("spec", "exactly one provider block of grafana, amazonManagedGrafana, "
          + "yandexCloud must be set (found " + blocks + ")"));
    }
    if (spec.getGrafana() != null) {
      grafana(spec.getGrafana(), out);
    }
    if (spec.getAmazonManagedGrafana() != null) {
      amazon(spec.getAmazonManagedGrafana(), out);
    }
    if (spec.getYandexCloud() != null) {
      yandex(spec, out);
    }
    if (spec.getTokenName() != null && !TOKEN_NAME.matcher(spec.getTokenName()).matches()) {
      out.add(new Violation("spec.tokenName", "must match ^[A-Za-z0-9._-]{1,100}$"));
    }
    Long ttl = spec.getSecondsToLive();
    if (ttl != null && (ttl < MIN_SECONDS_TO_LIVE || ttl > MAX_SECONDS_TO_LIVE)) {
      out.add(new Violation("spec.secondsToLive", "must be between 60 and 2592000 (30 days), got " + ttl));
    }
    rotation(spec, out);
    secret(spec, out);
    if (spec.getDeletionPolicy() != null && !POLICIES.contains(spec.getDeletionPolicy())) {
      out.add(new Violation("spec.deletionPolicy", "must be Revoke or Retain"));
    }
    restartTargets(spec.getRestartTargets(), out);
    return out;
  }

  private static void grafana(GrafanaProvider g, List<Violation> out) {
    urlProblem(g.getUrl()).ifPresent(p -> out.add(new Violation("spec.grafana.url", p)));
    if (g.getOrgId() != null && g.getOrgId() < 1) {
      out.add(new Violation("spec.grafana.orgId", "must be >= 1"));
    }
    if (g.getCredentialsSecretRef() == null || blank(g.getCredentialsSecretRef().getName())) {
      out.add(new Violation("spec.grafana.credentialsSecretRef.name", "is required"));
    }
    if (g.getTls() != null && g.getTls().getCaSecretRef() != null && blank(g.getTls().getCaSecretRef().getName())) {
      out.add(new Violation("spec.grafana.tls.caSecretRef.name", "is required when caSecretRef is set"));
    }
    ServiceAccountRef sa = g.getServiceAccount();
    if (sa == null) {
      out.add(new Violation("spec.grafana.serviceAccount", "is required: set id or name"));
      return;
    }
    boolean hasName = sa.getName() != null;
    if ((sa.getId() != null) == hasName) {
      out.add(new Violation("spec.grafana.serviceAccount", "needs exactly one of id or name"));
    }
    if (sa.getId() != null && sa.getId() < 1) {
      out.add(new Violation("spec.grafana.serviceAccount.id", "must be >= 1"));
    }
    if (hasName && sa.getName().isBlank()) {
      out.add(new Violation("spec.grafana.serviceAccount.name", "must not be empty"));
    }
    if (!hasName && sa.getCreateIfMissing() != null) {
      out.add(new Violation("spec.grafana.serviceAccount.createIfMissing", "is only allowed with name"));
    }
    if (!hasName && sa.getRole() != null) {
      out.add(new Violation("spec.grafana.serviceAccount.role", "is only allowed with name"));
    }
    if (sa.getRole() != null && !ROLES.contains(sa.getRole())) {
      out.add(new Violation("spec.grafana.serviceAccount.role", "must be one of Viewer, Editor, Admin, None"));
    }
  }

  private static Optional<String> urlProblem(String url) {
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
    if (uri.getRawUserInfo() != null || url.substring(scheme.length() + 3).split("/", 2)[0].contains("@")) {
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
      return Optional.of("must be http(s)://host[:port][/path] without userinfo, query or fragment");
    }
    return Optional.empty();
  }

  /** An endpoint override follows the url rules; absent is fine. */
  private static Optional<String> endpointProblem(String endpoint) {
    return endpoint == null ? Optional.empty() : urlProblem(endpoint);
  }

  private static void amazon(AmazonManagedGrafanaProvider a, List<Violation> out) {
    if (a.getWorkspaceId() == null || !WORKSPACE_ID.matcher(a.getWorkspaceId()).matches()) {
      out.add(new Violation("spec.amazonManagedGrafana.workspaceId", "must match ^g-[0-9a-f]{10}$"));
    }
    if (blank(a.getRegion())) {
      out.add(new Violation("spec.amazonManagedGrafana.region", "is required"));
    }
    if (blank(a.getServiceAccountId())) {
      out.add(new Violation("spec.amazonManagedGrafana.serviceAccountId", "is required"));
    }
    endpointProblem(a.getEndpoint()).ifPresent(m -> out.add(new Violation("spec.amazonManagedGrafana.endpoint", m)));
    if (a.getCredentialsSecretRef() != null && blank(a.getCredentialsSecretRef().getName())) {
      out.add(new Violation("spec.amazonManagedGrafana.credentialsSecretRef.name", "is required"));
    }
  }

  private static void yandex(GrafanaServiceAccountTokenSpec spec, List<Violation> out) {
    YandexCloudProvider y = spec.getYandexCloud();
    String sa = y.getServiceAccountId();
    if (sa == null || sa.isEmpty() || sa.length() > 50) {
      out.add(new Violation("spec.yandexCloud.serviceAccountId", "is required, 1 to 50 characters"));
    }
    int options = 0;
    if (y.getAuth() != null) {
      options = (y.getAuth().getAuthorizedKeySecretRef() != null ? 1 : 0)
          + (y.getAuth().getWorkloadIdentity() != null ? 1 : 0)
          + (y.getAuth().getMetadataService() != null ? 1 : 0);
    }
    endpointProblem(y.getEndpoint()).ifPresent(m -> out.add(new Violation("spec.yandexCloud.endpoint", m)));
    if (y.getAuth() != null && y.getAuth().getAuthorizedKeySecretRef() != null
        && blank(y.getAuth().getAuthorizedKeySecretRef().getName())) {
      out.add(new Violation("spec.yandexCloud.auth.authorizedKeySecretRef.name", "is required"));
    }
    if (options != 1) {
      out.add(new Violation("spec.yandexCloud.auth", "needs exactly one of authorizedKeySecretRef, "
          + "workloadIdentity, metadataService"));
    }
    if (spec.getSecondsToLive() != null) {
      out.add(new Violation("spec.secondsToLive", "must be absent with yandexCloud: the IAM service decides the lifetime"));
    }
  }

  private static void rotation(GrafanaServiceAccountTokenSpec spec, List<Violation> out) {
    Rotation r = spec.getRotation();
    if (r == null) {
      return;
    }
    Optional<Duration> renewBefore = Optional.empty();
    if (r.getRenewBefore() != null) {
      renewBefore = Durations.parse(r.getRenewBefore());
      if (renewBefore.isEmpty()) {
        out.add(new Violation("spec.rotation.renewBefore", "must be a duration such as 8h or 1h30m (units h, m, s)"));
      } else if (renewBefore.get().isZero()) {
        out.add(new Violation("spec.rotation.renewBefore", "must be greater than 0"));
        renewBefore = Optional.empty();
      } else if (spec.getYandexCloud() == null) {
        Duration lifetime = Duration.ofSeconds(requestedSecondsToLive(spec));
        if (renewBefore.get().plus(MIN_RENEW_MARGIN).compareTo(lifetime) > 0) {
          out.add(new Violation("spec.rotation.renewBefore", "must be shorter than the lifetime ("
              + lifetime.getSeconds() + "s) by at least 30s"));
        }
      }
    }
    if (r.getGracePeriod() != null) {
      Optional<Duration> grace = Durations.parse(r.getGracePeriod());
      if (grace.isEmpty()) {
        out.add(new Violation("spec.rotation.gracePeriod", "must be a duration such as 10m or 0s (units h, m, s)"));
      } else if (renewBefore.isPresent() && grace.get().compareTo(renewBefore.get()) >= 0) {
        out.add(new Violation("spec.rotation.gracePeriod", "must be shorter than spec.rotation.renewBefore"));
      }
    }
  }

  /** secondsToLive or its default (grafana and AMG). */
  public static long requestedSecondsToLive(GrafanaServiceAccountTokenSpec spec) {
    return spec.getSecondsToLive() != null ? spec.getSecondsToLive() : DEFAULT_SECONDS_TO_LIVE;
  }

  private static void secret(GrafanaServiceAccountTokenSpec spec, List<Violation> out) {
    SecretTemplate s = spec.getSecret();
    if (s == null) {
      return;
    }
    if (s.getName() != null && (s.getName().length() > 253 || !DNS_SUBDOMAIN.matcher(s.getName()).matches())) {
      out.add(new Violation("spec.secret.name", "must be a DNS subdomain (lowercase letters, digits, '-', '.')"));
    }
    if (s.getKey() != null && (s.getKey().length() > 253 || !DATA_KEY.matcher(s.getKey()).matches())) {
      out.add(new Violation("spec.secret.key", "must match ^[-._a-zA-Z0-9]+$"));
    }
    String urlKey = s.getUrlKey();
    if (urlKey != null && !urlKey.isEmpty()) {
      if (urlKey.length() > 253 || !DATA_KEY.matcher(urlKey).matches()) {
        out.add(new Violation("spec.secret.urlKey", "must match ^[-._a-zA-Z0-9]+$"));
      }
      String key = s.getKey() == null ? SecretTemplate.DEFAULT_KEY : s.getKey();
      if (urlKey.equals(key)) {
        out.add(new Violation("spec.secret.urlKey", "must differ from spec.secret.key"));
      }
      if (spec.getYandexCloud() != null) {
        out.add(new Violation("spec.secret.urlKey", "is not supported with yandexCloud"));
      }
    }
    Map<String, String> labels = s.getLabels();
    if (labels != null && labels.containsKey(MANAGED_BY_LABEL)) {
      out.add(new Violation("spec.secret.labels", "may not set " + MANAGED_BY_LABEL));
    }
    if (labels != null) {
      // Kubernetes' own rules, checked here so that a spec can never make the API server refuse the Secret
      labels.forEach((k, v) -> {
        qualifiedNameProblem(k).ifPresent(p -> out.add(new Violation("spec.secret.labels[" + k + "]", "key " + p)));
        labelValueProblem(v).ifPresent(p -> out.add(new Violation("spec.secret.labels[" + k + "]", "value " + p)));
      });
    }
    Map<String, String> annotations = s.getAnnotations();
    if (annotations != null && annotations.keySet().stream().anyMatch(k -> k.startsWith(ANNOTATION_PREFIX))) {
      out.add(new Violation("spec.secret.annotations", "may not set keys under " + ANNOTATION_PREFIX));
    }
    if (annotations != null) {
      annotations.keySet().forEach(k -> qualifiedNameProblem(k)
          .ifPresent(p -> out.add(new Violation("spec.secret.annotations[" + k + "]", "key " + p))));
      long size = annotations.entrySet().stream()
          .mapToLong(e -> e.getKey().length() + (e.getValue() == null ? 0 : e.getValue().length())).sum();
      if (size > MAX_ANNOTATIONS_SIZE) {
        out.add(new Violation("spec.secret.annotations", "must total at most 256 KiB with the operator's own "
            + "(found " + size + " bytes)"));
      }
    }
  }

  /** Kubernetes' qualified name: [prefix/]name, name <= 63 of [A-Za-z0-9._-] with alphanumeric ends. */
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
        return Optional.of("'" + key + "' must have a DNS subdomain as its prefix (lowercase letters, digits, '-', '.')");
      }
    }
    if (name.isEmpty() || name.length() > 63 || !LABEL_NAME.matcher(name).matches()) {
      return Optional.of("'" + key + "' must be at most 63 characters of letters, digits, '-', '_' and '.', "
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
      return Optional.of("'" + value + "' must be at most 63 characters of letters, digits, '-', '_' and '.', "
          + "starting and ending with a letter or digit");
    }
    return Optional.empty();
  }

  private static void restartTargets(List<RestartTarget> targets, List<Violation> out) {
    if (targets == null) {
      return;
    }
    if (targets.size() > 20) {
      out.add(new Violation("spec.restartTargets", "at most 20 entries, got " + targets.size()));
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < targets.size(); i++) {
      RestartTarget t = targets.get(i);
      String path = "spec.restartTargets[" + i + "]";
      if (t == null) {
        out.add(new Violation(path, "must not be null"));
        continue;
      }
      if (t.getKind() == null || !KINDS.contains(t.getKind())) {
        out.add(new Violation(path + ".kind", "must be Deployment, StatefulSet or DaemonSet"));
      }
      if (blank(t.getName())) {
        out.add(new Violation(path + ".name", "is required"));
      }
      if (!seen.add(t.getKind() + "/" + t.getName())) {
        out.add(new Violation("spec.restartTargets", "must be unique: " + t.getKind() + "/" + t.getName() + " repeats"));
      }
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
