package io.grafanatokens.docs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a Markdown document that citations and the field convention depend on: its headings
 * with the anchors GitHub gives them, and the first cells of its table rows. Fenced code is
 * skipped: a YAML comment there starts with '#' but is no heading.
 */
final class Markdown {
  private static final Pattern HEADING =
      Pattern.compile("^(#{1,6})[ \\t]+(.*?)(?:[ \\t]+#+)?[ \\t]*$");
  private static final Pattern FENCE = Pattern.compile("^[ ]{0,3}(```|~~~)");
  private static final Pattern LINK = Pattern.compile("!?\\[([^\\]]*)]\\([^)]*\\)");
  private static final Pattern CODE_SPAN = Pattern.compile("`([^`]*)`");
  // github-slugger keeps letters, digits, marks, connector punctuation (_), spaces and hyphens
  private static final Pattern NOT_SLUG = Pattern.compile("[^\\p{L}\\p{N}\\p{M}\\p{Pc} -]");

  record Heading(int level, String text, String anchor, int line) {}

  /** One table row: the first cell's code spans (field paths, names) and the cells as written. */
  record Row(List<String> firstCellCode, List<String> cells, int line) {}

  private final List<String> lines;
  private final List<Heading> headings = new ArrayList<>();
  private final boolean[] inCode;

  Markdown(String text) {
    this.lines = List.of(text.split("\n", -1));
    this.inCode = new boolean[lines.size()];
    Map<String, Integer> seen = new HashMap<>();
    boolean fenced = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (FENCE.matcher(line).find()) {
        fenced = !fenced;
        inCode[i] = true;
        continue;
      }
      inCode[i] = fenced;
      Matcher m = HEADING.matcher(line);
      if (!fenced && m.matches()) {
        String slug = slug(m.group(2));
        // GitHub numbers repeated anchors: x, x-1, x-2
        int n = seen.merge(slug, 1, Integer::sum) - 1;
        headings.add(
            new Heading(m.group(1).length(), m.group(2), n == 0 ? slug : slug + "-" + n, i));
      }
    }
  }

  /**
   * GitHub's anchor of a heading: its rendered text lower-cased, punctuation dropped, spaces as
   * hyphens.
   */
  static String slug(String headingText) {
    String text = LINK.matcher(headingText).replaceAll("$1");
    text = CODE_SPAN.matcher(text).replaceAll("$1").replace("*", "");
    return NOT_SLUG
        .matcher(text.strip().toLowerCase(java.util.Locale.ROOT))
        .replaceAll("")
        .replace(' ', '-');
  }

  List<Heading> headings() {
    return headings;
  }

  Set<String> anchors() {
    Set<String> anchors = new LinkedHashSet<>();
    headings.forEach(h -> anchors.add(h.anchor()));
    return anchors;
  }

  /** The lines from a heading up to the next heading of the same or a higher level. */
  List<Row> rowsUnder(Heading heading) {
    int end = lines.size();
    for (Heading h : headings) {
      if (h.line() > heading.line() && h.level() <= heading.level()) {
        end = h.line();
        break;
      }
    }
    return rows(heading.line() + 1, end);
  }

  List<Row> rows() {
    return rows(0, lines.size());
  }

  private List<Row> rows(int from, int to) {
    List<Row> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String line = lines.get(i).strip();
      if (inCode[i] || !line.startsWith("|")) {
        continue;
      }
      List<String> cells = cells(line);
      if (cells.isEmpty() || cells.get(0).matches(":?-+:?")) {
        continue;
      }
      List<String> code = new ArrayList<>();
      Matcher m = CODE_SPAN.matcher(cells.get(0));
      while (m.find()) {
        code.add(m.group(1));
      }
      rows.add(new Row(code, cells, i + 1));
    }
    return rows;
  }

  /** Cells split on '|' outside code spans (a code span may hold a '|'). */
  private static List<String> cells(String row) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean code = false;
    for (int i = 1; i < row.length(); i++) {
      char c = row.charAt(i);
      if (c == '`') {
        code = !code;
      }
      if (c == '|' && !code && row.charAt(i - 1) != '\\') {
        cells.add(cell.toString().strip());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    if (!cell.toString().isBlank()) {
      cells.add(cell.toString().strip());
    }
    return cells;
  }
}
