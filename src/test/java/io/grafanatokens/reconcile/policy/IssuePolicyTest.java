package io.grafanatokens.reconcile.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/reference.md#when-a-new-token-is-issued: the first check that holds is the Issuing reason.
 */
class IssuePolicyTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-22T10:15:00Z"), ZoneOffset.UTC);
  private static final Instant NOW = CLOCK.instant();
  private static final String HASH = "a".repeat(64);
  private static final String OTHER_HASH = "b".repeat(64);

  /** A decision where nothing is due; each row changes some inputs. */
  private record Input(
      boolean recordedToken,
      boolean keyEdited,
      String recordedTargetHash,
      Optional<String> rotateAnnotation,
      Optional<String> actedRotate,
      Optional<Instant> renewalTime,
      boolean tokenGone) {

    static Input idle() {
      return new Input(
          true,
          false,
          HASH,
          Optional.of("r1"),
          Optional.of("r1"),
          Optional.of(NOW.plusSeconds(3600)),
          false);
    }

    Input noToken() {
      return new Input(
          false,
          keyEdited,
          recordedTargetHash,
          rotateAnnotation,
          actedRotate,
          renewalTime,
          tokenGone);
    }

    Input withToken() {
      return new Input(
          true,
          keyEdited,
          recordedTargetHash,
          rotateAnnotation,
          actedRotate,
          renewalTime,
          tokenGone);
    }

    Input edited() {
      return new Input(
          recordedToken,
          true,
          recordedTargetHash,
          rotateAnnotation,
          actedRotate,
          renewalTime,
          tokenGone);
    }

    Input hash(String h) {
      return new Input(
          recordedToken, keyEdited, h, rotateAnnotation, actedRotate, renewalTime, tokenGone);
    }

    Input rotate(String annotation, String acted) {
      return new Input(
          recordedToken,
          keyEdited,
          recordedTargetHash,
          Optional.ofNullable(annotation),
          Optional.ofNullable(acted),
          renewalTime,
          tokenGone);
    }

    Input gone() {
      return new Input(
          recordedToken,
          keyEdited,
          recordedTargetHash,
          rotateAnnotation,
          actedRotate,
          renewalTime,
          true);
    }

    Input renewal(Instant t) {
      return new Input(
          recordedToken,
          keyEdited,
          recordedTargetHash,
          rotateAnnotation,
          actedRotate,
          Optional.ofNullable(t),
          tokenGone);
    }

    Optional<IssueTrigger> evaluate() {
      return IssuePolicy.trigger(facts(false));
    }

    TriggerFacts facts(boolean adoptingOtherTarget) {
      return new TriggerFacts(
          NOW,
          recordedToken,
          keyEdited,
          Optional.ofNullable(recordedTargetHash),
          HASH,
          adoptingOtherTarget,
          rotateAnnotation,
          actedRotate,
          renewalTime,
          tokenGone);
    }
  }

  static Stream<Arguments> firstCheckThatHoldsWins() {
    Input idle = Input.idle();
    Input all =
        idle.noToken()
            .edited()
            .hash(OTHER_HASH)
            .rotate("r2", "r1")
            .gone()
            .renewal(NOW.minusSeconds(1));
    return Stream.of(
        arguments("nothing due", idle, null),
        // each trigger alone
        arguments("no recorded token", idle.noToken(), IssueTrigger.SECRET_MISSING),
        arguments("key edited", idle.edited(), IssueTrigger.KEY_EDITED),
        arguments("target hash differs", idle.hash(OTHER_HASH), IssueTrigger.SPEC_CHANGED),
        arguments("no recorded target hash", idle.hash(null), IssueTrigger.SPEC_CHANGED),
        arguments(
            "rotate annotation changed", idle.rotate("r2", "r1"), IssueTrigger.ROTATE_REQUESTED),
        arguments(
            "rotate annotation set, none acted on",
            idle.rotate("r2", null),
            IssueTrigger.ROTATE_REQUESTED),
        arguments("token gone", idle.gone(), IssueTrigger.TOKEN_GONE),
        arguments("renewal time passed", idle.renewal(NOW.minusSeconds(1)), IssueTrigger.RENEWING),
        arguments("renewal time is now", idle.renewal(NOW), IssueTrigger.RENEWING),
        arguments("renewal time unknown", idle.renewal(null), IssueTrigger.RENEWING),
        // the order: each check beats every later one
        arguments("everything: SecretMissing first", all, IssueTrigger.SECRET_MISSING),
        arguments("KeyEdited beats the rest", all.withToken(), IssueTrigger.KEY_EDITED),
        arguments(
            "SpecChanged beats rotate, gone, renewal",
            idle.hash(OTHER_HASH).rotate("r2", "r1").gone().renewal(NOW.minusSeconds(1)),
            IssueTrigger.SPEC_CHANGED),
        arguments(
            "RotateRequested beats gone, renewal",
            idle.rotate("r2", "r1").gone().renewal(NOW.minusSeconds(1)),
            IssueTrigger.ROTATE_REQUESTED),
        arguments(
            "TokenGone beats renewal",
            idle.gone().renewal(NOW.minusSeconds(1)),
            IssueTrigger.TOKEN_GONE),
        arguments(
            "SecretMissing beats KeyEdited", idle.noToken().edited(), IssueTrigger.SECRET_MISSING));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource
  void firstCheckThatHoldsWins(String name, Input input, IssueTrigger expected) {
    assertThat(input.evaluate()).isEqualTo(Optional.ofNullable(expected));
  }

  static Stream<Arguments> rotateAnnotation() {
    return Stream.of(
        // annotation, acted on, triggers
        arguments(null, null, false),
        arguments(null, "r1", false),
        arguments("r1", "r1", false),
        arguments("", "", false),
        arguments("r2", "r1", true),
        arguments("r1", null, true),
        arguments("", null, true),
        arguments("R1", "r1", true),
        arguments("2026-11-22T10:00:00Z", "2026-11-22T09:00:00Z", true));
  }

  @ParameterizedTest(name = "annotation={0} acted={1} -> RotateRequested {2}")
  @MethodSource
  void rotateAnnotation(String annotation, String acted, boolean triggers) {
    Optional<IssueTrigger> t = Input.idle().rotate(annotation, acted).evaluate();

    assertThat(t)
        .isEqualTo(triggers ? Optional.of(IssueTrigger.ROTATE_REQUESTED) : Optional.empty());
  }

  @Test
  void anOrphanIssuedUnderOtherShapingFieldsIsAdoptedWithANewToken() {
    assertThat(IssuePolicy.trigger(Input.idle().facts(true))).contains(IssueTrigger.SPEC_CHANGED);
    assertThat(IssuePolicy.firedTrigger(Input.idle().facts(true))).contains("ShapingFieldsChanged");
  }

  /** Hold facts where nothing holds; each row sets one or more. */
  private record Holds(
      boolean conflict,
      String rejectedCredential,
      HoldFacts.Failure backoff,
      String rejectedWrite,
      boolean terminating,
      Instant secretMissingAt) {
    static Holds none() {
      return new Holds(false, null, null, null, false, null);
    }

    Optional<Hold> evaluate() {
      return IssuePolicy.hold(
          new HoldFacts(
              NOW,
              conflict,
              Optional.ofNullable(rejectedCredential),
              Optional.empty(),
              Optional.ofNullable(backoff),
              Optional.ofNullable(rejectedWrite),
              terminating,
              Optional.ofNullable(secretMissingAt)));
    }
  }

  static Stream<Arguments> mostFundamentalHoldWins() {
    HoldFacts.Failure running = new HoldFacts.Failure("ProviderError", "503", NOW.plusSeconds(8));
    HoldFacts.Failure over = new HoldFacts.Failure("ProviderError", "503", NOW);
    Holds none = Holds.none();
    return Stream.of(
        arguments("nothing holds", none, null),
        arguments(
            "a foreign Secret", new Holds(true, null, null, null, false, null), "SecretConflict"),
        arguments(
            "a rejected credential",
            new Holds(false, "401", null, null, false, null),
            "CredentialsRejected"),
        arguments(
            "a backoff running",
            new Holds(false, null, running, null, false, null),
            "ProviderError"),
        arguments("a backoff over", new Holds(false, null, over, null, false, null), null),
        arguments(
            "a refused Secret write",
            new Holds(false, null, null, "immutable", false, null),
            "SecretRejected"),
        arguments(
            "a terminating namespace keeps the trigger's reason",
            new Holds(false, null, null, null, true, null),
            null + "/terminating"),
        arguments(
            "a deleted Secret re-issued 3 times this hour",
            new Holds(false, null, null, null, false, NOW.plusSeconds(60)),
            "SecretMissing"),
        arguments(
            "conflict beats everything",
            new Holds(true, "401", running, "x", true, NOW),
            "SecretConflict"),
        arguments(
            "a rejected credential beats a backoff",
            new Holds(false, "401", running, "x", true, NOW),
            "CredentialsRejected"),
        arguments(
            "a backoff beats a refused write",
            new Holds(false, null, running, "x", true, NOW),
            "ProviderError"));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource
  void mostFundamentalHoldWins(String name, Holds holds, String expected) {
    Optional<Hold> hold = holds.evaluate();
    if (expected == null) {
      assertThat(hold).isEmpty();
    } else if (expected.endsWith("/terminating")) {
      assertThat(hold)
          .hasValueSatisfying(
              h -> {
                assertThat(h.reason()).isNull();
                assertThat(h.message()).contains("namespace is being deleted");
              });
    } else {
      assertThat(hold).hasValueSatisfying(h -> assertThat(h.reason()).isEqualTo(expected));
    }
  }

  @Test
  void aCredentialAnotherResourceIsTryingFirstKeepsTheProviderAwayAfterAConflictAndARejection() {
    HoldFacts untried =
        new HoldFacts(
            NOW,
            false,
            Optional.empty(),
            Optional.of("waiting for r3"),
            Optional.empty(),
            Optional.empty(),
            false,
            Optional.empty());
    assertThat(IssuePolicy.hold(untried))
        .hasValueSatisfying(h -> assertThat(h.reason()).as("the trigger's own reason").isNull());
    HoldFacts rejected =
        new HoldFacts(
            NOW,
            false,
            Optional.of("401"),
            Optional.of("waiting"),
            Optional.empty(),
            Optional.empty(),
            false,
            Optional.empty());
    assertThat(IssuePolicy.hold(rejected))
        .hasValueSatisfying(h -> assertThat(h.reason()).isEqualTo("CredentialsRejected"));
  }

  @Test
  void aBackoffHoldsUntilItsNextAttempt() {
    Instant at = NOW.plusSeconds(8);
    assertThat(
            new Holds(
                    false, null, new HoldFacts.Failure("RateLimited", "429", at), null, false, null)
                .evaluate())
        .hasValueSatisfying(h -> assertThat(h.until()).contains(at));
  }

  @Test
  void renewalJustAheadIsNotDue() {
    assertThat(Input.idle().renewal(NOW.plusNanos(1)).evaluate()).isEmpty();
  }

  static Stream<Arguments> reasons() {
    return Stream.of(
        arguments(IssueTrigger.RENEWING, "Renewing"),
        arguments(IssueTrigger.SECRET_MISSING, "SecretMissing"),
        arguments(IssueTrigger.KEY_EDITED, "KeyEdited"),
        arguments(IssueTrigger.SPEC_CHANGED, "SpecChanged"),
        arguments(IssueTrigger.ROTATE_REQUESTED, "RotateRequested"),
        arguments(IssueTrigger.TOKEN_GONE, "TokenGone"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource
  void reasons(IssueTrigger trigger, String reason) {
    assertThat(trigger.reason()).isEqualTo(reason);
    assertThat(trigger.description()).isNotBlank();
  }
}
