package io.grafanatokens.reconcile.policy;

import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.api.v1alpha1.RestartTarget;
import io.grafanatokens.api.v1alpha1.Rotation;
import io.grafanatokens.api.v1alpha1.SecretTemplate;
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

  private static final Pattern TOKEN_NAME = Pattern.compile("^[A-Za-z0-9._-]{1,100}$");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

  /** Kubernetes' limit on all annotations of an object, less room for the operator's own. */
  private static final long MAX_ANNOTATIONS_SIZE = 256 * 1024 - 16 * 1024;

  private static final Pattern DATA_KEY = Pattern.compile("^[-._a-zA-Z0-9]+$");
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
    int blocks =
        (spec.getGrafana() != null ? 1 : 0)
            + (spec.getAmazonManagedGrafana() != null ? 1 : 0)
            + (spec.getYandexCloud() != null ? 1 : 0)
            + (spec.getConnectionRef() != null ? 1 : 0);
    if (blocks != 1) {
      out.add(
          new Violation(
              "spec",
              "exactly one of grafana, amazonManagedGrafana, yandexCloud, connectionRef "
                  + "must be set (found "
                  + blocks
                  + ")"));
    }
    ConnectionRules.tokenSide(spec, out);
    if (spec.getGrafana() != null) {
      ProviderBlockRules.grafana(spec.getGrafana(), true, out);
    }
    if (spec.getAmazonManagedGrafana() != null) {
      ProviderBlockRules.amazon(spec.getAmazonManagedGrafana(), true, out);
    }
    if (spec.getYandexCloud() != null) {
      ProviderBlockRules.yandex(spec.getYandexCloud(), true, out);
      if (spec.getSecondsToLive() != null) {
        out.add(
            new Violation(
                "spec.secondsToLive",
                "must be absent with yandexCloud: the IAM service decides the " + "lifetime"));
      }
    }
    if (spec.getTokenName() != null && !TOKEN_NAME.matcher(spec.getTokenName()).matches()) {
      out.add(new Violation("spec.tokenName", "must match ^[A-Za-z0-9._-]{1,100}$"));
    }
    Long ttl = spec.getSecondsToLive();
    if (ttl != null && (ttl < MIN_SECONDS_TO_LIVE || ttl > MAX_SECONDS_TO_LIVE)) {
      out.add(
          new Violation(
              "spec.secondsToLive", "must be between 60 and 2592000 (30 days), got " + ttl));
    }
    rotation(spec, out);
    secret(spec, out);
    if (spec.getDeletionPolicy() != null && !POLICIES.contains(spec.getDeletionPolicy())) {
      out.add(new Violation("spec.deletionPolicy", "must be Revoke or Retain"));
    }
    restartTargets(spec.getRestartTargets(), out);
    return out;
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
        out.add(
            new Violation(
                "spec.rotation.renewBefore",
                "must be a duration such as 8h or 1h30m (units h, m, s)"));
      } else if (renewBefore.get().isZero()) {
        out.add(new Violation("spec.rotation.renewBefore", "must be greater than 0"));
        renewBefore = Optional.empty();
      } else if (spec.getYandexCloud() == null) {
        Duration lifetime = Duration.ofSeconds(requestedSecondsToLive(spec));
        if (renewBefore.get().plus(MIN_RENEW_MARGIN).compareTo(lifetime) > 0) {
          out.add(
              new Violation(
                  "spec.rotation.renewBefore",
                  "must be shorter than the lifetime ("
                      + lifetime.getSeconds()
                      + "s) by at least 30s"));
        }
      }
    }
    if (r.getGracePeriod() != null) {
      Optional<Duration> grace = Durations.parse(r.getGracePeriod());
      if (grace.isEmpty()) {
        out.add(
            new Violation(
                "spec.rotation.gracePeriod",
                "must be a duration such as 10m or 0s (units h, m, s)"));
      } else if (renewBefore.isPresent() && grace.get().compareTo(renewBefore.get()) >= 0) {
        out.add(
            new Violation(
                "spec.rotation.gracePeriod", "must be shorter than spec.rotation.renewBefore"));
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
    if (s.getName() != null
        && (s.getName().length() > 253 || !DNS_SUBDOMAIN.matcher(s.getName()).matches())) {
      out.add(
          new Violation(
              "spec.secret.name", "must be a DNS subdomain (lowercase letters, digits, '-', '.')"));
    }
    if (s.getKey() != null
        && (s.getKey().length() > 253 || !DATA_KEY.matcher(s.getKey()).matches())) {
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
      // Kubernetes' own rules, checked here so that a spec can never make the API server refuse the
      // Secret
      labels.forEach(
          (k, v) -> {
            KubernetesNames.qualifiedNameProblem(k)
                .ifPresent(
                    p -> out.add(new Violation("spec.secret.labels[" + k + "]", "key " + p)));
            KubernetesNames.labelValueProblem(v)
                .ifPresent(
                    p -> out.add(new Violation("spec.secret.labels[" + k + "]", "value " + p)));
          });
    }
    Map<String, String> annotations = s.getAnnotations();
    if (annotations != null
        && annotations.keySet().stream().anyMatch(k -> k.startsWith(ANNOTATION_PREFIX))) {
      out.add(
          new Violation("spec.secret.annotations", "may not set keys under " + ANNOTATION_PREFIX));
    }
    if (annotations != null) {
      annotations
          .keySet()
          .forEach(
              k ->
                  KubernetesNames.qualifiedNameProblem(k)
                      .ifPresent(
                          p ->
                              out.add(
                                  new Violation(
                                      "spec.secret.annotations[" + k + "]", "key " + p))));
      long size =
          annotations.entrySet().stream()
              .mapToLong(
                  e -> e.getKey().length() + (e.getValue() == null ? 0 : e.getValue().length()))
              .sum();
      if (size > MAX_ANNOTATIONS_SIZE) {
        out.add(
            new Violation(
                "spec.secret.annotations",
                "must total at most 256 KiB with the operator's own "
                    + "(found "
                    + size
                    + " bytes)"));
      }
    }
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
        out.add(
            new Violation(
                "spec.restartTargets",
                "must be unique: " + t.getKind() + "/" + t.getName() + " repeats"));
      }
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
