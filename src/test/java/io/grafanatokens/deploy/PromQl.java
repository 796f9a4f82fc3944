package io.grafanatokens.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL to find the series an expression selects: metric names and the label names of
 * their matchers. Function names, aggregations, keywords, label lists of by/without/on/ignoring/
 * group_left/group_right, durations, ranges, strings and Grafana variables are not metrics.
 */
final class PromQl {
  private static final Pattern TOKEN =
      Pattern.compile(
          "\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'|`[^`]*`" // strings
              + "|\\$\\{?[A-Za-z0-9_]+(?::[A-Za-z0-9_]+)?\\}?" // Grafana variables
              + "|\\d[\\w.]*" // numbers, durations
              + "|[A-Za-z_:][A-Za-z0-9_:]*" // identifiers
              + "|=~|!~|!=|==|<=|>=|\\S");
  private static final Set<String> AGGREGATIONS =
      Set.of(
          "sum",
          "min",
          "max",
          "avg",
          "group",
          "stddev",
          "stdvar",
          "count",
          "count_values",
          "bottomk",
          "topk",
          "quantile",
          "limitk",
          "limit_ratio");
  private static final Set<String> LABEL_LISTS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan", "start", "end");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("^\\s*label_values\\((.*),\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*$");

  private PromQl() {}

  /** One selector: a metric and the label names its matchers use. */
  record Selector(String metric, Set<String> labels) {}

  /** The selectors of a Grafana query: PromQL, or label_values(expr, label). */
  static List<Selector> selectorsOfGrafanaQuery(String query) {
    Matcher m = LABEL_VALUES.matcher(query);
    return m.matches() ? selectors(m.group(1)) : selectors(query);
  }

  static Set<String> metricNames(String expr) {
    Set<String> out = new LinkedHashSet<>();
    selectors(expr).forEach(s -> out.add(s.metric()));
    return out;
  }

  static List<Selector> selectors(String expr) {
    List<String> t = new ArrayList<>();
    Matcher m = TOKEN.matcher(expr);
    while (m.find()) {
      t.add(m.group());
    }
    balanced(expr, t);
    List<Selector> out = new ArrayList<>();
    for (int i = 0; i < t.size(); i++) {
      String tok = t.get(i);
      String next = i + 1 < t.size() ? t.get(i + 1) : "";
      if (tok.equals("[")) {
        i = skip(t, i, "[", "]");
      } else if (LABEL_LISTS.contains(tok) && next.equals("(")) {
        i = skip(t, i + 1, "(", ")");
      } else if (tok.equals("{")) {
        // a selector without a metric name before it: {__name__="..."}
        Map<String, String> matchers = new LinkedHashMap<>();
        i = matchers(t, i, matchers);
        String name = matchers.remove("__name__");
        if (name != null) {
          out.add(new Selector(name, matchers.keySet()));
        }
      } else if (isIdentifier(tok)
          && !next.equals("(")
          && !AGGREGATIONS.contains(tok)
          && !KEYWORDS.contains(tok)
          && !LABEL_LISTS.contains(tok)) {
        Map<String, String> matchers = new LinkedHashMap<>();
        if (next.equals("{")) {
          i = matchers(t, i + 1, matchers);
        }
        out.add(new Selector(tok, matchers.keySet()));
      }
    }
    return out;
  }

  private static boolean isIdentifier(String tok) {
    return Character.isLetter(tok.charAt(0)) || tok.charAt(0) == '_' || tok.charAt(0) == ':';
  }

  /** Reads {name op "value", ...} from the "{" at i; returns the index of the "}". */
  private static int matchers(List<String> t, int i, Map<String, String> out) {
    int j = i + 1;
    while (j < t.size() && !t.get(j).equals("}")) {
      String name = t.get(j);
      if (name.equals(",")) {
        j++;
        continue;
      }
      String value = j + 2 < t.size() ? t.get(j + 2) : "";
      out.put(name, value.length() >= 2 ? value.substring(1, value.length() - 1) : value);
      j += 3;
    }
    return j;
  }

  private static int skip(List<String> t, int i, String open, String close) {
    int depth = 0;
    for (int j = i; j < t.size(); j++) {
      if (t.get(j).equals(open)) {
        depth++;
      } else if (t.get(j).equals(close) && --depth == 0) {
        return j;
      }
    }
    throw new AssertionError("unbalanced " + open + close);
  }

  private static void balanced(String expr, List<String> tokens) {
    int paren = 0;
    int brace = 0;
    int bracket = 0;
    for (String tok : tokens) {
      switch (tok) {
        case "(" -> paren++;
        case ")" -> paren--;
        case "{" -> brace++;
        case "}" -> brace--;
        case "[" -> bracket++;
        case "]" -> bracket--;
        default -> {}
      }
      if (paren < 0 || brace < 0 || bracket < 0) {
        break;
      }
    }
    if (paren != 0 || brace != 0 || bracket != 0) {
      throw new AssertionError("unbalanced brackets in PromQL: " + expr);
    }
  }
}
