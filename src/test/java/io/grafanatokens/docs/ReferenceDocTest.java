package io.grafanatokens.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.grafanatokens.observability.TokenMetrics;
import io.grafanatokens.runtime.ConfigOption;
import io.grafanatokens.runtime.OperatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation travels with the code: every field of every CRD in crds/ is in
 * docs/reference.md, every docs/ document and anchor cited from the code, the manifests and the
 * READMEs exists, and nothing cites a document the repository does not hold.
 *
 * <p>The field convention (docs/development.md#documentation-conventions): a field is its dotted
 * path in backticks in the first cell of a table row, inside a level-2 section whose heading names
 * the field's kind.
 */
class ReferenceDocTest {
  private static final Path ROOT = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  private static final String REFERENCE = "docs/reference.md";

  /**
   * A docs/ document, optionally with an anchor; "../docs/" from deploy/README.md resolves the
   * same.
   */
  private static final Pattern DOC_CITATION =
      Pattern.compile("(?<![\\w-])docs/([\\w./-]+?\\.md)(?:#([\\w-]+))?");

  /** A Markdown link target inside docs/: (#anchor), (file.md), (file.md#anchor). */
  private static final Pattern DOC_LINK =
      Pattern.compile("]\\((?!https?:)([^)\\s#]*)(?:#([^)\\s]+))?\\)");

  /** Documents that live outside the repository, as paths or by their bare names. */
  private static final Pattern OUTSIDE =
      Pattern.compile(
          "shared\\/|(?<![\\w/.-])(?:api|grafana-api|cloud-apis|josdk-notes|style)\\.md\\b");

  @Test
  void everyCrdFieldIsInTheReference() {
    Markdown reference = new Markdown(read(REFERENCE));
    List<Path> crdFiles =
        files("crds").stream().filter(p -> p.toString().endsWith(".yml")).toList();
    assertThat(crdFiles).as("CRDs under crds/").isNotEmpty();

    List<String> problems = new ArrayList<>();
    for (Path file : crdFiles) {
      CustomResourceDefinition crd = crd(file);
      problems.addAll(
          undocumented(crd.getSpec().getNames().getKind(), CrdFields.of(crd), reference).stream()
              .map(p -> ROOT.relativize(file) + ": " + p)
              .toList());
    }
    assertThat(problems)
        .as(
            "fields missing from "
                + REFERENCE
                + " (a row whose first cell is the path in backticks, under the ## heading naming the kind)")
        .isEmpty();
  }

  @Test
  void fieldPathsReachNestedObjectsAndArrayItems() {
    Set<String> paths =
        CrdFields.of(crd(ROOT.resolve("crds/grafanaserviceaccounttokens.grafanatokens.io-v1.yml")));

    assertThat(paths)
        .contains(
            "spec.grafana",
            "spec.grafana.credentialsSecretRef.tokenKey",
            "spec.yandexCloud.auth.workloadIdentity.serviceAccountId",
            "spec.restartTargets[].kind",
            "spec.secret.labels",
            "status.conditions[].reason",
            "status.pendingRevocations[].revokeAt");
    // the roots are not fields, and a string map has no named members
    assertThat(paths)
        .doesNotContain("spec", "status")
        .noneMatch(p -> p.startsWith("spec.secret.labels."));
  }

  @Test
  void aFieldOutsideItsKindsTableIsReported() {
    Markdown doc =
        new Markdown(
            String.join(
                "\n",
                "## Widget",
                "Prose mentions `spec.prose` but that is no row.",
                "| Field | Default |",
                "|---|---|",
                "| `spec.a`, `spec.b` | — |",
                "| `spec.c` | names `spec.d`, which is not in the first cell |",
                "```",
                "| `spec.fenced` | |",
                "```",
                "## Gadget and SuperWidget",
                "| `spec.other` | |"));

    assertThat(
            undocumented(
                "Widget",
                Set.of(
                    "spec.a",
                    "spec.b",
                    "spec.c",
                    "spec.d",
                    "spec.prose",
                    "spec.fenced",
                    "spec.other"),
                doc))
        .containsExactlyInAnyOrder("spec.d", "spec.prose", "spec.fenced", "spec.other");
    assertThat(undocumented("SuperWidget", Set.of("spec.other"), doc)).isEmpty();
    assertThat(undocumented("Doohickey", Set.of("spec.a"), doc))
        .singleElement()
        .asString()
        .contains("no ## heading");
  }

  @Test
  void anchorsAreGitHubs() {
    assertThat(Markdown.slug("Issuing, crash-safe")).isEqualTo("issuing-crash-safe");
    assertThat(Markdown.slug("`createIfMissing`")).isEqualTo("createifmissing");
    assertThat(Markdown.slug("JOSDK 5.3.2 bugs and our workarounds"))
        .isEqualTo("josdk-532-bugs-and-our-workarounds");
    assertThat(Markdown.slug("Grafana: token format")).isEqualTo("grafana-token-format");
    assertThat(Markdown.slug("[Delete](#delete) and TOKEN_CHECK_INTERVAL"))
        .isEqualTo("delete-and-token_check_interval");

    Markdown doc = new Markdown("# Top\n## Same\n```yaml\n# not a heading\n```\n### Same\n");
    assertThat(doc.anchors()).containsExactly("top", "same", "same-1");
  }

  @Test
  void citedDocumentsAndAnchorsExist() {
    Map<String, Set<String>> anchorsByDoc = new LinkedHashMap<>();
    Function<String, Set<String>> anchorsOf =
        doc ->
            anchorsByDoc.computeIfAbsent(
                doc,
                d -> Files.isRegularFile(ROOT.resolve(d)) ? new Markdown(read(d)).anchors() : null);

    List<String> problems = new ArrayList<>();
    for (Path file : citingFiles()) {
      String text = read(file);
      Matcher m = DOC_CITATION.matcher(text);
      while (m.find()) {
        problems.addAll(check(file, text, m.start(), "docs/" + m.group(1), m.group(2), anchorsOf));
      }
    }
    for (Path doc : files("docs")) {
      String text = read(doc);
      Matcher m = DOC_LINK.matcher(text);
      while (m.find()) {
        String target =
            m.group(1).isEmpty()
                ? ROOT.relativize(doc).toString()
                : ROOT.relativize(doc.getParent().resolve(m.group(1)).normalize()).toString();
        problems.addAll(
            check(
                doc,
                text,
                m.start(),
                target,
                target.endsWith(".md") ? m.group(2) : null,
                anchorsOf));
      }
    }
    assertThat(problems).as("citations of documents or headings that do not exist").isEmpty();
  }

  @Test
  void aCitationOfAMissingHeadingIsReported() {
    Function<String, Set<String>> anchorsOf =
        doc -> doc.equals(REFERENCE) ? Set.of("delete") : null;
    Path file = ROOT.resolve("Example.java");
    String text = "// see the reference\n";

    assertThat(check(file, text, 0, REFERENCE, "delete", anchorsOf)).isEmpty();
    assertThat(check(file, text, 0, REFERENCE, "deletion", anchorsOf))
        .singleElement()
        .asString()
        .contains("Example.java:1", "#deletion");
    assertThat(check(file, text, 0, "docs/" + "nothing.md", null, anchorsOf))
        .singleElement()
        .asString()
        .contains("does not exist");
  }

  @Test
  void nothingCitesDocumentsOutsideTheRepository() {
    List<String> problems = new ArrayList<>();
    for (Path file : citingFiles()) {
      String relative = ROOT.relativize(file).toString().replace('\\', '/');
      String text = read(file);
      Matcher m = OUTSIDE.matcher(text);
      while (m.find()) {
        problems.add(
            relative + ":" + lineOf(text, m.start()) + ": " + m.group() + " (cite docs/ instead)");
      }
    }
    assertThat(problems).as("citations of documents the repository does not hold").isEmpty();
  }

  @Test
  void outsideCitationsAreRecognised() {
    // split literals: this file is scanned too
    assertThat(OUTSIDE.matcher("(api" + ".md \"Delete\")").find()).isTrue();
    assertThat(OUTSIDE.matcher("see ../shar" + "ed/josdk-notes" + ".md").find()).isTrue();
    assertThat(OUTSIDE.matcher("cloud-apis" + ".md A.2").find()).isTrue();
    assertThat(OUTSIDE.matcher("docs/provider-apis.md#amg-operations and docs/reference.md").find())
        .isFalse();
  }

  @Test
  void settingsTableIsEveryOperatorSetting() {
    Map<String, String> expected = new LinkedHashMap<>();
    for (ConfigOption<?> o : OperatorConfig.OPTIONS) {
      expected.put(o.env(), defaultCell(o.defaultValue()));
    }
    // logback.xml reads a few variables itself: ${NAME:-default}
    Matcher m =
        Pattern.compile("\\$\\{([A-Z_]+):-([^}]*)}")
            .matcher(read("src/main/resources/logback.xml"));
    while (m.find()) {
      expected.putIfAbsent(m.group(1), defaultCell(m.group(2)));
    }

    Markdown reference = new Markdown(read(REFERENCE));
    Markdown.Heading settings =
        reference.headings().stream()
            .filter(h -> h.anchor().equals("settings"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(REFERENCE + " has no Settings heading"));
    Map<String, String> documented = new LinkedHashMap<>();
    for (Markdown.Row row : reference.rowsUnder(settings)) {
      if (row.firstCellCode().size() == 1 && row.cells().size() >= 2) {
        documented.put(row.firstCellCode().get(0), row.cells().get(1));
      }
    }
    assertThat(documented).as(REFERENCE + "#settings: variable -> default").isEqualTo(expected);
  }

  @Test
  void metricsTableNamesEverySeries() {
    Markdown reference = new Markdown(read(REFERENCE));
    Markdown.Heading metrics =
        reference.headings().stream()
            .filter(h -> h.anchor().equals("metrics"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(REFERENCE + " has no Metrics heading"));
    Set<String> documented = new TreeSet<>();
    reference.rowsUnder(metrics).forEach(r -> documented.addAll(r.firstCellCode()));

    assertThat(documented).containsAll(TokenMetrics.SERIES);
  }

  /** The paths of a kind that no table row under a level-2 heading naming that kind lists. */
  static List<String> undocumented(String kind, Set<String> paths, Markdown doc) {
    Pattern namesKind = Pattern.compile("(?<![A-Za-z])" + Pattern.quote(kind) + "(?![A-Za-z])");
    List<Markdown.Heading> sections =
        doc.headings().stream()
            .filter(h -> h.level() == 2 && namesKind.matcher(h.text()).find())
            .toList();
    if (sections.isEmpty()) {
      return List.of(kind + ": no ## heading names this kind");
    }
    Set<String> documented = new TreeSet<>();
    sections.forEach(s -> doc.rowsUnder(s).forEach(r -> documented.addAll(r.firstCellCode())));
    return paths.stream().filter(p -> !documented.contains(p)).sorted().toList();
  }

  private static List<String> check(
      Path file,
      String text,
      int at,
      String doc,
      String anchor,
      Function<String, Set<String>> anchorsOf) {
    String where = ROOT.relativize(file) + ":" + lineOf(text, at) + ": ";
    Set<String> anchors = anchorsOf.apply(doc);
    if (anchors == null) {
      return List.of(where + doc + " does not exist");
    }
    if (anchor != null && !anchors.contains(anchor)) {
      return List.of(where + doc + "#" + anchor + " names no heading of " + doc);
    }
    return List.of();
  }

  /** Where the code, the manifests and the READMEs live; docs/ itself is checked by its links. */
  private static List<Path> citingFiles() {
    List<Path> files = new ArrayList<>();
    files.addAll(files("src"));
    files.addAll(files("deploy"));
    files.addAll(files("docs"));
    for (String single : List.of("README.md", "pom.xml", "Dockerfile")) {
      if (Files.isRegularFile(ROOT.resolve(single))) {
        files.add(ROOT.resolve(single));
      }
    }
    return files;
  }

  private static List<Path> files(String dir) {
    try (Stream<Path> walk = Files.walk(ROOT.resolve(dir))) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static CustomResourceDefinition crd(Path file) {
    Object parsed = new KubernetesSerialization().unmarshal(read(file));
    assertThat(parsed)
        .as(file + " is a CustomResourceDefinition")
        .isInstanceOf(CustomResourceDefinition.class);
    return (CustomResourceDefinition) parsed;
  }

  private static String defaultCell(String value) {
    return value.isEmpty() ? "*(unset)*" : "`" + value + "`";
  }

  private static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  private static String read(String relative) {
    return read(ROOT.resolve(relative));
  }

  private static String read(Path file) {
    try {
      // lenient: a binary file under src/ must not fail the scan, only never match
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
