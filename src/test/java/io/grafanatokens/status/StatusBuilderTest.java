package io.grafanatokens.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.Condition;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenStatus;
import io.grafanatokens.api.v1alpha1.PendingRevocation;
import io.grafanatokens.secret.CurrentToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/reference.md#status: conditions in metav1.Condition shape; lastTransitionTime changes only
 * on a flip.
 */
class StatusBuilderTest {
  private static final Clock T0 =
      Clock.fixed(Instant.parse("2026-11-22T10:15:00Z"), ZoneOffset.UTC);
  private static final Clock T1 = Clock.offset(T0, Duration.ofMinutes(5));
  private static final String GLSA = "glsa_" + "Ab3".repeat(10) + "Xy" + "_0123abcd";
  private static final CurrentToken TOKEN =
      new CurrentToken(
          "17",
          "dashboards-ci-x7k2p9qa-4",
          "2",
          Instant.parse("2026-11-22T10:15:00.123Z"),
          Instant.parse("2026-11-23T10:15:00.999Z"),
          GLSA,
          "h",
          "l");

  /** The status after a first pass at T0: Ready=True Issued, Issuing=False Idle, generation 3. */
  private static GrafanaServiceAccountTokenStatus issued() {
    return new StatusBuilder(null, 3L, T0.instant())
        .ready("Issued", "Token 17 issued.")
        .idle()
        .token("grafana", TOKEN, 4)
        .secretName("dashboards-ci")
        .renewalTime(Instant.parse("2026-11-23T02:15:00Z"))
        .build();
  }

  private static Condition condition(GrafanaServiceAccountTokenStatus s, String type) {
    return s.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  // ---- lastTransitionTime

  static Stream<Arguments> lastTransitionTime() {
    return Stream.<Arguments>of(
        arguments(
            "same status, same reason",
            (UnaryOperator<StatusBuilder>) b -> b.ready("Issued", "Token 17 issued."),
            "Ready",
            "2026-11-22T10:15:00Z"),
        arguments(
            "same status, new reason and message",
            (UnaryOperator<StatusBuilder>) b -> b.ready("Rotated", "x"),
            "Ready",
            "2026-11-22T10:15:00Z"),
        arguments(
            "Ready flips to False",
            (UnaryOperator<StatusBuilder>) b -> b.notReady("Expired", "gone"),
            "Ready",
            "2026-11-22T10:20:00Z"),
        arguments(
            "Issuing flips to True",
            (UnaryOperator<StatusBuilder>) b -> b.issuing("Renewing", "due"),
            "Issuing",
            "2026-11-22T10:20:00Z"),
        arguments(
            "Issuing stays False",
            (UnaryOperator<StatusBuilder>) StatusBuilder::idle,
            "Issuing",
            "2026-11-22T10:15:00Z"),
        arguments(
            "untouched condition",
            (UnaryOperator<StatusBuilder>) b -> b.notReady("Expired", "gone"),
            "Issuing",
            "2026-11-22T10:15:00Z"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void lastTransitionTime(
      String name, UnaryOperator<StatusBuilder> pass, String type, String expected) {
    GrafanaServiceAccountTokenStatus next =
        pass.apply(new StatusBuilder(issued(), 3L, T1.instant())).build();

    assertThat(condition(next, type).getLastTransitionTime()).isEqualTo(expected);
  }

  @Test
  void flipBackAndForthResetsEachTime() {
    GrafanaServiceAccountTokenStatus failing =
        new StatusBuilder(issued(), 3L, T1.instant()).issuing("ProviderError", "502").build();
    GrafanaServiceAccountTokenStatus stillFailing =
        new StatusBuilder(failing, 3L, T1.instant().plusSeconds(60))
            .issuing("RateLimited", "429")
            .build();
    GrafanaServiceAccountTokenStatus recovered =
        new StatusBuilder(stillFailing, 3L, T1.instant().plusSeconds(120)).idle().build();

    assertThat(condition(failing, "Issuing").getLastTransitionTime())
        .isEqualTo("2026-11-22T10:20:00Z");
    assertThat(condition(stillFailing, "Issuing").getLastTransitionTime())
        .isEqualTo("2026-11-22T10:20:00Z");
    assertThat(condition(stillFailing, "Issuing").getReason()).isEqualTo("RateLimited");
    assertThat(condition(recovered, "Issuing").getLastTransitionTime())
        .isEqualTo("2026-11-22T10:22:00Z");
  }

  @Test
  void firstConditionGetsNowTruncatedToSeconds() {
    GrafanaServiceAccountTokenStatus s =
        new StatusBuilder(null, 1L, Instant.parse("2026-11-22T10:15:00.789Z"))
            .notReady("CredentialsNotFound", "no Secret")
            .build();

    Condition ready = condition(s, "Ready");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("CredentialsNotFound");
    assertThat(ready.getLastTransitionTime()).isEqualTo("2026-11-22T10:15:00Z");
  }

  static Stream<Arguments> conditionShapes() {
    return Stream.<Arguments>of(
        arguments(
            (UnaryOperator<StatusBuilder>) b -> b.ready("Issued", "m"), "Ready", "True", "Issued"),
        arguments(
            (UnaryOperator<StatusBuilder>) b -> b.notReady("Expired", "m"),
            "Ready",
            "False",
            "Expired"),
        arguments(
            (UnaryOperator<StatusBuilder>) b -> b.issuing("KeyEdited", "m"),
            "Issuing",
            "True",
            "KeyEdited"),
        arguments((UnaryOperator<StatusBuilder>) StatusBuilder::idle, "Issuing", "False", "Idle"));
  }

  @ParameterizedTest(name = "{1}={2} {3}")
  @MethodSource
  void conditionShapes(
      UnaryOperator<StatusBuilder> pass, String type, String status, String reason) {
    StatusBuilder b = pass.apply(new StatusBuilder(null, 2L, T0.instant()));

    assertThat(b.condition(type))
        .hasValueSatisfying(
            c -> {
              assertThat(c.getStatus()).isEqualTo(status);
              assertThat(c.getReason()).isEqualTo(reason);
              assertThat(c.getMessage()).isNotBlank();
            });
    assertThat(b.build().getConditions()).hasSize(1);
  }

  // ---- observedGeneration

  @Test
  void observedGenerationOnStatusAndOnConditionsSetInThisPass() {
    GrafanaServiceAccountTokenStatus next =
        new StatusBuilder(issued(), 4L, T1.instant())
            .ready("Issued", "Token 17 issued.")
            .idle()
            .build();

    assertThat(next.getObservedGeneration()).isEqualTo(4L);
    assertThat(next.getConditions())
        .extracting(Condition::getObservedGeneration)
        .containsExactly(4L, 4L);
    assertThat(issued().getObservedGeneration()).isEqualTo(3L);
  }

  @Test
  void observedGenerationIsSetEvenWithoutConditionChanges() {
    assertThat(new StatusBuilder(issued(), 5L, T1.instant()).build().getObservedGeneration())
        .isEqualTo(5L);
  }

  // ---- unchanged()

  @Test
  void identicalRebuildIsUnchanged() {
    StatusBuilder b =
        new StatusBuilder(issued(), 3L, T1.instant())
            .ready("Issued", "Token 17 issued.")
            .idle()
            .token("grafana", TOKEN, 4)
            .secretName("dashboards-ci")
            .renewalTime(Instant.parse("2026-11-23T02:15:00Z"));

    assertThat(b.unchanged()).isTrue();
    assertThat(b.build()).isEqualTo(issued());
  }

  @Test
  void noCallsAtTheSameGenerationIsUnchanged() {
    assertThat(new StatusBuilder(issued(), 3L, T1.instant()).unchanged()).isTrue();
  }

  static Stream<Arguments> changes() {
    return Stream.<Arguments>of(
        arguments("new generation", 4L, (UnaryOperator<StatusBuilder>) b -> b),
        arguments(
            "new reason",
            3L,
            (UnaryOperator<StatusBuilder>) b -> b.ready("Rotated", "Token 17 issued.")),
        arguments(
            "new message", 3L, (UnaryOperator<StatusBuilder>) b -> b.ready("Issued", "other")),
        arguments(
            "status flip", 3L, (UnaryOperator<StatusBuilder>) b -> b.issuing("Renewing", "due")),
        arguments(
            "new token",
            3L,
            (UnaryOperator<StatusBuilder>)
                b ->
                    b.token(
                        "grafana",
                        new CurrentToken(
                            "18",
                            "dashboards-ci-x7k2p9qa-5",
                            "2",
                            TOKEN.issuedAt(),
                            TOKEN.expiresAt(),
                            "k",
                            "h",
                            "l"),
                        5)),
        arguments(
            "rotation count", 3L, (UnaryOperator<StatusBuilder>) b -> b.token("grafana", TOKEN, 5)),
        arguments(
            "renewal time",
            3L,
            (UnaryOperator<StatusBuilder>)
                b -> b.renewalTime(Instant.parse("2026-11-23T02:16:00Z"))),
        arguments("secret name", 3L, (UnaryOperator<StatusBuilder>) b -> b.secretName("other")),
        arguments("provider", 3L, (UnaryOperator<StatusBuilder>) b -> b.provider("yandexCloud")),
        arguments(
            "last rotate request",
            3L,
            (UnaryOperator<StatusBuilder>) b -> b.lastRotateRequest("r1")),
        arguments(
            "pending revocations",
            3L,
            (UnaryOperator<StatusBuilder>)
                b ->
                    b.pendingRevocations(
                        List.of(new PendingRevocation("16", "2", null, "2026-11-22T10:25:00Z")))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void changes(String name, long generation, UnaryOperator<StatusBuilder> pass) {
    assertThat(pass.apply(new StatusBuilder(issued(), generation, T1.instant())).unchanged())
        .isFalse();
  }

  @Test
  void firstStatusIsAChange() {
    assertThat(new StatusBuilder(null, 1L, T0.instant()).unchanged()).isFalse();
  }

  @Test
  void buildingDoesNotTouchThePreviousStatus() {
    GrafanaServiceAccountTokenStatus previous = issued();

    new StatusBuilder(previous, 9L, T1.instant())
        .notReady("Expired", "gone")
        .issuing("ProviderError", "502")
        .pendingRevocations(List.of(new PendingRevocation("16", "2", null, "x")))
        .build();

    assertThat(previous).isEqualTo(issued());
  }

  @Test
  void emptyPendingRevocationsAreOmitted() {
    GrafanaServiceAccountTokenStatus s =
        new StatusBuilder(null, 1L, T0.instant()).pendingRevocations(List.of()).build();

    assertThat(s.getPendingRevocations()).isNull();
  }

  // ---- messages

  static Stream<Arguments> messages() {
    String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghij";
    String iam = "t1.9euelZqUzJDIlJqTlZ6Yz5LKnZyJj-3rnpWaypiNlpCVnZLGnpyOlo6OzJU";
    return Stream.of(
        arguments("short text", "Token 17 issued.", "Token 17 issued."),
        arguments(
            "Grafana key",
            "create answered " + GLSA + " unexpectedly",
            "create answered *** unexpectedly"),
        arguments("JWT", "bearer " + jwt, "bearer ***"),
        arguments("Yandex IAM token", "iam " + iam + " rejected", "iam *** rejected"),
        arguments("two keys", GLSA + " and " + GLSA, "*** and ***"),
        arguments("exactly 256 characters", "x".repeat(256), "x".repeat(256)),
        arguments("257 characters", "x".repeat(257), "x".repeat(253) + "..."),
        arguments("long text with a key", GLSA + "y".repeat(300), "***" + "y".repeat(250) + "..."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void messages(String name, String message, String expected) {
    GrafanaServiceAccountTokenStatus s =
        new StatusBuilder(null, 1L, T0.instant())
            .notReady("ProviderRejected", message)
            .issuing("ProviderRejected", message)
            .build();

    assertThat(condition(s, "Ready").getMessage())
        .isEqualTo(expected)
        .hasSizeLessThanOrEqualTo(256);
    assertThat(condition(s, "Issuing").getMessage()).isEqualTo(expected);
  }

  @Test
  void aKeyPastTheCutNeverLeavesAPrefixBehind() {
    String message = "x".repeat(240) + GLSA;

    String cut =
        new StatusBuilder(null, 1L, T0.instant())
            .notReady("ProviderRejected", message)
            .build()
            .getConditions()
            .get(0)
            .getMessage();

    assertThat(cut).isEqualTo("x".repeat(240) + "***").doesNotContain("glsa_");
  }

  // ---- order and token fields

  @Test
  void readyIsSortedBeforeIssuing() {
    GrafanaServiceAccountTokenStatus s =
        new StatusBuilder(null, 1L, T0.instant())
            .issuing("SecretMissing", "first issue")
            .notReady("SecretMissing", "no key yet")
            .build();

    assertThat(s.getConditions())
        .extracting(Condition::getType)
        .containsExactly("Ready", "Issuing");
  }

  @Test
  void readyIsSortedBeforeIssuingWhenThePreviousOrderWasReversed() {
    GrafanaServiceAccountTokenStatus reversed = issued();
    reversed.setConditions(List.of(condition(issued(), "Issuing"), condition(issued(), "Ready")));

    GrafanaServiceAccountTokenStatus s =
        new StatusBuilder(reversed, 3L, T1.instant()).idle().build();

    assertThat(s.getConditions())
        .extracting(Condition::getType)
        .containsExactly("Ready", "Issuing");
  }

  @Test
  void settingAConditionAgainReplacesIt() {
    GrafanaServiceAccountTokenStatus s =
        new StatusBuilder(null, 1L, T0.instant())
            .issuing("Renewing", "a")
            .issuing("ProviderError", "b")
            .build();

    assertThat(s.getConditions()).hasSize(1);
    assertThat(s.getConditions().get(0).getReason()).isEqualTo("ProviderError");
  }

  @Test
  void tokenFieldsAreRecordedInWholeSeconds() {
    GrafanaServiceAccountTokenStatus s = issued();

    assertThat(s.getProvider()).isEqualTo("grafana");
    assertThat(s.getTokenId()).isEqualTo("17");
    assertThat(s.getTokenName()).isEqualTo("dashboards-ci-x7k2p9qa-4");
    assertThat(s.getServiceAccountId()).isEqualTo("2");
    assertThat(s.getIssuedAt()).isEqualTo("2026-11-22T10:15:00Z");
    assertThat(s.getExpiresAt()).isEqualTo("2026-11-23T10:15:00Z");
    assertThat(s.getRotationCount()).isEqualTo(4L);
    assertThat(s.getSecretName()).isEqualTo("dashboards-ci");
    assertThat(s.getRenewalTime()).isEqualTo("2026-11-23T02:15:00Z");
  }

  @Test
  void theKeyNeverReachesTheStatus() throws Exception {
    String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(issued());

    assertThat(json).doesNotContain(GLSA);
  }
}
