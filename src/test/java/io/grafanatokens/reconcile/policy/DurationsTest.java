package io.grafanatokens.reconcile.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/reference.md#durations: Go-style durations, units s, m, h, no days. */
class DurationsTest {

  static Stream<Arguments> parses() {
    return Stream.of(
        arguments("0s", Duration.ZERO),
        arguments("0h", Duration.ZERO),
        arguments("1s", Duration.ofSeconds(1)),
        arguments("90s", Duration.ofSeconds(90)),
        arguments("10m", Duration.ofMinutes(10)),
        arguments("8h", Duration.ofHours(8)),
        arguments("1h30m", Duration.ofMinutes(90)),
        arguments("1h30m15s", Duration.ofSeconds(5415)),
        arguments("30m1h", Duration.ofMinutes(90)),
        arguments("1h1h", Duration.ofHours(2)),
        arguments("007m", Duration.ofMinutes(7)),
        arguments("720h", Duration.ofDays(30)),
        arguments("87600h", Duration.ofHours(87600)));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource
  void parses(String text, Duration expected) {
    assertThat(Durations.parse(text)).hasValue(expected);
  }

  @ParameterizedTest(name = "[{0}] is rejected")
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "1d",
        "1w",
        "1y",
        "1ms",
        "1us",
        "1ns",
        "1µs",
        "-1s",
        "+1s",
        "-0s",
        "1.5h",
        "0.5s",
        ".5s",
        "1,5h",
        "1",
        "h",
        "1h ",
        " 1h",
        "1 h",
        "1H",
        "1S",
        "1h-1m",
        "1hm",
        "P1D",
        "PT1H",
        "87601h",
        "315360001s",
        "5256001m",
        "87600h1s",
        "9223372036854775807s",
        "99999999999999999999s",
        "1000000000000000000000000000000h"
      })
  void rejected(String text) {
    assertThat(Durations.parse(text)).isEmpty();
  }

  static Stream<Arguments> formats() {
    return Stream.of(
        arguments(Duration.ZERO, "0s"),
        arguments(Duration.ofSeconds(1), "1s"),
        arguments(Duration.ofSeconds(90), "1m30s"),
        arguments(Duration.ofMinutes(10), "10m"),
        arguments(Duration.ofHours(1), "1h"),
        arguments(Duration.ofMinutes(90), "1h30m"),
        arguments(Duration.ofSeconds(3601), "1h1s"),
        arguments(Duration.ofSeconds(5415), "1h30m15s"),
        arguments(Duration.ofDays(30), "720h"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource
  void formats(Duration d, String expected) {
    assertThat(Durations.format(d)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(longs = {0, 1, 59, 60, 61, 3599, 3600, 3601, 5415, 86399, 86400, 2592000, 315360000})
  void formatThenParseRoundTrips(long seconds) {
    Duration d = Duration.ofSeconds(seconds);

    assertThat(Durations.parse(Durations.format(d))).hasValue(d);
  }

  static Stream<Arguments> parseThenFormatIsCanonical() {
    return Stream.of(
        arguments("90s", "1m30s"),
        arguments("60m", "1h"),
        arguments("0h0m0s", "0s"),
        arguments("30m1h", "1h30m"),
        arguments("1h0m0s", "1h"),
        arguments("3600s", "1h"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource
  void parseThenFormatIsCanonical(String text, String canonical) {
    assertThat(Durations.parse(text).map(Durations::format)).hasValue(canonical);
    assertThat(Durations.parse(canonical)).isEqualTo(Durations.parse(text));
  }
}
