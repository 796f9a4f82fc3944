package io.grafanatokens.api;

import static io.grafanatokens.api.CrdValidationTest.deepCopy;
import static io.grafanatokens.api.CrdValidationTest.edit;
import static io.grafanatokens.api.CrdValidationTest.isAtOrBelow;
import static io.grafanatokens.api.CrdValidationTest.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.grafanatokens.api.CrdValidationTest.CrdSchema;
import io.grafanatokens.api.CrdValidationTest.SchemaError;
import io.grafanatokens.api.v1alpha1.ClusterGrafanaConnectionSpec;
import io.grafanatokens.api.v1alpha1.GrafanaConnectionSpec;
import io.grafanatokens.reconcile.policy.ConnectionRules;
import io.grafanatokens.reconcile.policy.Violation;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The validation table of docs/reference.md#connection-spec-fields: example GrafanaConnection and
 * ClusterGrafanaConnection specs checked against the generated CRDs (schema and CEL, as {@link
 * CrdValidationTest} does for tokens) and against {@link ConnectionRules#connection}, which the
 * operator applies again because the API server's validation can be off or old.
 */
class ConnectionCrdValidationTest {
  static final String NAMESPACED_FILE = "grafanaconnections.grafanatokens.io-v1.yml";
  static final String CLUSTER_FILE = "clustergrafanaconnections.grafanatokens.io-v1.yml";
  static final CrdSchema NAMESPACED =
      CrdSchema.load("/META-INF/fabric8/" + NAMESPACED_FILE, "v1alpha1");
  static final CrdSchema CLUSTER = CrdSchema.load("/META-INF/fabric8/" + CLUSTER_FILE, "v1alpha1");

  static final String GRAFANA =
      """
      grafana:
        url: https://grafana.example.com
        orgId: 2
        credentialsSecretRef: {name: grafana-admin}
        tls: {caSecretRef: {name: grafana-ca}}
      """;

  static final String AMG_IRSA =
      """
      amazonManagedGrafana:
        workspaceId: g-0123456789
        region: eu-west-1
      """;

  static final String YANDEX_KEY =
      """
      yandexCloud:
        auth:
          authorizedKeySecretRef: {name: yc-sa-key}
      """;

  static final String CLUSTER_GRAFANA =
      GRAFANA
          + """
      namespaceSelector:
        matchLabels: {grafanatokens.io/grafana-main: allowed}
        matchExpressions:
          - {key: team, operator: In, values: [a, b]}
          - {key: sandbox, operator: DoesNotExist}
      """;

  static Stream<Arguments> goodExamples() {
    return Stream.of(
        Arguments.of("grafana with org, credentials and a CA", spec(GRAFANA)),
        Arguments.of("amazonManagedGrafana with the operator's own identity", spec(AMG_IRSA)),
        Arguments.of(
            "amazonManagedGrafana with a credentials Secret and an endpoint",
            edit(AMG_IRSA)
                .set("amazonManagedGrafana.credentialsSecretRef", Map.of("name", "aws-creds"))
                .set(
                    "amazonManagedGrafana.endpoint",
                    "https://vpce-1.grafana.eu-west-1.vpce.amazonaws.com")
                .spec()),
        Arguments.of("yandexCloud with an authorized key", spec(YANDEX_KEY)));
  }

  static Stream<Arguments> goodClusterExamples() {
    return Stream.of(
        Arguments.of("a selector of labels and expressions", spec(CLUSTER_GRAFANA)),
        Arguments.of(
            "an empty selector admits every namespace",
            edit(AMG_IRSA).set("namespaceSelector", Map.of()).spec()),
        Arguments.of(
            "NotIn and Exists",
            edit(YANDEX_KEY)
                .set(
                    "namespaceSelector.matchExpressions",
                    List.of(
                        Map.of("key", "tier", "operator", "NotIn", "values", List.of("prod")),
                        Map.of("key", "grafana", "operator", "Exists")))
                .spec()));
  }

  /** Both kinds reject these. */
  static Stream<Arguments> badExamples() {
    return Stream.of(
        Arguments.of("no provider block", "spec", Map.of()),
        Arguments.of(
            "two provider blocks",
            "spec",
            edit(GRAFANA).set("yandexCloud", spec(YANDEX_KEY).get("yandexCloud")).spec()),
        Arguments.of(
            "grafana.serviceAccount in a connection",
            "spec.grafana.serviceAccount",
            edit(GRAFANA).set("grafana.serviceAccount", Map.of("id", 2)).spec()),
        // the shared block's own rules on serviceAccount fire too: refused either way, never read
        Arguments.of(
            "grafana.serviceAccount empty in a connection",
            "spec.grafana.serviceAccount",
            edit(GRAFANA).set("grafana.serviceAccount", Map.of()).spec()),
        Arguments.of(
            "grafana.serviceAccount with id and createIfMissing in a connection",
            "spec.grafana.serviceAccount",
            edit(GRAFANA)
                .set("grafana.serviceAccount", Map.of("id", 2, "createIfMissing", true))
                .spec()),
        Arguments.of(
            "grafana.serviceAccount with id and role in a connection",
            "spec.grafana.serviceAccount",
            edit(GRAFANA).set("grafana.serviceAccount", Map.of("id", 2, "role", "Viewer")).spec()),
        Arguments.of(
            "amazonManagedGrafana.serviceAccountId in a connection",
            "spec.amazonManagedGrafana.serviceAccountId",
            edit(AMG_IRSA).set("amazonManagedGrafana.serviceAccountId", "3").spec()),
        Arguments.of(
            "yandexCloud.serviceAccountId in a connection",
            "spec.yandexCloud.serviceAccountId",
            edit(YANDEX_KEY).set("yandexCloud.serviceAccountId", "ajeabcdefghijklmnopq").spec()),
        Arguments.of(
            "grafana.url missing", "spec.grafana.url", edit(GRAFANA).remove("grafana.url").spec()),
        Arguments.of(
            "grafana.credentialsSecretRef missing",
            "spec.grafana.credentialsSecretRef",
            edit(GRAFANA).remove("grafana.credentialsSecretRef").spec()),
        Arguments.of(
            "amazonManagedGrafana.workspaceId malformed",
            "spec.amazonManagedGrafana.workspaceId",
            edit(AMG_IRSA).set("amazonManagedGrafana.workspaceId", "ws-1").spec()),
        Arguments.of(
            "yandexCloud.auth with two options",
            "spec.yandexCloud.auth",
            edit(YANDEX_KEY).set("yandexCloud.auth.metadataService", Map.of()).spec()));
  }

  /** Only a ClusterGrafanaConnection has a namespaceSelector: metav1.LabelSelector's own rules. */
  static Stream<Arguments> badClusterExamples() {
    return Stream.of(
        Arguments.of(
            "namespaceSelector operator Like",
            "spec.namespaceSelector",
            edit(CLUSTER_GRAFANA)
                .set("namespaceSelector.matchExpressions[0].operator", "Like")
                .spec()),
        Arguments.of(
            "namespaceSelector In without values",
            "spec.namespaceSelector",
            edit(CLUSTER_GRAFANA).remove("namespaceSelector.matchExpressions[0].values").spec()),
        Arguments.of(
            "namespaceSelector Exists with values",
            "spec.namespaceSelector",
            edit(CLUSTER_GRAFANA)
                .set("namespaceSelector.matchExpressions[1].values", List.of("x"))
                .spec()),
        Arguments.of(
            "namespaceSelector expression without key",
            "spec.namespaceSelector",
            edit(CLUSTER_GRAFANA).remove("namespaceSelector.matchExpressions[1].key").spec()));
  }

  static Stream<Arguments> everyGoodForCluster() {
    return Stream.concat(goodExamples(), goodClusterExamples());
  }

  static Stream<Arguments> everyBadForCluster() {
    return Stream.concat(badExamples(), badClusterExamples());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goodExamples")
  void goodGrafanaConnectionIsAcceptedByTheCrdAndTheOperator(
      String name, Map<String, Object> spec) {
    assertThat(NAMESPACED.validate(resource("GrafanaConnection", spec)))
        .as("schema + CEL errors")
        .isEmpty();
    assertThat(ConnectionRules.connection(namespaced(spec))).as("ConnectionRules").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyGoodForCluster")
  void goodClusterGrafanaConnectionIsAcceptedByTheCrdAndTheOperator(
      String name, Map<String, Object> spec) {
    assertThat(CLUSTER.validate(resource("ClusterGrafanaConnection", spec)))
        .as("schema + CEL errors")
        .isEmpty();
    assertThat(ConnectionRules.connection(cluster(spec))).as("ConnectionRules").isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("badExamples")
  void badGrafanaConnectionIsRejectedByTheCrdAndTheOperatorNamingTheField(
      String name, String field, Map<String, Object> spec) {
    assertRejected(NAMESPACED.validate(resource("GrafanaConnection", spec)), field);
    assertRejectedByOperator(ConnectionRules.connection(namespaced(spec)), field);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("everyBadForCluster")
  void badClusterGrafanaConnectionIsRejectedByTheCrdAndTheOperatorNamingTheField(
      String name, String field, Map<String, Object> spec) {
    assertRejected(CLUSTER.validate(resource("ClusterGrafanaConnection", spec)), field);
    assertRejectedByOperator(ConnectionRules.connection(cluster(spec)), field);
  }

  /** Every CEL rule of both connection CRDs is the reason some bad example fails. */
  @Test
  void everyCelRuleOfTheConnectionCrdsIsExercisedByABadExample() {
    Set<String> namespacedFired = new LinkedHashSet<>();
    badExamples().forEach(a -> fired(NAMESPACED, "GrafanaConnection", a, namespacedFired));
    Set<String> clusterFired = new LinkedHashSet<>();
    everyBadForCluster().forEach(a -> fired(CLUSTER, "ClusterGrafanaConnection", a, clusterFired));
    assertThat(NAMESPACED.rules()).isNotEmpty();
    assertThat(namespacedFired)
        .as("GrafanaConnection rules that failed")
        .containsAll(NAMESPACED.rules());
    assertThat(clusterFired)
        .as("ClusterGrafanaConnection rules that failed")
        .containsAll(CLUSTER.rules());
  }

  /** kubectl get gconn / cgconn: names, scope, short names and columns of docs/reference.md. */
  @Test
  void connectionKindsHaveTheirScopeShortNamesAndColumns() throws IOException {
    CustomResourceDefinition namespaced = crd(NAMESPACED_FILE);
    CustomResourceDefinition cluster = crd(CLUSTER_FILE);
    assertThat(namespaced.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(namespaced.getSpec().getNames().getKind()).isEqualTo("GrafanaConnection");
    assertThat(namespaced.getSpec().getNames().getShortNames()).containsExactly("gconn");
    assertThat(cluster.getSpec().getScope()).isEqualTo("Cluster");
    assertThat(cluster.getSpec().getNames().getKind()).isEqualTo("ClusterGrafanaConnection");
    assertThat(cluster.getSpec().getNames().getShortNames()).containsExactly("cgconn");
    for (CustomResourceDefinition crd : List.of(namespaced, cluster)) {
      assertThat(crd.getSpec().getVersions().get(0).getSubresources().getStatus())
          .as("status subresource")
          .isNotNull();
      assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
          .extracting(
              CustomResourceColumnDefinition::getName, CustomResourceColumnDefinition::getJsonPath)
          .containsExactly(
              tuple("Ready", ".status.conditions[?(@.type==\"Ready\")].status"),
              tuple("Provider", ".status.provider"),
              tuple("Target", ".status.target"),
              tuple("Tokens", ".status.tokens"),
              tuple("Age", ".metadata.creationTimestamp"));
    }
  }

  // ---- helpers

  private static void assertRejected(List<SchemaError> errors, String field) {
    assertThat(errors)
        .as("the CRD must reject it naming %s; it reported %s", field, errors)
        .anySatisfy(e -> assertThat(e.names(field)).as("%s names %s", e, field).isTrue());
  }

  private static void assertRejectedByOperator(List<Violation> violations, String field) {
    assertThat(violations)
        .as("ConnectionRules must reject it naming %s; it reported %s", field, violations)
        .anySatisfy(
            v ->
                assertThat(isAtOrBelow(v.field(), field))
                    .as("%s is at or below %s", v, field)
                    .isTrue());
  }

  @SuppressWarnings("unchecked")
  private static void fired(CrdSchema crd, String kind, Arguments example, Set<String> into) {
    crd.validate(resource(kind, (Map<String, Object>) example.get()[2])).stream()
        .filter(e -> e.rule() != null)
        .forEach(e -> into.add(e.rule()));
  }

  private static Map<String, Object> resource(String kind, Map<String, Object> spec) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("apiVersion", "grafanatokens.io/v1alpha1");
    r.put("kind", kind);
    r.put(
        "metadata",
        kind.startsWith("Cluster")
            ? Map.of("name", "grafana-main")
            : Map.of("name", "grafana-main", "namespace", "team-a"));
    r.put("spec", deepCopy(spec));
    return r;
  }

  private static GrafanaConnectionSpec namespaced(Map<String, Object> spec) {
    return CrdValidationTest.YAML.convertValue(spec, GrafanaConnectionSpec.class);
  }

  private static ClusterGrafanaConnectionSpec cluster(Map<String, Object> spec) {
    return CrdValidationTest.YAML.convertValue(spec, ClusterGrafanaConnectionSpec.class);
  }

  private static CustomResourceDefinition crd(String file) throws IOException {
    try (InputStream in =
        ConnectionCrdValidationTest.class.getResourceAsStream("/META-INF/fabric8/" + file)) {
      assertThat(in).as(file).isNotNull();
      return new KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
    }
  }
}
