package io.grafanatokens.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.grafanatokens.observability.TokenMetrics;
import io.grafanatokens.runtime.ConfigOption;
import io.grafanatokens.runtime.OperatorConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table is OperatorConfig.OPTIONS (plus the variables logback.xml reads
 * itself), row for row; its metrics table names every series of TokenMetrics.
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

  /** The rows of the README table whose header starts with "| Variable |". */
  private static Map<String, String[]> readmeRows() {
    Map<String, String[]> rows = new LinkedHashMap<>();
    boolean inTable = false;
    for (String line : Manifests.read("README.md").split("\n")) {
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
    Map<String, String[]> expected = expectedRows();
    Map<String, String[]> actual = readmeRows();
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
    assertThat(problems).as("README configuration table; it should read:\n" + table).isEmpty();
  }

  @Test
  void metricsTableNamesEverySeries() {
    String readme = Manifests.read("README.md");
    for (String series :
        List.of(
            TokenMetrics.EXPIRATION,
            TokenMetrics.RENEWAL,
            TokenMetrics.READY,
            TokenMetrics.ROTATIONS,
            TokenMetrics.ISSUE_FAILURES,
            TokenMetrics.PROVIDER_REQUESTS,
            TokenMetrics.REVOCATIONS_ABANDONED)) {
      assertThat(readme).as("README names " + series).containsPattern("\\|\\s*`" + series + "`");
    }
  }
}
