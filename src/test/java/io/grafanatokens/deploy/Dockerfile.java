package io.grafanatokens.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The instructions of a Dockerfile, by stage (enough of the syntax for the checks here). */
record Dockerfile(List<Stage> stages) {
  record Instruction(String keyword, String args) {}

  record Stage(String from, String name, List<Instruction> instructions) {
    List<String> args(String keyword) {
      return instructions.stream()
          .filter(i -> i.keyword().equals(keyword))
          .map(Instruction::args)
          .toList();
    }
  }

  static Dockerfile parse(String text) {
    List<String> logical = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String raw : text.split("\n", -1)) {
      String line = raw.strip();
      if (current.length() == 0 && (line.isEmpty() || line.startsWith("#"))) {
        continue;
      }
      if (current.length() > 0 && line.startsWith("#")) {
        continue;
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      logical.add(current.toString().strip());
      current.setLength(0);
    }
    List<Stage> stages = new ArrayList<>();
    for (String l : logical) {
      int sp = l.indexOf(' ');
      String keyword = (sp < 0 ? l : l.substring(0, sp)).toUpperCase(Locale.ROOT);
      String args = sp < 0 ? "" : l.substring(sp + 1).strip();
      if (keyword.equals("FROM")) {
        // flags such as --platform=$BUILDPLATFORM come before the image
        String[] parts =
            java.util.Arrays.stream(args.split("\\s+"))
                .filter(p -> !p.startsWith("--"))
                .toArray(String[]::new);
        String name =
            parts.length >= 3 && parts[parts.length - 2].equalsIgnoreCase("AS")
                ? parts[parts.length - 1]
                : "";
        stages.add(new Stage(parts[0], name, new ArrayList<>()));
      } else if (!stages.isEmpty()) {
        stages.get(stages.size() - 1).instructions().add(new Instruction(keyword, args));
      }
    }
    return new Dockerfile(stages);
  }

  Stage last() {
    return stages.get(stages.size() - 1);
  }

  Stage stage(String name) {
    return stages.stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no stage named " + name + " in the Dockerfile"));
  }
}
