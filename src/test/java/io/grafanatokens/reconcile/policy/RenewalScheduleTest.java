package io.grafanatokens.reconcile.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** docs/reference.md#rotation-timing. */
class RenewalScheduleTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-22T10:15:00Z"), ZoneOffset.UTC);
  private static final Instant ISSUED = CLOCK.instant();
  private static final String UID = "3f2a9c1e-7b44-4d0a-9e51-0c6d2b8f1a77";

  // ---- an independent model of the contract's jitter

  /** (first 8 hex digits of SHA-256(uid), as a number) mod min(L/10, 15 min), in seconds. */
  private static Duration expectedJitter(String uid, Duration lifetime) {
    long bound = Math.min(lifetime.dividedBy(10).getSeconds(), Duration.ofMinutes(15).getSeconds());
    if (bound <= 0) {
      return Duration.ZERO;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(uid.getBytes(StandardCharsets.UTF_8));
      long first8 = Long.parseLong(HexFormat.of().formatHex(digest).substring(0, 8), 16);
      return Duration.ofSeconds(first8 % bound);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static RenewalSchedule compute(Duration lifetime, Optional<Duration> renewBefore) {
    return RenewalSchedule.compute(ISSUED, lifetime, renewBefore, Optional.empty(), true, UID);
  }

  private static Duration d(String text) {
    return Durations.parse(text).orElseThrow();
  }

  // ---- effective renewBefore

  static Stream<Arguments> effectiveRenewBefore() {
    return Stream.of(
        // name, lifetime, renewBefore, effective, ShortLifetime expected
        arguments("default is L/3 (24h)", d("24h"), null, d("8h"), false),
        arguments("default is L/3 (1h)", d("1h"), null, d("20m"), false),
        arguments("default is L/3 (60s)", d("60s"), null, d("20s"), false),
        arguments("explicit value is used", d("24h"), d("2h"), d("2h"), false),
        arguments(
            "explicit value just under L - L/10", d("24h"), d("21h35m59s"), d("21h35m59s"), false),
        arguments(
            "explicit value equal to L - L/10 falls back", d("24h"), d("21h36m"), d("8h"), true),
        arguments("explicit value longer than L falls back", d("24h"), d("48h"), d("8h"), true),
        arguments("explicit value equal to L falls back", d("1h"), d("1h"), d("20m"), true),
        arguments("short L: 30s floor applies, just under", d("60s"), d("29s"), d("29s"), false),
        arguments(
            "short L: 30s floor applies, equal falls back", d("60s"), d("30s"), d("20s"), true),
        arguments("short L: 30s floor beats L/10 (210s)", d("210s"), d("180s"), d("70s"), true),
        arguments(
            "short L: 30s floor beats L/10, just under", d("210s"), d("179s"), d("179s"), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void effectiveRenewBefore(
      String name,
      Duration lifetime,
      Duration renewBefore,
      Duration effective,
      boolean shortLifetime) {
    RenewalSchedule s = compute(lifetime, Optional.ofNullable(renewBefore));

    assertThat(s.lifetime()).isEqualTo(lifetime);
    assertThat(s.renewBefore()).isEqualTo(effective);
    assertThat(s.shortLifetime().isPresent()).isEqualTo(shortLifetime);
  }

  @Test
  void fallbackMessageNamesTheValuesInvolved() {
    RenewalSchedule s = compute(d("24h"), Optional.of(d("22h")));

    assertThat(s.shortLifetime())
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("renewBefore 22h")
                    .contains("24h")
                    .contains("2h24m")
                    .contains("one third"));
  }

  // ---- renewalTime = expiresAt - effective renewBefore - jitter

  static Stream<Arguments> renewalTime() {
    return Stream.of(
        arguments(d("24h"), null, d("8h")),
        arguments(d("24h"), d("2h"), d("2h")),
        arguments(d("2592000s"), null, d("240h")),
        arguments(d("1h"), null, d("20m")),
        arguments(d("2h30m"), d("1h"), d("1h")),
        arguments(d("10m"), null, d("200s")),
        arguments(d("24h"), d("23h"), d("8h")));
  }

  @ParameterizedTest(name = "L={0} renewBefore={1}")
  @MethodSource
  void renewalTime(Duration lifetime, Duration renewBefore, Duration effective) {
    RenewalSchedule s = compute(lifetime, Optional.ofNullable(renewBefore));

    Instant expected = ISSUED.plus(lifetime).minus(effective).minus(expectedJitter(UID, lifetime));
    assertThat(s.renewalTime()).isEqualTo(expected);
  }

  static Stream<Arguments> jitterBound() {
    return Stream.of(
        arguments(d("24h"), 900L),
        arguments(d("2h30m"), 900L),
        arguments(d("2h"), 720L),
        arguments(d("1h"), 360L),
        arguments(d("60s"), 6L),
        arguments(d("9s"), 0L));
  }

  @ParameterizedTest(name = "L={0} -> jitter < {1}s")
  @MethodSource("jitterBound")
  void jitterIsBoundedByATenthOfTheLifetimeAndFifteenMinutes(Duration lifetime, long boundSeconds) {
    for (String uid : new String[] {UID, "a", "b", "c", "d", "e", "0000", "ffff-ffff"}) {
      Duration jitter = RenewalSchedule.jitter(uid, Duration.ofSeconds(boundSeconds));
      assertThat(jitter).isEqualTo(expectedJitter(uid, lifetime));
      assertThat(jitter.getSeconds()).isLessThan(Math.max(boundSeconds, 1));
      assertThat(jitter.isNegative()).isFalse();
    }
  }

  @Test
  void jitterIsStablePerUidAndDiffersBetweenUids() {
    Duration l = d("24h");
    Instant a1 =
        RenewalSchedule.compute(ISSUED, l, Optional.empty(), Optional.empty(), true, "uid-a")
            .renewalTime();
    Instant a2 =
        RenewalSchedule.compute(ISSUED, l, Optional.empty(), Optional.empty(), true, "uid-a")
            .renewalTime();
    Instant b =
        RenewalSchedule.compute(ISSUED, l, Optional.empty(), Optional.empty(), true, "uid-b")
            .renewalTime();

    assertThat(expectedJitter("uid-a", l)).isNotEqualTo(expectedJitter("uid-b", l));
    assertThat(a1).isEqualTo(a2);
    assertThat(a1).isNotEqualTo(b);
    assertThat(Duration.between(b, a1))
        .isEqualTo(expectedJitter("uid-b", l).minus(expectedJitter("uid-a", l)));
  }

  @Test
  void jitterUsesTheFirstEightHexDigitsAsAnUnsignedNumber() {
    // find a uid whose first 8 hex digits are >= 0x80000000, i.e. negative as a signed int
    String uid =
        Stream.iterate(0, i -> i + 1)
            .map(i -> "uid-" + i)
            .filter(u -> Character.digit(sha256(u).charAt(0), 16) >= 8)
            .findFirst()
            .orElseThrow();
    long first8 = Long.parseLong(sha256(uid).substring(0, 8), 16);

    assertThat(first8).isGreaterThan(Integer.MAX_VALUE);
    assertThat(RenewalSchedule.jitter(uid, Duration.ofSeconds(900)))
        .isEqualTo(Duration.ofSeconds(first8 % 900));
  }

  @Test
  void renewalTimeIsTruncatedToWholeSeconds() {
    Instant issued = Instant.parse("2026-11-22T10:15:00.987654321Z");
    RenewalSchedule s =
        RenewalSchedule.compute(issued, d("24h"), Optional.empty(), Optional.empty(), true, UID);

    Instant raw = issued.plus(d("16h")).minus(expectedJitter(UID, d("24h")));
    assertThat(s.renewalTime()).isEqualTo(raw.truncatedTo(ChronoUnit.SECONDS));
    assertThat(s.renewalTime().getNano()).isZero();
  }

  // ---- never sooner than max(30s, L/10) after the issue

  static Stream<Arguments> floor() {
    return Stream.of(
        // lifetime, renewBefore, floor after issue
        arguments(d("60s"), d("29s"), d("30s")),
        arguments(d("100s"), d("69s"), d("30s")),
        arguments(d("1000s"), d("899s"), d("100s")),
        arguments(d("24h"), d("21h35m"), d("2h24m")));
  }

  @ParameterizedTest(name = "L={0} renewBefore={1} -> not before issue + {2}")
  @MethodSource("floor")
  void renewalNeverComesSoonerThanTheMinimumGapAfterTheIssue(
      Duration lifetime, Duration renewBefore, Duration floor) {
    for (String uid : new String[] {UID, "a", "b", "c", "d", "e", "f", "g"}) {
      RenewalSchedule s =
          RenewalSchedule.compute(
              ISSUED, lifetime, Optional.of(renewBefore), Optional.empty(), true, uid);

      Instant raw = ISSUED.plus(lifetime).minus(renewBefore).minus(expectedJitter(uid, lifetime));
      Instant floorAt = ISSUED.plus(floor);
      assertThat(s.renewBefore()).isEqualTo(renewBefore);
      assertThat(s.renewalTime()).isEqualTo(raw.isBefore(floorAt) ? floorAt : raw);
    }
  }

  @Test
  void floorIsHitForAJitterThatWouldCrossIt() {
    // L=60s, renewBefore=29s: raw renewal = issue + 31s - jitter (jitter < 6s); any jitter >= 2s
    // crosses 30s
    String uid =
        Stream.iterate(0, i -> i + 1)
            .map(i -> "uid-" + i)
            .filter(u -> expectedJitter(u, d("60s")).getSeconds() >= 2)
            .findFirst()
            .orElseThrow();

    RenewalSchedule s =
        RenewalSchedule.compute(
            ISSUED, d("60s"), Optional.of(d("29s")), Optional.empty(), true, uid);

    assertThat(s.renewalTime()).isEqualTo(ISSUED.plusSeconds(30));
  }

  // ---- grace period

  static Stream<Arguments> gracePeriod() {
    return Stream.of(
        // name, lifetime, renewBefore, gracePeriod, graceByDefault, expected grace (null = none)
        arguments("default 10m for a long lifetime", d("24h"), null, null, true, d("10m")),
        arguments(
            "default half of renewBefore when shorter", d("24h"), d("8m"), null, true, d("4m")),
        arguments("default half of the L/3 default", d("10m"), null, null, true, d("100s")),
        arguments(
            "default half of the fallback renewBefore", d("6m"), d("6m"), null, true, d("1m")),
        arguments(
            "default exactly 10m at renewBefore 20m", d("24h"), d("20m"), null, true, d("10m")),
        arguments("explicit grace wins", d("24h"), null, d("30m"), true, d("30m")),
        arguments("explicit 0s revokes at once", d("24h"), null, d("0s"), true, Duration.ZERO),
        arguments("no default without graceByDefault", d("12h"), null, null, false, null),
        arguments(
            "explicit grace opts in without graceByDefault",
            d("12h"),
            null,
            d("5m"),
            false,
            d("5m")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void gracePeriod(
      String name,
      Duration lifetime,
      Duration renewBefore,
      Duration grace,
      boolean byDefault,
      Duration expected) {
    RenewalSchedule s =
        RenewalSchedule.compute(
            ISSUED,
            lifetime,
            Optional.ofNullable(renewBefore),
            Optional.ofNullable(grace),
            byDefault,
            UID);

    assertThat(s.gracePeriod()).isEqualTo(Optional.ofNullable(expected));
  }

  static Stream<Arguments> shortLifetimeForGrace() {
    return Stream.of(
        // lifetime, gracePeriod, warning expected
        arguments(d("1h"), d("31m"), true),
        arguments(d("1h"), d("30m"), false),
        arguments(d("1h"), d("29m"), false),
        arguments(d("24h"), d("12h1s"), true),
        arguments(d("24h"), d("0s"), false));
  }

  @ParameterizedTest(name = "L={0} grace={1} -> ShortLifetime {2}")
  @MethodSource("shortLifetimeForGrace")
  void shortLifetimeWhenTheLifetimeIsUnderTwiceTheGrace(
      Duration lifetime, Duration grace, boolean warning) {
    RenewalSchedule s =
        RenewalSchedule.compute(ISSUED, lifetime, Optional.empty(), Optional.of(grace), true, UID);

    assertThat(s.shortLifetime().isPresent()).isEqualTo(warning);
    s.shortLifetime()
        .ifPresent(m -> assertThat(m).contains("grace").contains(Durations.format(grace)));
  }

  @Test
  void bothWarningsAreReportedTogether() {
    RenewalSchedule s =
        RenewalSchedule.compute(
            ISSUED, d("1h"), Optional.of(d("1h")), Optional.of(d("40m")), true, UID);

    assertThat(s.shortLifetime())
        .hasValueSatisfying(
            m -> assertThat(m).contains("renewBefore 1h").contains("twice the grace period 40m"));
  }

  @Test
  void noWarningForSaneSettings() {
    assertThat(compute(d("24h"), Optional.of(d("8h"))).shortLifetime()).isEmpty();
  }

  // ---- revokeAt

  static Stream<Arguments> revokeAt() {
    Instant start = Instant.parse("2026-11-22T10:15:00Z");
    return Stream.of(
        // name, graceStart, grace, previousExpiresAt, expected
        arguments(
            "after the grace period",
            start,
            d("10m"),
            start.plus(d("1h")),
            Instant.parse("2026-11-22T10:25:00Z")),
        arguments("no expiry known", start, d("10m"), null, Instant.parse("2026-11-22T10:25:00Z")),
        arguments(
            "capped at the previous expiry",
            start,
            d("10m"),
            Instant.parse("2026-11-22T10:20:00Z"),
            Instant.parse("2026-11-22T10:20:00Z")),
        arguments(
            "expiry equal to the end of the grace",
            start,
            d("10m"),
            Instant.parse("2026-11-22T10:25:00Z"),
            Instant.parse("2026-11-22T10:25:00Z")),
        arguments("zero grace revokes at once", start, Duration.ZERO, start.plus(d("1h")), start),
        arguments(
            "truncated to whole seconds",
            Instant.parse("2026-11-22T10:15:00.750Z"),
            d("10m"),
            null,
            Instant.parse("2026-11-22T10:25:00Z")),
        arguments(
            "already expired previous token",
            start,
            d("10m"),
            Instant.parse("2026-11-22T10:00:00Z"),
            Instant.parse("2026-11-22T10:00:00Z")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void revokeAt(
      String name,
      Instant graceStart,
      Duration grace,
      Instant previousExpiresAt,
      Instant expected) {
    assertThat(RenewalSchedule.revokeAt(graceStart, grace, previousExpiresAt)).isEqualTo(expected);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
