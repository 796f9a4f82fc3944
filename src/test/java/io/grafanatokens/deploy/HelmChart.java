package io.grafanatokens.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Helm chart of deploy/helm, linted and rendered by real Helm in-process (helm-java), as {@code
 * helm template} would send it to the cluster, parsed like {@link Manifests}.
 */
final class HelmChart {
  static final String DIR = "deploy/helm/grafana-token-operator";
  private static final Map<Render, List<HasMetadata>> RENDERED = new ConcurrentHashMap<>();

  /**
   * One {@code helm template}: a release name, its namespace and a values file's text.
   *
   * @param what names the rendering in failure messages
   */
  record Render(String what, String release, String namespace, String values) {
    /** The same release with other values. */
    Render with(String otherWhat, String otherValues) {
      return new Render(otherWhat, release, namespace, otherValues);
    }
  }

  /**
   * What `helm install grafana-token-operator ... -n grafana-token-operator` installs: deploy/'s
   * names.
   */
  static final Render DEFAULTS =
      new Render("the chart (defaults)", "grafana-token-operator", "grafana-token-operator", "");

  /** Another release name and namespace than deploy/'s, so that nothing relies on them. */
  static final Render WATCH_NAMESPACES =
      new Render(
          "the chart (watchNamespaces)", "gto", "platform", "watchNamespaces: [team-a, team-b]\n");

  /** GitOps: the CRDs applied apart from the release. */
  static final Render NO_CRDS =
      DEFAULTS.with("the chart (crds.enabled=false)", "crds: {enabled: false}\n");

  /** Tenants' access handed out otherwise than through the built-in roles. */
  static final Render NO_TENANT_ROLES =
      DEFAULTS.with(
          "the chart (rbac.aggregateClusterRoles=false)", "rbac: {aggregateClusterRoles: false}\n");

  static final Render MONITORING =
      new Render(
          "the chart (monitoring on)",
          "grafana-token-operator",
          "grafana-token-operator",
          """
          podMonitor: {enabled: true}
          prometheusRule: {enabled: true}
          dashboard: {enabled: true}
          """);

  /** An outbound proxy for the provider APIs. */
  static final Render PROXY =
      DEFAULTS.with(
          "the chart (proxy)",
          """
          proxy:
            https: http://proxy.example.com:3128
            noProxy: ["*.svc.cluster.local", grafana.internal]
          """);

  private HelmChart() {}

  static Path dir() {
    return Manifests.projectDir().resolve(DIR);
  }

  static LintResult lint() {
    return new Helm(dir()).lint().strict().call();
  }

  /** The parsed render, cached: Helm's output for the same input does not change within a run. */
  static List<HasMetadata> render(Render r) {
    return RENDERED.computeIfAbsent(r, x -> Manifests.parse(template(x)));
  }

  /** {@code helm template}'s YAML; a schema violation or a template's fail() throws. */
  static String template(Render r) {
    return template(r, KUBERNETES);
  }

  /**
   * The Kubernetes version renders assume (Helm's own default is older than the chart's kubeVersion
   * allows).
   */
  static final String KUBERNETES = "v1.30.0";

  /** {@code helm template --kube-version}: as if to a cluster of that version. */
  static String template(Render r, String kubernetesVersion) {
    Path values;
    try {
      values = Files.createTempFile("helm-values-", ".yaml");
      Files.writeString(values, r.values());
    } catch (IOException e) {
      throw new AssertionError("cannot write the values of " + r.what(), e);
    }
    try {
      return new Helm(dir())
          .template()
          .withName(r.release())
          .withNamespace(r.namespace())
          .withKubeVersion(kubernetesVersion)
          .withValuesFile(values)
          .call();
    } finally {
      try {
        Files.deleteIfExists(values);
      } catch (IOException e) {
        // a temp file left behind is harmless
      }
    }
  }
}
