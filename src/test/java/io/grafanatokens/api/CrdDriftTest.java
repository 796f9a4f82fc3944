package io.grafanatokens.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRD committed under crds/ (what users and GitOps repos apply) is the one the build generates
 * from the Java model, byte for byte; and the generated CRD has the shape docs/reference.md fixes.
 */
class CrdDriftTest {
  static final String FILE = "grafanaserviceaccounttokens.grafanatokens.io-v1.yml";
  static final String GENERATED = "target/classes/META-INF/fabric8/" + FILE;
  static final String COMMITTED = "crds/" + FILE;

  static byte[] generated;
  static CustomResourceDefinition crd;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = CrdDriftTest.class.getResourceAsStream("/META-INF/fabric8/" + FILE)) {
      assertThat(in)
          .as("%s on the test classpath (generated in process-classes)", GENERATED)
          .isNotNull();
      generated = in.readAllBytes();
    }
    crd =
        new KubernetesSerialization()
            .unmarshal(new ByteArrayInputStream(generated), CustomResourceDefinition.class);
  }

  /**
   * Every CRD the build generates, the token's and the two connections', is committed as generated.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        FILE,
        "grafanaconnections.grafanatokens.io-v1.yml",
        "clustergrafanaconnections.grafanatokens.io-v1.yml"
      })
  void committedCrdIsTheGeneratedOne(String file) throws IOException {
    byte[] generatedFile;
    try (InputStream in = CrdDriftTest.class.getResourceAsStream("/META-INF/fabric8/" + file)) {
      assertThat(in)
          .as("%s on the test classpath (generated in process-classes)", file)
          .isNotNull();
      generatedFile = in.readAllBytes();
    }
    // surefire runs with the project's basedir as working directory (and sets "basedir")
    String committedName = "crds/" + file;
    Path committed = Path.of(System.getProperty("basedir", "")).resolve(committedName);
    String howToFix =
        "The CRD in "
            + committedName
            + " is not the one generated from the Java model in "
            + "src/main/java/io/grafanatokens/api/v1alpha1. After changing the model, run `mvn process-classes` and "
            + "`cp target/classes/META-INF/fabric8/"
            + file
            + " "
            + committedName
            + "`, review the diff and commit it.";
    if (!Files.exists(committed)) {
      fail(committed.toAbsolutePath() + " does not exist. " + howToFix);
    }
    byte[] onDisk = Files.readAllBytes(committed);
    if (!Arrays.equals(onDisk, generatedFile)) {
      fail(
          howToFix
              + "\nFirst difference: "
              + firstDifference(
                  committedName,
                  new String(onDisk, StandardCharsets.UTF_8),
                  new String(generatedFile, StandardCharsets.UTF_8)));
    }
  }

  @Test
  void namesGroupScopeAndShortName() {
    assertThat(crd.getMetadata().getName())
        .isEqualTo("grafanaserviceaccounttokens.grafanatokens.io");
    assertThat(crd.getSpec().getGroup()).isEqualTo("grafanatokens.io");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo("GrafanaServiceAccountToken");
    assertThat(crd.getSpec().getNames().getPlural()).isEqualTo("grafanaserviceaccounttokens");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("gsat");
  }

  @Test
  void v1alpha1IsServedStoredAndHasTheStatusSubresource() {
    CustomResourceDefinitionVersion v = v1alpha1();
    assertThat(v.getServed()).isTrue();
    assertThat(v.getStorage()).isTrue();
    assertThat(v.getSubresources()).isNotNull();
    assertThat(v.getSubresources().getStatus()).as("status subresource").isNotNull();
  }

  /**
   * kubectl get gsat shows NAME, READY, SECRET, EXPIRES, RENEWAL, AGE, as docs/reference.md#status
   * lists them. The generator sorts columns by JSONPath; the build's PrinterColumnOrder step
   * (src/build/java) puts them back in the order the class declares them. Checked on the committed
   * file users apply.
   */
  @Test
  void printerColumnsForKubectlGetInTheUsualOrder() throws IOException {
    CustomResourceDefinitionVersion committed = v1alpha1(committedCrd());
    assertThat(committed.getAdditionalPrinterColumns())
        .extracting(
            CustomResourceColumnDefinition::getName,
            CustomResourceColumnDefinition::getJsonPath,
            CustomResourceColumnDefinition::getType)
        .containsExactly(
            tuple("Ready", ".status.conditions[?(@.type==\"Ready\")].status", "string"),
            tuple("Secret", ".status.secretName", "string"),
            tuple("Expires", ".status.expiresAt", "date"),
            tuple("Renewal", ".status.renewalTime", "date"),
            tuple("Age", ".metadata.creationTimestamp", "date"));
  }

  /** The mechanism, not just this CRD: the column order is the annotations' declaration order. */
  @Test
  void printerColumnOrderIsTheDeclarationOrderOnTheClass() {
    List<String> declared =
        Arrays.stream(
                GrafanaServiceAccountToken.class.getAnnotationsByType(
                    AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::jsonPath)
            .collect(Collectors.toList());
    assertThat(v1alpha1(crd).getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getJsonPath)
        .containsExactlyElementsOf(declared)
        // the generator's own order would put .metadata.creationTimestamp first
        .isNotEqualTo(declared.stream().sorted().collect(Collectors.toList()));
  }

  /** kubectl explain gsat.spec... shows a description for every field. */
  @Test
  void everyPropertyOfSpecHasADescription() {
    JSONSchemaProps spec = v1alpha1().getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    assertThat(spec).as("spec schema").isNotNull();
    List<String> missing = new ArrayList<>();
    collectMissingDescriptions(spec, "spec", missing);
    assertThat(spec.getProperties()).isNotEmpty();
    assertThat(missing).as("properties without a description").isEmpty();
  }

  private static void collectMissingDescriptions(
      JSONSchemaProps schema, String path, List<String> missing) {
    if (schema.getProperties() != null) {
      schema
          .getProperties()
          .forEach(
              (name, child) -> {
                String childPath = path + "." + name;
                if (child.getDescription() == null || child.getDescription().isBlank()) {
                  missing.add(childPath);
                }
                collectMissingDescriptions(child, childPath, missing);
              });
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      collectMissingDescriptions(schema.getItems().getSchema(), path + "[]", missing);
    }
  }

  private static CustomResourceDefinitionVersion v1alpha1() {
    return v1alpha1(crd);
  }

  private static CustomResourceDefinition committedCrd() throws IOException {
    try (InputStream in =
        Files.newInputStream(Path.of(System.getProperty("basedir", "")).resolve(COMMITTED))) {
      return new KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
    }
  }

  private static CustomResourceDefinitionVersion v1alpha1(CustomResourceDefinition crd) {
    return crd.getSpec().getVersions().stream()
        .filter(v -> "v1alpha1".equals(v.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no version v1alpha1 in " + GENERATED));
  }

  private static String firstDifference(String file, String committed, String generated) {
    String[] a = committed.split("\n", -1);
    String[] b = generated.split("\n", -1);
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      String left = i < a.length ? a[i] : "<end of file>";
      String right = i < b.length ? b[i] : "<end of file>";
      if (!left.equals(right)) {
        return "line " + (i + 1) + "\n  " + file + ": " + left + "\n  generated: " + right;
      }
    }
    return "line endings or encoding";
  }
}
