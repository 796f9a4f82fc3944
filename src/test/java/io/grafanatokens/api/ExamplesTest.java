package io.grafanatokens.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.MappingIterator;
import io.grafanatokens.api.CrdValidationTest.CrdSchema;
import io.grafanatokens.api.v1alpha1.ClusterGrafanaConnectionSpec;
import io.grafanatokens.api.v1alpha1.ConnectionRef;
import io.grafanatokens.api.v1alpha1.GrafanaConnectionSpec;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.reconcile.policy.ConnectionRules;
import io.grafanatokens.reconcile.policy.EffectiveSpec;
import io.grafanatokens.reconcile.policy.SpecValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What deploy/examples/ shows a user is what the API server and the operator accept: every resource
 * of ours in it passes its CRD (schema and CEL) and the operator's own rules, and a token naming a
 * connection passes them for the effective spec too.
 */
class ExamplesTest {
  static final Path EXAMPLES =
      Path.of(System.getProperty("basedir", "")).resolve("deploy/examples");
  static final String GROUP_VERSION = "grafanatokens.io/v1alpha1";

  static Stream<Path> exampleFiles() throws IOException {
    try (Stream<Path> s = Files.walk(EXAMPLES)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exampleFiles")
  void everyResourceOfTheExampleIsAcceptedByItsCrdAndTheOperator(Path file) {
    List<Map<String, Object>> ours = ours(file);
    assertThat(ours).as("resources of %s in %s", GROUP_VERSION, file).isNotEmpty();
    for (Map<String, Object> r : ours) {
      String what = file.getFileName() + ": " + r.get("kind") + " " + name(r);
      assertThat(crd((String) r.get("kind")).validate(r)).as("CRD errors of %s", what).isEmpty();
      assertThat(operatorProblems(r, file)).as("operator rules of %s", what).isEmpty();
    }
  }

  /** The connections the README's Connections section points at. */
  @Test
  void theConnectionExamplesCoverEachKindAndProvider() {
    List<Map<String, Object>> connections =
        exampleFilesUnchecked()
            .flatMap(f -> ours(f).stream())
            .filter(r -> String.valueOf(r.get("kind")).endsWith("GrafanaConnection"))
            .toList();
    assertThat(connections)
        .anySatisfy(
            c ->
                assertThat(c)
                    .containsEntry("kind", "ClusterGrafanaConnection")
                    .extracting("spec")
                    .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                    .containsKey("grafana"));
    assertThat(connections)
        .as("an AMG ClusterGrafanaConnection on the operator's own identity (IRSA)")
        .anySatisfy(
            c -> {
              assertThat(c).containsEntry("kind", "ClusterGrafanaConnection");
              Map<?, ?> amg = (Map<?, ?>) ((Map<?, ?>) c.get("spec")).get("amazonManagedGrafana");
              assertThat(amg).isNotNull();
              assertThat(amg.containsKey("credentialsSecretRef"))
                  .as("credentialsSecretRef set")
                  .isFalse();
            });
    assertThat(connections)
        .as("a namespaced Yandex connection with an authorized key")
        .anySatisfy(
            c -> {
              assertThat(c).containsEntry("kind", "GrafanaConnection");
              Map<?, ?> yc = (Map<?, ?>) ((Map<?, ?>) c.get("spec")).get("yandexCloud");
              assertThat(yc).isNotNull();
              assertThat(((Map<?, ?>) yc.get("auth")).containsKey("authorizedKeySecretRef"))
                  .as("authorizedKeySecretRef")
                  .isTrue();
            });
  }

  // ---- helpers

  private static List<Object> operatorProblems(Map<String, Object> r, Path file) {
    Object spec = r.get("spec");
    switch ((String) r.get("kind")) {
      case "GrafanaConnection":
        return new ArrayList<>(
            ConnectionRules.connection(
                CrdValidationTest.YAML.convertValue(spec, GrafanaConnectionSpec.class)));
      case "ClusterGrafanaConnection":
        return new ArrayList<>(
            ConnectionRules.connection(
                CrdValidationTest.YAML.convertValue(spec, ClusterGrafanaConnectionSpec.class)));
      default:
        GrafanaServiceAccountTokenSpec token =
            CrdValidationTest.toSpec(CrdValidationTest.defaulted(cast(spec)));
        List<Object> problems = new ArrayList<>(SpecValidator.validate(token));
        if (token.getConnectionRef() != null) {
          GrafanaConnectionSpec connection =
              connectionNamed(token.getConnectionRef(), file)
                  .orElseThrow(
                      () ->
                          new AssertionError(
                              file
                                  + " names "
                                  + token.getConnectionRef().getName()
                                  + ", which no example in its directory defines"));
          problems.addAll(EffectiveSpec.problems(token, connection));
        }
        return problems;
    }
  }

  /** The connection a token names, from the examples of its own directory. */
  private static Optional<GrafanaConnectionSpec> connectionNamed(ConnectionRef ref, Path file) {
    Class<? extends GrafanaConnectionSpec> type =
        ConnectionRef.CLUSTER.equals(ref.kindOrDefault())
            ? ClusterGrafanaConnectionSpec.class
            : GrafanaConnectionSpec.class;
    try (Stream<Path> siblings = Files.list(file.getParent())) {
      return siblings.filter(p -> p.toString().endsWith(".yaml")).toList().stream()
          .flatMap(p -> ours(p).stream())
          .filter(c -> ref.kindOrDefault().equals(c.get("kind")) && ref.getName().equals(name(c)))
          .findFirst()
          .map(c -> CrdValidationTest.YAML.convertValue(c.get("spec"), type));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static CrdSchema crd(String kind) {
    return switch (kind) {
      case "GrafanaServiceAccountToken" -> CrdValidationTest.CRD;
      case "GrafanaConnection" -> ConnectionCrdValidationTest.NAMESPACED;
      case "ClusterGrafanaConnection" -> ConnectionCrdValidationTest.CLUSTER;
      default -> throw new AssertionError("no CRD of ours has kind " + kind);
    };
  }

  /** The documents of the file that are resources of our API group. */
  private static List<Map<String, Object>> ours(Path file) {
    try (MappingIterator<Map<String, Object>> docs =
        CrdValidationTest.YAML.readerForMapOf(Object.class).readValues(file.toFile())) {
      return docs.readAll().stream()
          .filter(d -> d != null && GROUP_VERSION.equals(d.get("apiVersion")))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Stream<Path> exampleFilesUnchecked() {
    try {
      return exampleFiles();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String name(Map<String, Object> r) {
    return String.valueOf(((Map<?, ?>) r.get("metadata")).get("name"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object o) {
    return (Map<String, Object>) o;
  }
}
