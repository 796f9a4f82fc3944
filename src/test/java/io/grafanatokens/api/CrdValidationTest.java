package io.grafanatokens.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.regex.RegularExpression;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.grafanatokens.api.v1alpha1.ConnectionKind;
import io.grafanatokens.api.v1alpha1.DeletionPolicy;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.api.v1alpha1.RestartTargetKind;
import io.grafanatokens.api.v1alpha1.ServiceAccountRole;
import io.grafanatokens.reconcile.policy.Durations;
import io.grafanatokens.reconcile.policy.SpecValidator;
import io.grafanatokens.reconcile.policy.Violation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One table of example resources (docs/reference.md#validation) checked against BOTH the generated
 * CRD (OpenAPI v3 schema through a JSON-schema validator, then every {@code
 * x-kubernetes-validations} CEL rule evaluated at its node, after schema defaults, as the API
 * server does) AND the reconciler's {@link SpecValidator}. Bad examples are good ones with one
 * thing broken, and name the field they must be rejected for.
 */
class CrdValidationTest {
  static final String CRD_RESOURCE =
      "/META-INF/fabric8/grafanaserviceaccounttokens.grafanatokens.io-v1.yml";
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final CrdSchema CRD = CrdSchema.load(CRD_RESOURCE, "v1alpha1");

  // ------------------------------------------------------------------------------------------
  // the table
  // ------------------------------------------------------------------------------------------

  static final String GRAFANA_MINIMAL =
      """
      grafana:
        url: https://grafana.example.com
        credentialsSecretRef: {name: grafana-admin}
        serviceAccount: {id: 2}
      """;

  static final String GRAFANA_FULL =
      """
      grafana:
        url: https://grafana.example.com/grafana
        orgId: 3
        credentialsSecretRef: {name: grafana-admin, tokenKey: sa-token, usernameKey: user, passwordKey: pass}
        tls:
          caSecretRef: {name: grafana-ca, key: ca.crt}
          insecureSkipVerify: false
        serviceAccount: {name: ci-bot, createIfMissing: true, role: Editor}
      tokenName: dashboards-ci
      secondsToLive: 3600
      rotation: {renewBefore: 59m30s, gracePeriod: 0s}
      secret:
        name: dashboards-ci.v1
        key: token
        urlKey: url
        labels: {team: a}
        annotations: {example.com/owner: team-a}
      deletionPolicy: Retain
      restartTargets:
        - {kind: Deployment, name: my-app}
        - {kind: StatefulSet, name: my-app}
        - {kind: DaemonSet, name: agent}
      """;

  static final String AMG =
      """
      amazonManagedGrafana:
        workspaceId: g-0123456789
        region: eu-west-1
        serviceAccountId: "3"
        credentialsSecretRef: {name: aws-creds}
        endpoint: https://vpce-0123.grafana.eu-west-1.vpce.amazonaws.com
      secondsToLive: 7200
      rotation: {renewBefore: 1h30m, gracePeriod: 10m}
      secret: {urlKey: url}
      """;

  static final String AMG_AMBIENT =
      """
      amazonManagedGrafana:
        workspaceId: g-abcdef0123
        region: us-east-1
        serviceAccountId: "17"
      """;

  static final String YANDEX_KEY =
      """
      yandexCloud:
        serviceAccountId: ajeabcdefghijklmnopq
        auth:
          authorizedKeySecretRef: {name: yc-sa-key, key: authorized-key.json}
        endpoint: https://iam.api.cloud.yandex.net
      rotation: {renewBefore: 8h, gracePeriod: 10m}
      secret: {name: yc-token, key: iam-token, urlKey: ""}
      """;

  static final String YANDEX_WORKLOAD_IDENTITY =
      """
      yandexCloud:
        serviceAccountId: ajeabcdefghijklmnopq
        auth:
          workloadIdentity: {serviceAccountId: ajeoperator}
      """;

  static final String YANDEX_METADATA =
      """
      yandexCloud:
        serviceAccountId: ajeabcdefghijklmnopq
        auth:
          metadataService: {}
      rotation: {gracePeriod: 0s}
      restartTargets:
        - {kind: Deployment, name: prometheus-datasource-sync}
      """;

  static final String THROUGH_CONNECTION =
      """
      connectionRef: {name: grafana-main}
      serviceAccount: {id: "2"}
      """;

  static final String THROUGH_CLUSTER_CONNECTION =
      """
      connectionRef: {kind: ClusterGrafanaConnection, name: grafana.shared}
      serviceAccount: {name: ci-bot, createIfMissing: true, role: Editor}
      secondsToLive: 3600
      rotation: {renewBefore: 30m}
      secret: {name: ci-bot-token}
      """;

  static Stream<Arguments> goodExamples() {
    return Stream.of(
        good("grafana, minimal (service account by id)", spec(GRAFANA_MINIMAL)),
        good("grafana, every optional block", spec(GRAFANA_FULL)),
        good(
            "grafana over http with port and trailing slash, by name, max lifetime",
            spec(
                """
            grafana:
              url: http://grafana.monitoring.svc:3000/
              credentialsSecretRef: {name: grafana-admin}
              serviceAccount: {name: ci-bot}
            secondsToLive: 2592000
            rotation: {renewBefore: 1h30m}
            """)),
        good(
            "grafana, min lifetime, renewBefore exactly 30s short of it",
            spec(
                """
            grafana:
              url: https://grafana.example.com
              credentialsSecretRef: {name: grafana-admin}
              serviceAccount: {id: 1}
            secondsToLive: 60
            rotation: {renewBefore: 30s, gracePeriod: 29s}
            """)),
        good(
            "grafana, renewBefore 30s short of the default lifetime, limits at their max",
            edit(GRAFANA_MINIMAL)
                .set("tokenName", "t".repeat(100))
                .set("rotation.renewBefore", "23h59m30s")
                .set(
                    "secret.name",
                    String.join(
                        ".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61)))
                .set("restartTargets", targets(20))
                .spec()),
        good("amazonManagedGrafana with credentials, endpoint and urlKey", spec(AMG)),
        good("amazonManagedGrafana, ambient identity, minimal", spec(AMG_AMBIENT)),
        good("yandexCloud with an authorized key", spec(YANDEX_KEY)),
        good(
            "yandexCloud with workload identity, 50-character service account",
            edit(YANDEX_WORKLOAD_IDENTITY)
                .set("yandexCloud.serviceAccountId", "a".repeat(50))
                .spec()),
        good("yandexCloud with the metadata service", spec(YANDEX_METADATA)),
        good("through a GrafanaConnection, service account by id", spec(THROUGH_CONNECTION)),
        good(
            "through a ClusterGrafanaConnection, service account by name, created with a role",
            spec(THROUGH_CLUSTER_CONNECTION)),
        good(
            "through a connection, a 50-character id (Yandex, AMG)",
            edit(THROUGH_CONNECTION).set("serviceAccount.id", "a".repeat(50)).spec()));
  }

  static Stream<Arguments> badExamples() {
    return Stream.of(
        // provider blocks
        bad("no provider block", "spec", spec("tokenName: orphan")),
        bad("spec absent", "spec", null),
        bad(
            "two provider blocks",
            "spec",
            edit(GRAFANA_MINIMAL)
                .set("amazonManagedGrafana", spec(AMG_AMBIENT).get("amazonManagedGrafana"))
                .spec()),
        bad(
            "three provider blocks",
            "spec",
            edit(GRAFANA_MINIMAL)
                .set("amazonManagedGrafana", spec(AMG_AMBIENT).get("amazonManagedGrafana"))
                .set("yandexCloud", spec(YANDEX_METADATA).get("yandexCloud"))
                .spec()),
        // grafana
        bad(
            "grafana.url missing",
            "spec.grafana.url",
            edit(GRAFANA_MINIMAL).remove("grafana.url").spec()),
        bad(
            "grafana.url ftp scheme",
            "spec.grafana.url",
            edit(GRAFANA_MINIMAL).set("grafana.url", "ftp://grafana.example.com").spec()),
        bad(
            "grafana.url with userinfo",
            "spec.grafana.url",
            edit(GRAFANA_MINIMAL)
                .set("grafana.url", "https://admin:secret@grafana.example.com")
                .spec()),
        bad(
            "grafana.url with query",
            "spec.grafana.url",
            edit(GRAFANA_MINIMAL)
                .set("grafana.url", "https://grafana.example.com/?orgId=1")
                .spec()),
        bad(
            "grafana.url with fragment",
            "spec.grafana.url",
            edit(GRAFANA_MINIMAL)
                .set("grafana.url", "https://grafana.example.com/grafana#top")
                .spec()),
        bad(
            "grafana.orgId 0",
            "spec.grafana.orgId",
            edit(GRAFANA_MINIMAL).set("grafana.orgId", 0).spec()),
        bad(
            "grafana.credentialsSecretRef missing",
            "spec.grafana.credentialsSecretRef",
            edit(GRAFANA_MINIMAL).remove("grafana.credentialsSecretRef").spec()),
        bad(
            "grafana.credentialsSecretRef.name missing",
            "spec.grafana.credentialsSecretRef.name",
            edit(GRAFANA_MINIMAL)
                .set("grafana.credentialsSecretRef", Map.of("tokenKey", "token"))
                .spec()),
        bad(
            "grafana.tls.caSecretRef without name",
            "spec.grafana.tls.caSecretRef.name",
            edit(GRAFANA_MINIMAL).set("grafana.tls.caSecretRef", Map.of("key", "ca.crt")).spec()),
        bad(
            "grafana.serviceAccount missing",
            "spec.grafana.serviceAccount",
            edit(GRAFANA_MINIMAL).remove("grafana.serviceAccount").spec()),
        bad(
            "grafana.serviceAccount with neither id nor name",
            "spec.grafana.serviceAccount",
            edit(GRAFANA_MINIMAL).set("grafana.serviceAccount", Map.of()).spec()),
        bad(
            "grafana.serviceAccount with both id and name",
            "spec.grafana.serviceAccount",
            edit(GRAFANA_MINIMAL).set("grafana.serviceAccount.name", "ci-bot").spec()),
        bad(
            "grafana.serviceAccount.id 0",
            "spec.grafana.serviceAccount.id",
            edit(GRAFANA_MINIMAL).set("grafana.serviceAccount.id", 0).spec()),
        bad(
            "grafana.serviceAccount.createIfMissing with id",
            "spec.grafana.serviceAccount.createIfMissing",
            edit(GRAFANA_MINIMAL).set("grafana.serviceAccount.createIfMissing", true).spec()),
        // the CEL message is "...createIfMissing and role are only allowed with name": it names
        // the serviceAccount object, not spec.grafana.serviceAccount.role
        bad(
            "grafana.serviceAccount.role with id",
            "spec.grafana.serviceAccount",
            edit(GRAFANA_MINIMAL).set("grafana.serviceAccount.role", "Viewer").spec()),
        bad(
            "grafana.serviceAccount.role not a Grafana role",
            "spec.grafana.serviceAccount.role",
            edit(GRAFANA_FULL).set("grafana.serviceAccount.role", "Owner").spec()),
        // amazonManagedGrafana
        bad(
            "amazonManagedGrafana.workspaceId not g- and ten hex digits",
            "spec.amazonManagedGrafana.workspaceId",
            edit(AMG).set("amazonManagedGrafana.workspaceId", "g-0123456789AB").spec()),
        bad(
            "amazonManagedGrafana.endpoint with userinfo",
            "spec.amazonManagedGrafana.endpoint",
            edit(AMG)
                .set("amazonManagedGrafana.endpoint", "https://user:pw@vpce.example.com")
                .spec()),
        bad(
            "yandexCloud.endpoint not http(s)",
            "spec.yandexCloud.endpoint",
            edit(YANDEX_KEY).set("yandexCloud.endpoint", "ftp://iam.example.com").spec()),
        bad(
            "amazonManagedGrafana.region missing",
            "spec.amazonManagedGrafana.region",
            edit(AMG).remove("amazonManagedGrafana.region").spec()),
        bad(
            "amazonManagedGrafana.serviceAccountId missing",
            "spec.amazonManagedGrafana.serviceAccountId",
            edit(AMG_AMBIENT).remove("amazonManagedGrafana.serviceAccountId").spec()),
        bad(
            "amazonManagedGrafana.credentialsSecretRef without name",
            "spec.amazonManagedGrafana.credentialsSecretRef.name",
            edit(AMG).set("amazonManagedGrafana.credentialsSecretRef", Map.of()).spec()),
        // yandexCloud
        bad(
            "yandexCloud.serviceAccountId missing",
            "spec.yandexCloud.serviceAccountId",
            edit(YANDEX_KEY).remove("yandexCloud.serviceAccountId").spec()),
        bad(
            "yandexCloud.serviceAccountId 51 characters",
            "spec.yandexCloud.serviceAccountId",
            edit(YANDEX_KEY).set("yandexCloud.serviceAccountId", "a".repeat(51)).spec()),
        bad(
            "yandexCloud.auth missing",
            "spec.yandexCloud.auth",
            edit(YANDEX_KEY).remove("yandexCloud.auth").spec()),
        bad(
            "yandexCloud.auth with no option",
            "spec.yandexCloud.auth",
            edit(YANDEX_KEY).set("yandexCloud.auth", Map.of()).spec()),
        bad(
            "yandexCloud.auth with two options",
            "spec.yandexCloud.auth",
            edit(YANDEX_KEY).set("yandexCloud.auth.metadataService", Map.of()).spec()),
        bad(
            "yandexCloud.auth.authorizedKeySecretRef without name",
            "spec.yandexCloud.auth.authorizedKeySecretRef.name",
            edit(YANDEX_KEY)
                .set(
                    "yandexCloud.auth.authorizedKeySecretRef", Map.of("key", "authorized-key.json"))
                .spec()),
        bad(
            "yandexCloud with secondsToLive",
            "spec.secondsToLive",
            edit(YANDEX_METADATA).set("secondsToLive", 3600).spec()),
        // the token
        bad(
            "tokenName with a space and !",
            "spec.tokenName",
            edit(GRAFANA_MINIMAL).set("tokenName", "dashboards ci!").spec()),
        bad(
            "tokenName 101 characters",
            "spec.tokenName",
            edit(GRAFANA_MINIMAL).set("tokenName", "t".repeat(101)).spec()),
        bad(
            "secondsToLive 59",
            "spec.secondsToLive",
            edit(GRAFANA_MINIMAL).set("secondsToLive", 59).spec()),
        bad(
            "secondsToLive 2592001",
            "spec.secondsToLive",
            edit(AMG_AMBIENT).set("secondsToLive", 2592001).spec()),
        // rotation
        bad(
            "rotation.renewBefore 0s",
            "spec.rotation.renewBefore",
            edit(GRAFANA_MINIMAL).set("rotation.renewBefore", "0s").spec()),
        bad(
            "rotation.renewBefore in days (1d)",
            "spec.rotation.renewBefore",
            edit(GRAFANA_MINIMAL).set("rotation.renewBefore", "1d").spec()),
        bad(
            "rotation.renewBefore not a duration (abc)",
            "spec.rotation.renewBefore",
            edit(GRAFANA_MINIMAL).set("rotation.renewBefore", "abc").spec()),
        bad(
            "rotation.renewBefore less than 30s short of secondsToLive",
            "spec.rotation.renewBefore",
            edit(GRAFANA_FULL).set("rotation.renewBefore", "59m31s").spec()),
        bad(
            "rotation.renewBefore less than 30s short of the default lifetime",
            "spec.rotation.renewBefore",
            edit(AMG_AMBIENT).set("rotation.renewBefore", "23h59m31s").spec()),
        bad(
            "rotation.gracePeriod -1s",
            "spec.rotation.gracePeriod",
            edit(GRAFANA_MINIMAL).set("rotation.gracePeriod", "-1s").spec()),
        bad(
            "rotation.gracePeriod without a unit",
            "spec.rotation.gracePeriod",
            edit(YANDEX_METADATA).set("rotation.gracePeriod", "10").spec()),
        bad(
            "rotation.gracePeriod equal to renewBefore",
            "spec.rotation.gracePeriod",
            edit(YANDEX_KEY).set("rotation.gracePeriod", "8h").spec()),
        bad(
            "rotation.gracePeriod longer than renewBefore",
            "spec.rotation.gracePeriod",
            edit(AMG).set("rotation.gracePeriod", "2h").spec()),
        // secret
        bad(
            "secret.name Bad_Name",
            "spec.secret.name",
            edit(GRAFANA_FULL).set("secret.name", "Bad_Name").spec()),
        bad(
            "secret.key with a space",
            "spec.secret.key",
            edit(GRAFANA_FULL).set("secret.key", "a b").spec()),
        bad(
            "secret.urlKey with a slash",
            "spec.secret.urlKey",
            edit(AMG).set("secret.urlKey", "base/url").spec()),
        bad(
            "secret.urlKey equal to secret.key",
            "spec.secret.urlKey",
            edit(GRAFANA_FULL).set("secret.key", "url").spec()),
        bad(
            "secret.urlKey equal to the default key",
            "spec.secret.urlKey",
            edit(AMG).set("secret.urlKey", "token").spec()),
        bad(
            "secret.urlKey with yandexCloud",
            "spec.secret.urlKey",
            edit(YANDEX_KEY).set("secret.urlKey", "url").spec()),
        bad(
            "secret.labels with app.kubernetes.io/managed-by",
            "spec.secret.labels",
            edit(GRAFANA_FULL)
                .set("secret.labels", Map.of("team", "a", "app.kubernetes.io/managed-by", "me"))
                .spec()),
        bad(
            "secret.annotations under grafanatokens.io/",
            "spec.secret.annotations",
            edit(GRAFANA_FULL)
                .set(
                    "secret.annotations",
                    Map.of("example.com/owner", "a", "grafanatokens.io/x", "y"))
                .spec()),
        // deletion and restarts
        bad(
            "deletionPolicy Delete",
            "spec.deletionPolicy",
            edit(GRAFANA_MINIMAL).set("deletionPolicy", "Delete").spec()),
        bad(
            "deletionPolicy Sometimes",
            "spec.deletionPolicy",
            edit(GRAFANA_MINIMAL).set("deletionPolicy", "Sometimes").spec()),
        bad(
            "deletionPolicy in lower case",
            "spec.deletionPolicy",
            edit(GRAFANA_MINIMAL).set("deletionPolicy", "retain").spec()),
        bad(
            "restartTargets 21 entries",
            "spec.restartTargets",
            edit(GRAFANA_MINIMAL).set("restartTargets", targets(21)).spec()),
        bad(
            "restartTargets duplicate entries",
            "spec.restartTargets",
            edit(GRAFANA_FULL)
                .set("restartTargets[3]", Map.of("kind", "StatefulSet", "name", "my-app"))
                .spec()),
        bad(
            "restartTargets kind Pod",
            "spec.restartTargets[0].kind",
            edit(GRAFANA_FULL).set("restartTargets[0].kind", "Pod").spec()),
        bad(
            "restartTargets kind in lower case",
            "spec.restartTargets[1].kind",
            edit(GRAFANA_FULL).set("restartTargets[1].kind", "statefulset").spec()),
        bad(
            "restartTargets entry without name",
            "spec.restartTargets[2].name",
            edit(GRAFANA_FULL).remove("restartTargets[2].name").spec()),
        // through a connection (what depends on the connection's provider is checked once it is
        // read:
        // ConnectionRulesTest)
        bad(
            "connectionRef without serviceAccount",
            "spec.serviceAccount",
            edit(THROUGH_CONNECTION).remove("serviceAccount").spec()),
        bad(
            "serviceAccount next to a provider block",
            "spec.serviceAccount",
            edit(GRAFANA_MINIMAL).set("serviceAccount", Map.of("id", "2")).spec()),
        bad(
            "connectionRef and a provider block",
            "spec",
            edit(THROUGH_CONNECTION).set("grafana", spec(GRAFANA_MINIMAL).get("grafana")).spec()),
        bad(
            "connectionRef and yandexCloud",
            "spec",
            edit(THROUGH_CONNECTION)
                .set("yandexCloud", spec(YANDEX_METADATA).get("yandexCloud"))
                .spec()),
        bad(
            "connectionRef without name",
            "spec.connectionRef.name",
            edit(THROUGH_CONNECTION)
                .set("connectionRef", Map.of("kind", "GrafanaConnection"))
                .spec()),
        bad(
            "connectionRef.name not a DNS subdomain",
            "spec.connectionRef.name",
            edit(THROUGH_CONNECTION).set("connectionRef.name", "Grafana_Main").spec()),
        bad(
            "connectionRef.kind Issuer",
            "spec.connectionRef.kind",
            edit(THROUGH_CONNECTION).set("connectionRef.kind", "Issuer").spec()),
        bad(
            "serviceAccount with neither id nor name",
            "spec.serviceAccount",
            edit(THROUGH_CONNECTION).set("serviceAccount", Map.of()).spec()),
        bad(
            "serviceAccount with both id and name",
            "spec.serviceAccount",
            edit(THROUGH_CONNECTION).set("serviceAccount.name", "ci-bot").spec()),
        bad(
            "serviceAccount.id empty",
            "spec.serviceAccount.id",
            edit(THROUGH_CONNECTION).set("serviceAccount.id", "").spec()),
        bad(
            "serviceAccount.id 51 characters",
            "spec.serviceAccount.id",
            edit(THROUGH_CONNECTION).set("serviceAccount.id", "a".repeat(51)).spec()),
        bad(
            "serviceAccount.name empty",
            "spec.serviceAccount.name",
            edit(THROUGH_CLUSTER_CONNECTION).set("serviceAccount.name", "").spec()),
        bad(
            "serviceAccount.name 191 characters",
            "spec.serviceAccount.name",
            edit(THROUGH_CLUSTER_CONNECTION).set("serviceAccount.name", "n".repeat(191)).spec()),
        bad(
            "serviceAccount.createIfMissing with id",
            "spec.serviceAccount.createIfMissing",
            edit(THROUGH_CONNECTION).set("serviceAccount.createIfMissing", true).spec()),
        bad(
            "serviceAccount.role with id",
            "spec.serviceAccount.role",
            edit(THROUGH_CONNECTION).set("serviceAccount.role", "Viewer").spec()),
        bad(
            "serviceAccount.role not a Grafana role",
            "spec.serviceAccount.role",
            edit(THROUGH_CLUSTER_CONNECTION).set("serviceAccount.role", "Owner").spec()));
  }

  /**
   * Closed sets are a schema {@code enum} (kubectl explain, editors and validators see them, and an
   * API server without CEL still rejects them), each bad value rejected by the schema alone.
   */
  static Stream<Arguments> closedSets() {
    return Stream.of(
        Arguments.of(
            "spec.deletionPolicy",
            "properties.spec.properties.deletionPolicy",
            DeletionPolicy.class,
            GRAFANA_MINIMAL,
            "deletionPolicy",
            "Sometimes"),
        Arguments.of(
            "spec.grafana.serviceAccount.role",
            "properties.spec.properties.grafana.properties.serviceAccount.properties.role",
            ServiceAccountRole.class,
            GRAFANA_FULL,
            "grafana.serviceAccount.role",
            "Owner"),
        Arguments.of(
            "spec.restartTargets[2].kind",
            "properties.spec.properties.restartTargets.items.properties.kind",
            RestartTargetKind.class,
            GRAFANA_FULL,
            "restartTargets[2].kind",
            "Pod"),
        Arguments.of(
            "spec.connectionRef.kind",
            "properties.spec.properties.connectionRef.properties.kind",
            ConnectionKind.class,
            THROUGH_CONNECTION,
            "connectionRef.kind",
            "Issuer"),
        Arguments.of(
            "spec.serviceAccount.role",
            "properties.spec.properties.serviceAccount.properties.role",
            ServiceAccountRole.class,
            THROUGH_CLUSTER_CONNECTION,
            "serviceAccount.role",
            "Owner"));
  }

  // ------------------------------------------------------------------------------------------
  // the tests
  // ------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("closedSets")
  void closedSetIsASchemaEnumThatRejectsWithoutCel(
      String field,
      String schemaPath,
      Class<? extends Enum<?>> values,
      String example,
      String editPath,
      String badValue) {
    JsonNode node = CRD.node(schemaPath);
    List<String> allowed =
        Stream.of(values.getEnumConstants()).map(v -> YAML.convertValue(v, String.class)).toList();
    assertThat(node.path("enum")).as("enum of %s", field).isNotEmpty();
    List<String> declared =
        YAML.convertValue(
            node.get("enum"), new com.fasterxml.jackson.core.type.TypeReference<List<String>>() {});
    assertThat(declared).as("enum of %s", field).containsExactlyInAnyOrderElementsOf(allowed);
    assertThat(node.has("x-kubernetes-validations"))
        .as("no CEL rule restating the enum of %s", field)
        .isFalse();

    List<SchemaError> errors = CRD.validate(resource(edit(example).set(editPath, badValue).spec()));
    assertThat(errors)
        .as("errors for %s: %s", field, badValue)
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.rule()).as("%s comes from the schema, not CEL", e).isNull())
        .anySatisfy(e -> assertThat(e.path()).isEqualTo(field));

    // the schema's set and the reconciler's are the same set
    for (String value : allowed) {
      Map<String, Object> spec = edit(example).set(editPath, value).spec();
      assertThat(CRD.validate(resource(spec))).as("schema accepts %s: %s", field, value).isEmpty();
      assertThat(SpecValidator.validate(toSpec(spec)))
          .as("SpecValidator accepts %s: %s", field, value)
          .isEmpty();
    }
  }

  /** No CEL rule is left that only lists allowed values: those are schema enums. */
  @Test
  void noCelRuleRestatesAClosedSet() {
    assertThat(CRD.rules()).noneMatch(rule -> rule.matches("\\s*self\\s+in\\s*\\[.*"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goodExamples")
  void goodExampleIsAcceptedBySchemaAndCel(String name, Map<String, Object> spec) {
    assertThat(CRD.validate(resource(spec))).as("schema + CEL errors for: %s", name).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goodExamples")
  void goodExampleIsAcceptedBySpecValidator(String name, Map<String, Object> spec) {
    assertThat(SpecValidator.validate(toSpec(spec))).as("as written").isEmpty();
    assertThat(SpecValidator.validate(toSpec(defaulted(spec))))
        .as("after schema defaults")
        .isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("badExamples")
  void badExampleIsRejectedBySchemaOrCelNamingTheField(
      String name, String field, Map<String, Object> spec) {
    List<SchemaError> errors = CRD.validate(resource(spec));
    assertThat(errors)
        .as(
            "the CRD (schema + CEL) must reject '%s' naming %s; it reported %s",
            name, field, errors)
        .anySatisfy(e -> assertThat(e.names(field)).as("%s names %s", e, field).isTrue());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("badExamples")
  void badExampleIsRejectedBySpecValidatorNamingTheField(
      String name, String field, Map<String, Object> spec) {
    for (Map<String, Object> variant : variants(spec)) {
      List<Violation> violations = SpecValidator.validate(toSpec(variant));
      assertThat(violations)
          .as("SpecValidator must reject '%s' naming %s; it reported %s", name, field, violations)
          .anySatisfy(
              v ->
                  assertThat(isAtOrBelow(v.field(), field))
                      .as("%s is at or below %s", v, field)
                      .isTrue());
    }
  }

  /**
   * Every CEL rule of the CRD is the reason at least one bad example fails: the table covers them.
   */
  @Test
  void everyCelRuleIsExercisedByABadExample() {
    Set<String> fired = new LinkedHashSet<>();
    badExamples()
        .forEach(
            a ->
                CRD.validate(resource(spec(a))).stream()
                    .filter(e -> e.rule() != null)
                    .forEach(e -> fired.add(e.rule())));
    assertThat(CRD.rules()).isNotEmpty();
    assertThat(fired).as("CEL rules that failed for some bad example").containsAll(CRD.rules());
  }

  /** The harness applies schema defaults to objects that are present, as the API server does. */
  @Test
  void schemaDefaultsAreAppliedToPresentObjectsOnly() {
    Map<String, Object> d =
        defaulted(edit(GRAFANA_MINIMAL).set("secret", Map.of("name", "x")).spec());
    assertThat(d).extracting("secret").asInstanceOf(MAP).containsEntry("key", "token");
    assertThat(d)
        .extracting("grafana")
        .extracting("credentialsSecretRef")
        .asInstanceOf(MAP)
        .containsEntry("tokenKey", "token")
        .containsEntry("usernameKey", "username")
        .containsEntry("passwordKey", "password");
    assertThat(defaulted(spec(GRAFANA_MINIMAL))).doesNotContainKey("secret");
  }

  /** CEL's duration() and the operator's parser read the same Go-style grammar alike. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"8h", "1h30m", "0s", "90s", "10m", "23h59m30s", "30m1h"})
  void celDurationAgreesWithTheJavaParser(String text) {
    long celSeconds = (Long) CrdSchema.eval("duration(self).getSeconds()", text);
    assertThat(Durations.parse(text)).as("Java parser").isPresent();
    assertThat(celSeconds).isEqualTo(Durations.parse(text).orElseThrow().getSeconds());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"1d", "abc", "10"})
  void celDurationRejectsWhatTheJavaParserRejects(String text) {
    assertThat(Durations.parse(text)).isEmpty();
    assertThatThrownBy(() -> CrdSchema.eval("duration(self)", text)).isInstanceOf(Exception.class);
  }

  // ------------------------------------------------------------------------------------------
  // helpers for the table
  // ------------------------------------------------------------------------------------------

  static Arguments good(String name, Map<String, Object> spec) {
    return Arguments.of(name, spec);
  }

  static Arguments bad(String name, String field, Map<String, Object> spec) {
    return Arguments.of(name, field, spec);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(Arguments badExample) {
    return (Map<String, Object>) badExample.get()[2];
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(String yaml) {
    try {
      return YAML.readValue(yaml, LinkedHashMap.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Editor edit(String yaml) {
    return new Editor(spec(yaml));
  }

  static List<Object> targets(int n) {
    return IntStream.rangeClosed(1, n)
        .mapToObj(i -> (Object) Map.of("kind", "Deployment", "name", "app-" + i))
        .collect(Collectors.toList());
  }

  static Map<String, Object> resource(Map<String, Object> spec) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("apiVersion", "grafanatokens.io/v1alpha1");
    r.put("kind", "GrafanaServiceAccountToken");
    r.put("metadata", Map.of("name", "dashboards-ci", "namespace", "team-a"));
    if (spec != null) {
      r.put("spec", deepCopy(spec));
    }
    return r;
  }

  /** The spec as the API server stores it: schema defaults applied. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> defaulted(Map<String, Object> spec) {
    Map<String, Object> r = resource(spec);
    CRD.applyDefaults(r);
    return (Map<String, Object>) r.get("spec");
  }

  /** SpecValidator sees the spec as written (validation off) and as stored (defaults applied). */
  static List<Map<String, Object>> variants(Map<String, Object> spec) {
    List<Map<String, Object>> out = new ArrayList<>();
    out.add(spec);
    if (spec != null) {
      out.add(defaulted(spec));
    }
    return out;
  }

  static GrafanaServiceAccountTokenSpec toSpec(Map<String, Object> spec) {
    return spec == null ? null : YAML.convertValue(spec, GrafanaServiceAccountTokenSpec.class);
  }

  static boolean isAtOrBelow(String path, String field) {
    return path.equals(field) || path.startsWith(field + ".") || path.startsWith(field + "[");
  }

  @SuppressWarnings("unchecked")
  static <T> T deepCopy(T value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put((String) k, deepCopy(v)));
      return (T) copy;
    }
    if (value instanceof List<?> l) {
      List<Object> copy = new ArrayList<>();
      l.forEach(v -> copy.add(deepCopy(v)));
      return (T) copy;
    }
    return value;
  }

  /**
   * Edits a copy of an example by dotted path, e.g. {@code grafana.url}, {@code
   * restartTargets[0].kind}.
   */
  static final class Editor {
    private final Map<String, Object> spec;

    Editor(Map<String, Object> spec) {
      this.spec = deepCopy(spec);
    }

    Editor set(String path, Object value) {
      String[] parts = path.split("\\.");
      Object node = spec;
      for (int i = 0; i < parts.length - 1; i++) {
        node = child(node, parts[i], true);
      }
      put(node, parts[parts.length - 1], deepCopy(value));
      return this;
    }

    Editor remove(String path) {
      String[] parts = path.split("\\.");
      Object node = spec;
      for (int i = 0; i < parts.length - 1; i++) {
        node = child(node, parts[i], false);
      }
      Object removed = ((Map<?, ?>) node).remove(parts[parts.length - 1]);
      if (removed == null) {
        throw new IllegalArgumentException("nothing to remove at " + path);
      }
      return this;
    }

    Map<String, Object> spec() {
      return spec;
    }

    @SuppressWarnings("unchecked")
    private static Object child(Object node, String part, boolean create) {
      int bracket = part.indexOf('[');
      Map<String, Object> map = (Map<String, Object>) node;
      String key = bracket < 0 ? part : part.substring(0, bracket);
      Object next = map.get(key);
      if (next == null) {
        if (!create || bracket >= 0) {
          throw new IllegalArgumentException("no " + key + " in " + map.keySet());
        }
        next = new LinkedHashMap<String, Object>();
        map.put(key, next);
      }
      if (bracket >= 0) {
        next =
            ((List<Object>) next)
                .get(Integer.parseInt(part.substring(bracket + 1, part.length() - 1)));
      }
      return next;
    }

    @SuppressWarnings("unchecked")
    private static void put(Object node, String part, Object value) {
      int bracket = part.indexOf('[');
      Map<String, Object> map = (Map<String, Object>) node;
      if (bracket < 0) {
        map.put(part, value);
        return;
      }
      List<Object> list = (List<Object>) map.get(part.substring(0, bracket));
      int index = Integer.parseInt(part.substring(bracket + 1, part.length() - 1));
      if (index == list.size()) {
        list.add(value);
      } else {
        list.set(index, value);
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // the CRD as the API server applies it: defaults, OpenAPI schema, CEL rules
  // ------------------------------------------------------------------------------------------

  /**
   * A schema or CEL error: the field path (spec.grafana.url, spec.restartTargets[0].kind) and a
   * message.
   */
  record SchemaError(String path, String message, String rule) {
    /** This error is at or below the field, or its message names the field. */
    boolean names(String field) {
      return isAtOrBelow(path, field)
          || Pattern.compile("(^|[^\\w.\\[])" + Pattern.quote(field) + "($|[^\\w])")
              .matcher(message)
              .find();
    }

    @Override
    public String toString() {
      return path + ": " + message;
    }
  }

  static final class CrdSchema {
    private static final CelCompiler COMPILER =
        CelCompilerFactory.standardCelCompilerBuilder()
            .addVar("self", SimpleType.DYN)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    private final JsonNode openApi;
    private final JsonSchema jsonSchema;
    private final Map<String, CelRuntime.Program> programs = new LinkedHashMap<>();

    private CrdSchema(JsonNode openApi) {
      this.openApi = openApi;
      SchemaValidatorsConfig config =
          SchemaValidatorsConfig.builder()
              .pathType(PathType.LEGACY)
              .regularExpressionFactory(CrdSchema::re2Like)
              .build();
      this.jsonSchema =
          JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
              .getSchema(withoutKubernetesExtensions(openApi.deepCopy()), config);
      compileRules(openApi);
    }

    static CrdSchema load(String resource, String version) {
      try (InputStream in = CrdValidationTest.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(
              resource + " is not on the test classpath: run mvn process-classes");
        }
        JsonNode crd = YAML.readTree(in);
        for (JsonNode v : crd.path("spec").path("versions")) {
          if (version.equals(v.path("name").asText())) {
            return new CrdSchema(v.path("schema").path("openAPIV3Schema"));
          }
        }
        throw new IllegalStateException("no version " + version + " in " + resource);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * The schema node at a dotted path such as {@code properties.spec.properties.deletionPolicy}.
     */
    JsonNode node(String dottedPath) {
      JsonNode node = openApi;
      for (String part : dottedPath.split("\\.")) {
        node = node.path(part);
      }
      if (node.isMissingNode()) {
        throw new IllegalArgumentException("no schema node at " + dottedPath);
      }
      return node;
    }

    /** The rule texts of every x-kubernetes-validations entry. */
    Set<String> rules() {
      return programs.keySet();
    }

    /**
     * Defaults, then the OpenAPI schema, then CEL; all errors, empty when the API server would
     * accept it.
     */
    List<SchemaError> validate(Map<String, Object> resource) {
      Map<String, Object> object = deepCopy(resource);
      applyDefaults(object);
      List<SchemaError> errors = new ArrayList<>();
      for (ValidationMessage m : jsonSchema.validate(YAML.valueToTree(object))) {
        String path = fieldPath(m.getInstanceLocation());
        if ("required".equals(m.getType()) && m.getProperty() != null) {
          path = path.isEmpty() ? m.getProperty() : path + "." + m.getProperty();
        }
        errors.add(new SchemaError(path, m.getMessage(), null));
      }
      evaluateRules(openApi, object, "", errors);
      return errors;
    }

    /** Sets each absent property that has a schema default, in every object that is present. */
    void applyDefaults(Object value) {
      applyDefaults(openApi, value);
    }

    @SuppressWarnings("unchecked")
    private static void applyDefaults(JsonNode schema, Object value) {
      if (value instanceof Map<?, ?> raw) {
        Map<String, Object> map = (Map<String, Object>) raw;
        JsonNode props = schema.path("properties");
        props
            .properties()
            .forEach(
                p -> {
                  if (!map.containsKey(p.getKey()) && p.getValue().has("default")) {
                    map.put(
                        p.getKey(), YAML.convertValue(p.getValue().get("default"), Object.class));
                  }
                });
        for (Map.Entry<String, Object> e : map.entrySet()) {
          JsonNode child =
              props.has(e.getKey()) ? props.get(e.getKey()) : schema.path("additionalProperties");
          if (child.isObject()) {
            applyDefaults(child, e.getValue());
          }
        }
      } else if (value instanceof List<?> list && schema.path("items").isObject()) {
        list.forEach(item -> applyDefaults(schema.get("items"), item));
      }
    }

    /** Each rule with self = the value at its node, skipped when the node is absent. */
    private void evaluateRules(
        JsonNode schema, Object value, String path, List<SchemaError> errors) {
      if (value == null) {
        return;
      }
      for (JsonNode rule : schema.path("x-kubernetes-validations")) {
        String text = rule.path("rule").asText();
        String where = path + rule.path("fieldPath").asText("");
        String message =
            rule.hasNonNull("message") ? rule.get("message").asText() : "failed rule: " + text;
        try {
          Object result = programs.get(text).eval(Map.of("self", toCel(value)));
          if (!Boolean.TRUE.equals(result)) {
            errors.add(new SchemaError(where.isEmpty() ? "<root>" : where, message, text));
          }
        } catch (Exception e) {
          // the API server rejects the object when a rule cannot be evaluated
          errors.add(
              new SchemaError(
                  where.isEmpty() ? "<root>" : where,
                  "rule evaluation error: " + e.getMessage(),
                  null));
        }
      }
      if (value instanceof Map<?, ?> map) {
        JsonNode props = schema.path("properties");
        for (Map.Entry<?, ?> e : map.entrySet()) {
          String key = (String) e.getKey();
          if (props.has(key)) {
            evaluateRules(
                props.get(key), e.getValue(), path.isEmpty() ? key : path + "." + key, errors);
          } else if (schema.path("additionalProperties").isObject()) {
            evaluateRules(
                schema.get("additionalProperties"), e.getValue(), path + "[" + key + "]", errors);
          }
        }
      } else if (value instanceof List<?> list && schema.path("items").isObject()) {
        for (int i = 0; i < list.size(); i++) {
          evaluateRules(schema.get("items"), list.get(i), path + "[" + i + "]", errors);
        }
      }
    }

    private void compileRules(JsonNode schema) {
      for (JsonNode rule : schema.path("x-kubernetes-validations")) {
        String text = rule.path("rule").asText();
        programs.computeIfAbsent(text, CrdSchema::compile);
      }
      schema.path("properties").forEach(this::compileRules);
      if (schema.path("items").isObject()) {
        compileRules(schema.get("items"));
      }
      if (schema.path("additionalProperties").isObject()) {
        compileRules(schema.get("additionalProperties"));
      }
    }

    private static CelRuntime.Program compile(String rule) {
      try {
        CelAbstractSyntaxTree ast = COMPILER.compile(rule).getAst();
        return RUNTIME.createProgram(ast);
      } catch (Exception e) {
        throw new IllegalStateException("CEL rule does not compile: " + rule, e);
      }
    }

    /** Evaluates an expression with the given self (for tests of the CEL environment itself). */
    static Object eval(String expression, Object self) {
      try {
        return compile(expression).eval(Map.of("self", toCel(self)));
      } catch (dev.cel.runtime.CelEvaluationException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }

    /** JSON values as CEL sees them: integers are int (64-bit), objects maps, arrays lists. */
    private static Object toCel(Object value) {
      if (value instanceof Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put((String) k, toCel(v)));
        return out;
      }
      if (value instanceof List<?> l) {
        return l.stream().map(CrdSchema::toCel).collect(Collectors.toList());
      }
      if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
        return ((Number) value).longValue();
      }
      if (value instanceof Float f) {
        return f.doubleValue();
      }
      return value;
    }

    /** "$.spec.restartTargets[0].kind" as the API server writes it: spec.restartTargets[0].kind. */
    private static String fieldPath(JsonNodePath location) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < location.getNameCount(); i++) {
        Object element = location.getElement(i);
        if (element instanceof Integer index) {
          b.append('[').append(index).append(']');
        } else {
          if (b.length() > 0) {
            b.append('.');
          }
          b.append(element);
        }
      }
      return b.toString();
    }

    /** The API server's validator knows nothing of x-kubernetes-* for JSON-schema purposes. */
    private static JsonNode withoutKubernetesExtensions(JsonNode node) {
      if (node instanceof ObjectNode object) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
          if (it.next().startsWith("x-kubernetes-")) {
            it.remove();
          }
        }
        object.forEach(CrdSchema::withoutKubernetesExtensions);
      } else if (node.isArray()) {
        node.forEach(CrdSchema::withoutKubernetesExtensions);
      }
      return node;
    }

    /**
     * Patterns as the API server (Go RE2) reads them: searched, not matched whole, but '$' is the
     * end of the text (Java's '$' also matches before a final line break).
     */
    private static RegularExpression re2Like(String regex) {
      String java =
          regex.endsWith("$") && !regex.endsWith("\\$")
              ? regex.substring(0, regex.length() - 1) + "\\z"
              : regex;
      Pattern p = Pattern.compile(java);
      return value -> p.matcher(value).find();
    }
  }
}
