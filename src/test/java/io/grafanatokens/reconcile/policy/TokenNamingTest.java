package io.grafanatokens.reconcile.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/reference.md#issuing-crash-safe: {@code <tokenName cut to 108>-<first 8 chars of the
 * uid>-<n>}.
 */
class TokenNamingTest {
  private static final String UID = "x7k2p9qa-1b2c-4d5e-8f90-123456789abc";
  private static final TokenNaming NAMING = new TokenNaming("dashboards-ci", UID);

  static Stream<Arguments> names() {
    return Stream.of(
        arguments("dashboards-ci", UID, 1L, "dashboards-ci-x7k2p9qa-1"),
        arguments("dashboards-ci", UID, 4L, "dashboards-ci-x7k2p9qa-4"),
        arguments("dashboards-ci", UID, 1234567L, "dashboards-ci-x7k2p9qa-1234567"),
        arguments("a.b_c", "0123456789", 2L, "a.b_c-01234567-2"),
        arguments("t", "abc", 1L, "t-abc-1"));
  }

  @ParameterizedTest(name = "{0} / {1} / {2} -> {3}")
  @MethodSource
  void names(String tokenName, String uid, long n, String expected) {
    assertThat(new TokenNaming(tokenName, uid).name(n)).isEqualTo(expected);
  }

  static Stream<Arguments> cutTo108() {
    return Stream.of(
        arguments(100, 100),
        arguments(107, 107),
        arguments(108, 108),
        arguments(109, 108),
        arguments(253, 108));
  }

  @ParameterizedTest(name = "tokenName of {0} chars keeps {1}")
  @MethodSource
  void cutTo108(int length, int kept) {
    String tokenName = "n".repeat(length - 1) + "z";
    TokenNaming naming = new TokenNaming(tokenName, UID);

    String name = naming.name(999);
    assertThat(name).isEqualTo(tokenName.substring(0, kept) + "-x7k2p9qa-999");
    // 108 + "-" + 8 + "-" leaves 10 digits within AMG's 128 characters
    assertThat(naming.name(9_999_999_999L)).hasSizeLessThanOrEqualTo(128);
    assertThat(naming.counterOf(name)).hasValue(999);
  }

  @Test
  void resourcesWhoseTokenNamesDifferOnlyPast108CharactersShareTheCutPrefix() {
    String base = "b".repeat(108);
    TokenNaming a = new TokenNaming(base + "-one", UID);
    TokenNaming b = new TokenNaming(base + "-two", UID);

    assertThat(a.name(1)).isEqualTo(b.name(1));
    assertThat(b.counterOf(a.name(7))).hasValue(7);
  }

  static Stream<Arguments> counterOf() {
    return Stream.of(
        // name, expected counter (null = not ours)
        arguments("dashboards-ci-x7k2p9qa-1", 1L),
        arguments("dashboards-ci-x7k2p9qa-4", 4L),
        arguments("dashboards-ci-x7k2p9qa-0", 0L),
        arguments("dashboards-ci-x7k2p9qa-007", 7L),
        arguments("dashboards-ci-x7k2p9qa-123456789012345678", 123456789012345678L),
        arguments("dashboards-ci-x7k2p9qa-1234567890123456789", null),
        arguments("dashboards-ci-x7k2p9qa-99999999999999999999", null),
        arguments("dashboards-ci-x7k2p9qa-1x", null),
        arguments("dashboards-ci-x7k2p9qa-", null),
        arguments("dashboards-ci-x7k2p9qa", null),
        arguments("dashboards-ci-x7k2p9qa--1", null),
        arguments("dashboards-ci-x7k2p9qa-+1", null),
        arguments("dashboards-ci-x7k2p9qa-1 ", null),
        arguments(" dashboards-ci-x7k2p9qa-1", null),
        arguments("dashboards-ci-x7k2p9qa-1\n", null),
        arguments("dashboards-ci-x7k2p9qa-١", null),
        arguments("dashboards-ci-aaaaaaaa-1", null),
        arguments("dashboards-ci-x7k2p9q-1", null),
        arguments("dashboards-ci-x7k2p9qab-1", null),
        arguments("DASHBOARDS-CI-x7k2p9qa-1", null),
        arguments("dashboards-x7k2p9qa-1", null),
        arguments("dashboards-ci-prod-x7k2p9qa-1", null),
        arguments("x-dashboards-ci-x7k2p9qa-1", null),
        arguments("dashboards-ci-x7k2p9qa-1-x7k2p9qa-2", null),
        arguments("", null),
        arguments(null, null));
  }

  @ParameterizedTest(name = "[{0}] -> {1}")
  @MethodSource
  void counterOf(String name, Long expected) {
    OptionalLong counter = NAMING.counterOf(name);

    assertThat(counter)
        .isEqualTo(expected == null ? OptionalLong.empty() : OptionalLong.of(expected));
    assertThat(NAMING.isOurs(name)).isEqualTo(expected != null);
  }

  @Test
  void aTokenNameThatIsAPrefixOfAnotherDoesNotClaimItsTokens() {
    TokenNaming shorter = new TokenNaming("a", UID);
    TokenNaming longer = new TokenNaming("a-b", UID);

    assertThat(shorter.counterOf(longer.name(3))).isEmpty();
    assertThat(longer.counterOf(shorter.name(3))).isEmpty();
    assertThat(shorter.counterOf(shorter.name(3))).hasValue(3);
  }

  @Test
  void dotsInTheTokenNameAreLiteral() {
    TokenNaming dotted = new TokenNaming("a.b", "uid12345");

    assertThat(dotted.counterOf("a.b-uid12345-1")).hasValue(1);
    assertThat(dotted.counterOf("aXb-uid12345-1")).isEmpty();
    assertThat(dotted.counterOf("a-b-uid12345-1")).isEmpty();
    assertThat(new TokenNaming("...", "uid12345").counterOf("abc-uid12345-1")).isEmpty();
  }

  static Stream<Arguments> metacharacters() {
    return Stream.of(
        arguments("a.b", "a-b"),
        arguments("a.*", "a-anything"),
        arguments("a\\E.*", "a\\Eanything"),
        arguments("(a)", "a"),
        arguments("a+", "aa"),
        arguments("[ab]", "a"),
        arguments("a|b", "b"),
        arguments("a$", "a"));
  }

  @ParameterizedTest(name = "tokenName {0} does not match {1}")
  @MethodSource
  void metacharacters(String tokenName, String lookalike) {
    TokenNaming naming = new TokenNaming(tokenName, "uid12345");

    assertThat(naming.counterOf(naming.name(5))).hasValue(5);
    assertThat(naming.counterOf(lookalike + "-uid12345-5")).isEmpty();
  }

  static Stream<Arguments> next() {
    return Stream.of(
        // known counter, names listed at the provider, expected next
        arguments(0L, List.of(), 1L),
        arguments(-5L, List.of(), 1L),
        arguments(3L, List.of(), 4L),
        arguments(0L, List.of("dashboards-ci-x7k2p9qa-2"), 3L),
        arguments(3L, List.of("dashboards-ci-x7k2p9qa-1", "dashboards-ci-x7k2p9qa-2"), 4L),
        arguments(3L, List.of("dashboards-ci-x7k2p9qa-9", "dashboards-ci-x7k2p9qa-2"), 10L),
        arguments(
            3L,
            List.of("dashboards-ci-aaaaaaaa-50", "other-x7k2p9qa-60", "dashboards-ci-x7k2p9qa-70x"),
            4L),
        arguments(3L, List.of("dashboards-ci-prod-x7k2p9qa-50", "dashboards-ci-x7k2p9qa-"), 4L),
        arguments(0L, List.of("dashboards-ci-x7k2p9qa-99999999999999999999"), 1L));
  }

  @ParameterizedTest(name = "known {0}, listed {1} -> {2}")
  @MethodSource
  void next(long known, List<String> listed, long expected) {
    assertThat(NAMING.next(known, listed)).isEqualTo(expected);
  }

  @Test
  void nextGivesANameThatIsOurs() {
    long n = NAMING.next(4, List.of("dashboards-ci-x7k2p9qa-6"));

    assertThat(NAMING.name(n)).isEqualTo("dashboards-ci-x7k2p9qa-7");
    assertThat(NAMING.counterOf(NAMING.name(n))).hasValue(n);
  }
}
