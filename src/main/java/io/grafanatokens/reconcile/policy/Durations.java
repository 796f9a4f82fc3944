package io.grafanatokens.reconcile.policy;

import io.grafanatokens.api.v1alpha1.Rotation;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style durations (s, m, h; no days), the grammar CEL's duration() and the schema share. */
public final class Durations {
  private static final Pattern WHOLE = Pattern.compile(Rotation.DURATION_PATTERN);
  private static final Pattern PART = Pattern.compile("([0-9]+)([hms])");
  private static final long MAX_SECONDS = 10L * 365 * 24 * 3600;

  private Durations() {}

  /** Parses "90s", "1h30m"; empty when the text does not follow the grammar. */
  public static Optional<Duration> parse(String text) {
    if (text == null || text.length() > 32 || !WHOLE.matcher(text).matches()) {
      return Optional.empty();
    }
    long seconds = 0;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      long n;
      try {
        n = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      long unit =
          switch (m.group(2)) {
            case "h" -> 3600;
            case "m" -> 60;
            default -> 1;
          };
      if (n > MAX_SECONDS / unit) {
        return Optional.empty();
      }
      seconds += n * unit;
      if (seconds > MAX_SECONDS) {
        return Optional.empty();
      }
    }
    return Optional.of(Duration.ofSeconds(seconds));
  }

  /** Formats like Go: 1h30m0s becomes "1h30m", 0 becomes "0s". */
  public static String format(Duration d) {
    long s = d.getSeconds();
    if (s == 0) {
      return "0s";
    }
    StringBuilder b = new StringBuilder();
    if (s >= 3600) {
      b.append(s / 3600).append('h');
      s %= 3600;
    }
    if (s >= 60) {
      b.append(s / 60).append('m');
      s %= 60;
    }
    if (s > 0) {
      b.append(s).append('s');
    }
    return b.toString();
  }
}
