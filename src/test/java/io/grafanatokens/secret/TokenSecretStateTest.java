package io.grafanatokens.secret;

import static io.grafanatokens.secret.SecretFixtures.KEY;
import static io.grafanatokens.secret.SecretFixtures.OTHER_UID;
import static io.grafanatokens.secret.SecretFixtures.UID;
import static io.grafanatokens.secret.SecretFixtures.b64;
import static io.grafanatokens.secret.SecretFixtures.controllerRef;
import static io.grafanatokens.secret.SecretFixtures.layout;
import static io.grafanatokens.secret.SecretFixtures.owner;
import static io.grafanatokens.secret.SecretFixtures.plainRef;
import static io.grafanatokens.secret.SecretFixtures.sha256;
import static io.grafanatokens.secret.SecretFixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.grafanatokens.api.v1alpha1.PendingRevocation;
import io.grafanatokens.secret.TokenSecretState.Ownership;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading a Secret back: ownership, the recorded token, and edits. */
class TokenSecretStateTest {
  private static final String MANAGED = "app.kubernetes.io/managed-by";

  private static Secret written() {
    return TokenSecrets.desired(null, layout(), owner(), token(), List.of(), null);
  }

  private static Secret secret(Map<String, String> labels, OwnerReference... refs) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("dashboards-ci")
        .withLabels(labels)
        .withOwnerReferences(refs)
        .endMetadata()
        .build();
  }

  // ---- ownership

  static Stream<Arguments> ownership() {
    OwnerReference nonController =
        new OwnerReferenceBuilder(controllerRef(UID)).withController(false).build();
    OwnerReference nullController =
        new OwnerReferenceBuilder(controllerRef(UID)).withController(null).build();
    Map<String, String> managed = Map.of(MANAGED, "grafana-token-operator");
    return Stream.of(
        arguments("no Secret", null, Ownership.ABSENT),
        arguments("our controller reference", secret(managed, controllerRef(UID)), Ownership.OWNED),
        arguments(
            "our controller, label gone", secret(Map.of(), controllerRef(UID)), Ownership.OWNED),
        arguments(
            "our controller among other references",
            secret(managed, plainRef("x"), controllerRef(UID)),
            Ownership.OWNED),
        arguments(
            "another resource's controller",
            secret(managed, controllerRef(OTHER_UID)),
            Ownership.FOREIGN),
        arguments("managed, no owner (Retain)", secret(managed), Ownership.ADOPTABLE),
        arguments(
            "managed, non-controller references only",
            secret(managed, plainRef("x"), nonController),
            Ownership.ADOPTABLE),
        arguments(
            "managed, controller flag null", secret(managed, nullController), Ownership.ADOPTABLE),
        arguments("unlabelled, no owner", secret(Map.of()), Ownership.FOREIGN),
        arguments(
            "no labels at all",
            new SecretBuilder().withNewMetadata().withName("s").endMetadata().build(),
            Ownership.FOREIGN),
        arguments("another managed-by value", secret(Map.of(MANAGED, "helm")), Ownership.FOREIGN),
        arguments(
            "unlabelled, someone's controller",
            secret(Map.of(), controllerRef(OTHER_UID)),
            Ownership.FOREIGN));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource
  void ownership(String name, Secret secret, Ownership expected) {
    TokenSecretState state = TokenSecretState.of(secret, UID);

    assertThat(state.ownership()).isEqualTo(expected);
    assertThat(state.exists()).isEqualTo(secret != null);
    assertThat(state.secret().isPresent()).isEqualTo(secret != null);
  }

  @Test
  void absentHasNothingRecorded() {
    TokenSecretState state = TokenSecretState.absent();

    assertThat(state.ownership()).isEqualTo(Ownership.ABSENT);
    assertThat(state.current()).isEmpty();
    assertThat(state.keyEdited()).isFalse();
    assertThat(state.recordedTokenId()).isEmpty();
    assertThat(state.pendingRevocations()).isEmpty();
    assertThat(state.applied()).isEqualTo(AppliedMetadata.NONE);
  }

  // ---- keyEdited

  static Stream<Arguments> keyEdited() {
    return Stream.<Arguments>of(
        arguments("as written", (UnaryOperator<Secret>) s -> s, false),
        arguments(
            "others' data key added",
            (UnaryOperator<Secret>) s -> new SecretBuilder(s).addToData("extra", b64("x")).build(),
            false),
        arguments(
            "key rewritten with the same value",
            (UnaryOperator<Secret>) s -> new SecretBuilder(s).addToData("token", b64(KEY)).build(),
            false),
        arguments(
            "key changed",
            (UnaryOperator<Secret>)
                s -> new SecretBuilder(s).addToData("token", b64("edited")).build(),
            true),
        arguments(
            "key emptied",
            (UnaryOperator<Secret>) s -> new SecretBuilder(s).addToData("token", "").build(),
            true),
        arguments(
            "key removed",
            (UnaryOperator<Secret>) s -> new SecretBuilder(s).removeFromData("token").build(),
            true),
        arguments(
            "all data removed",
            (UnaryOperator<Secret>) s -> new SecretBuilder(s).withData(null).build(),
            true),
        arguments(
            "not base64",
            (UnaryOperator<Secret>) s -> new SecretBuilder(s).addToData("token", "!!!").build(),
            true),
        // another tool stripping an annotation is no reason to rotate: the next write restores it
        arguments(
            "key-sha256 removed",
            (UnaryOperator<Secret>)
                s ->
                    new SecretBuilder(s)
                        .editMetadata()
                        .removeFromAnnotations(SecretAnnotations.KEY_SHA256)
                        .endMetadata()
                        .build(),
            false),
        arguments(
            "key-sha256 changed",
            (UnaryOperator<Secret>)
                s ->
                    new SecretBuilder(s)
                        .editMetadata()
                        .addToAnnotations(SecretAnnotations.KEY_SHA256, sha256("other"))
                        .endMetadata()
                        .build(),
            true),
        arguments(
            "no token recorded",
            (UnaryOperator<Secret>)
                s ->
                    new SecretBuilder(s)
                        .editMetadata()
                        .removeFromAnnotations(SecretAnnotations.TOKEN_ID)
                        .endMetadata()
                        .addToData("token", b64("x"))
                        .build(),
            false));
  }

  @Test
  void aMissingAppliedMetadataReadsTheKeyWhereTheSpecSaysAndIsNoEdit() {
    Secret stripped =
        new SecretBuilder(written())
            .editMetadata()
            .removeFromAnnotations(SecretAnnotations.APPLIED_METADATA)
            .endMetadata()
            .build();

    TokenSecretState state = TokenSecretState.of(stripped, UID, "token");
    assertThat(state.keyEdited()).isFalse();
    assertThat(state.current()).isPresent();
    assertThat(TokenSecretState.of(stripped, UID, "elsewhere").keyEdited())
        .as("no key at the spec's data key")
        .isTrue();
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource
  void keyEdited(String name, UnaryOperator<Secret> change, boolean edited) {
    TokenSecretState state = TokenSecretState.of(change.apply(written()), UID);

    assertThat(state.keyEdited()).isEqualTo(edited);
  }

  @Test
  void editedKeyStillReportsTheRecordedTokenId() {
    Secret s = new SecretBuilder(written()).removeFromData("token").build();

    TokenSecretState state = TokenSecretState.of(s, UID);

    assertThat(state.current()).isEmpty();
    assertThat(state.recordedTokenId()).hasValue("17");
    assertThat(state.recordedServiceAccountId()).hasValue("2");
  }

  @Test
  void stringDataIsReadWhenDataLacksTheKey() {
    Secret s =
        new SecretBuilder(written()).removeFromData("token").addToStringData("token", KEY).build();

    TokenSecretState state = TokenSecretState.of(s, UID);

    assertThat(state.keyEdited()).isFalse();
    assertThat(state.current()).hasValueSatisfying(t -> assertThat(t.key()).isEqualTo(KEY));
  }

  // ---- current()

  @Test
  void currentIsEmptyWithoutATokenId() {
    Secret s =
        new SecretBuilder(written())
            .editMetadata()
            .removeFromAnnotations(SecretAnnotations.TOKEN_ID)
            .endMetadata()
            .build();

    assertThat(TokenSecretState.of(s, UID).current()).isEmpty();
  }

  @Test
  void currentIsEmptyWithoutAppliedMetadataToFindTheKey() {
    Secret s =
        new SecretBuilder(written())
            .editMetadata()
            .removeFromAnnotations(SecretAnnotations.APPLIED_METADATA)
            .endMetadata()
            .build();

    TokenSecretState state = TokenSecretState.of(s, UID);

    assertThat(state.applied()).isEqualTo(AppliedMetadata.NONE);
    assertThat(state.current()).isEmpty();
    assertThat(state.keyEdited()).isTrue();
  }

  static Stream<Arguments> unparseableTimes() {
    return Stream.of(arguments("yesterday"), arguments("2026-11-22"), arguments(""));
  }

  @ParameterizedTest(name = "expires-at [{0}]")
  @MethodSource
  void unparseableTimes(String value) {
    Secret s =
        new SecretBuilder(written())
            .editMetadata()
            .addToAnnotations(SecretAnnotations.EXPIRES_AT, value)
            .addToAnnotations(SecretAnnotations.ISSUED_AT, value)
            .endMetadata()
            .build();

    assertThat(TokenSecretState.of(s, UID).current())
        .hasValueSatisfying(
            t -> {
              assertThat(t.expiresAt()).isNull();
              assertThat(t.issuedAt()).isNull();
              assertThat(t.tokenId()).isEqualTo("17");
            });
  }

  @Test
  void currentTokenToStringHidesTheKey() {
    CurrentToken t = TokenSecretState.of(written(), UID).current().orElseThrow();

    assertThat(t.toString()).doesNotContain(KEY).contains("17");
  }

  // ---- pending revocations

  static Stream<Arguments> parsePending() {
    return Stream.of(
        arguments(null, List.of()),
        arguments("", List.of()),
        arguments("  ", List.of()),
        arguments("not json", List.of()),
        arguments("{\"tokenId\":\"1\"}", List.of()),
        arguments("[]", List.of()),
        arguments(
            "[{\"tokenId\":\"16\",\"serviceAccountId\":\"2\",\"revokeAt\":\"2026-11-22T10:25:00Z\"}]",
            List.of(new PendingRevocation("16", "2", null, "2026-11-22T10:25:00Z"))),
        arguments(
            "[{\"tokenId\":\"16\",\"revokeAt\":\"2026-11-22T10:25:00Z\"}]",
            List.of(new PendingRevocation("16", null, null, "2026-11-22T10:25:00Z"))));
  }

  @ParameterizedTest(name = "[{0}]")
  @MethodSource
  void parsePending(String json, List<PendingRevocation> expected) {
    assertThat(TokenSecretState.parsePending(json)).isEqualTo(expected);
  }

  @Test
  void withoutPendingDropsOnlyThatAnnotationAndLeavesTheOriginal() {
    Secret s =
        TokenSecrets.desired(
            null,
            layout(),
            owner(),
            token(),
            List.of(new PendingRevocation("16", "2", null, "2026-11-22T10:25:00Z")),
            "r1");

    Secret stripped = TokenSecretState.withoutPending(s);

    assertThat(stripped.getMetadata().getAnnotations())
        .doesNotContainKey(SecretAnnotations.PENDING_REVOCATIONS);
    Map<String, String> expected = new java.util.HashMap<>(s.getMetadata().getAnnotations());
    expected.remove(SecretAnnotations.PENDING_REVOCATIONS);
    assertThat(stripped.getMetadata().getAnnotations()).isEqualTo(expected);
    assertThat(stripped.getData()).isEqualTo(s.getData());
    assertThat(s.getMetadata().getAnnotations()).containsKey(SecretAnnotations.PENDING_REVOCATIONS);
    assertThat(TokenSecretState.of(stripped, UID).pendingRevocations()).isEmpty();
  }

  @Test
  void withoutPendingOnASecretWithoutAnnotations() {
    Secret bare = new SecretBuilder().withNewMetadata().withName("s").endMetadata().build();

    assertThat(TokenSecretState.withoutPending(bare).getMetadata().getAnnotations())
        .isNullOrEmpty();
  }

  // ---- applied metadata

  @Test
  void appliedMetadataParsesAndIgnoresUnknownFields() {
    AppliedMetadata a =
        TokenSecretState.parseApplied(
            "{\"labels\":[\"l\"],\"annotations\":[\"a\"],\"key\":\"token\",\"urlKey\":\"url\",\"future\":1}");

    assertThat(a).isEqualTo(new AppliedMetadata(List.of("l"), List.of("a"), "token", "url"));
    assertThat(TokenSecretState.parseApplied("garbage")).isEqualTo(AppliedMetadata.NONE);
    assertThat(TokenSecretState.parseApplied(null)).isEqualTo(AppliedMetadata.NONE);
  }
}
