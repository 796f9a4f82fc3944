package io.grafanatokens.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.grafanatokens.observability.TokenMetrics;
import io.grafanatokens.runtime.ConfigOption;
import io.grafanatokens.runtime.OperatorConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The configuration table of the README and of docs/reference.md is OperatorConfig.OPTIONS (plus
 * the variables logback.xml reads itself), row for row; the README's metrics table names every
 * series of TokenMetrics. (HelmChartTest checks that every row is a value of the chart.)
 */
class DeployReadmeTest {
  /** ${NAME:-default} in logback.xml: settings read by logback, not by OperatorConfig. */
  private static final Pattern LOGBACK_VARIABLE = Pattern.compile("\\$\\{([A-Z_]+):-([^}]*)}");

  private static final Pattern ROW =
      Pattern.compile("^\\|\\s*`([A-Z0-9_]+)`\\s*\\|(.*)\\|(.*)\\|\\s*$");

  /** Variable -> [default cell, meaning cell] as the table should read. */
  static Map<String, String[]> expectedRows() {
    Map<String, String[]> rows = new LinkedHashMap<>();
    for (ConfigOption<?> o : OperatorConfig.OPTIONS) {
      rows.put(o.env(), new String[] {defaultCell(o.defaultValue()), o.description()});
    }
    Matcher m = LOGBACK_VARIABLE.matcher(Manifests.read("src/main/resources/logback.xml"));
    while (m.find()) {
      rows.putIfAbsent(m.group(1), new String[] {defaultCell(m.group(2)), null});
    }
    return rows;
  }

  private static String defaultCell(String value) {
    return value.isEmpty() ? "*(unset)*" : "`" + value + "`";
  }

  /** The rows of the file's table whose header starts with "| Variable |". */
  private static Map<String, String[]> settingsRows(String file) {
    Map<String, String[]> rows = new LinkedHashMap<>();
    boolean inTable = false;
    for (String line : Manifests.read(file).split("\n")) {
      if (line.startsWith("| Variable |")) {
        inTable = true;
        continue;
      }
      if (inTable && !line.startsWith("|")) {
        break;
      }
      Matcher m = ROW.matcher(line);
      if (inTable && m.matches()) {
        rows.put(m.group(1), new String[] {m.group(2).strip(), m.group(3).strip()});
      }
    }
    return rows;
  }

  @Test
  void configurationTableIsOperatorConfigOptions() {
    String file = "README.md";
    Map<String, String[]> expected = expectedRows();
    Map<String, String[]> actual = settingsRows(file);
    List<String> problems = new ArrayList<>();
    if (!List.copyOf(actual.keySet()).equals(List.copyOf(expected.keySet()))) {
      problems.add(
          "variables " + actual.keySet() + ", expected " + expected.keySet() + " in this order");
    }
    expected.forEach(
        (env, cells) -> {
          String[] row = actual.get(env);
          if (row == null) {
            return;
          }
          if (!row[0].equals(cells[0])) {
            problems.add(env + ": default " + row[0] + ", expected " + cells[0]);
          }
          if (cells[1] != null && !row[1].equals(cells[1])) {
            problems.add(
                env + ": meaning '" + row[1] + "', expected '" + cells[1] + "' (OperatorConfig)");
          }
        });
    StringBuilder table = new StringBuilder("| Variable | Default | Meaning |\n|---|---|---|\n");
    expected.forEach(
        (env, cells) ->
            table
                .append("| `")
                .append(env)
                .append("` | ")
                .append(cells[0])
                .append(" | ")
                .append(
                    cells[1] != null
                        ? cells[1]
                        : actual.containsKey(env) ? actual.get(env)[1] : "(read by logback.xml)")
                .append(" |\n"));
    assertThat(problems).as(file + " configuration table; it should read:\n" + table).isEmpty();
  }

  /** docs/reference.md#settings explains more, but of the same variables with the same defaults. */
  @Test
  void referenceSettingsAreTheSameVariablesWithTheSameDefaults() {
    Map<String, String> expected = new TreeMap<>();
    expectedRows().forEach((env, cells) -> expected.put(env, cells[0]));
    Map<String, String> documented = new TreeMap<>();
    settingsRows("docs/reference.md").forEach((env, cells) -> documented.put(env, cells[0]));
    assertThat(documented)
        .as("docs/reference.md#settings: variable -> default")
        .isEqualTo(expected);
  }

  @Test
  void metricsTableNamesEverySeries() {
    String readme = Manifests.read("README.md");
    for (String series : TokenMetrics.SERIES) {
      assertThat(readme).as("README names " + series).containsPattern("\\|\\s*`" + series + "`");
    }
  }
}
