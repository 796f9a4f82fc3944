package io.grafanatokens.secret;

import static io.grafanatokens.secret.SecretFixtures.EXPIRES;
import static io.grafanatokens.secret.SecretFixtures.ISSUED;
import static io.grafanatokens.secret.SecretFixtures.KEY;
import static io.grafanatokens.secret.SecretFixtures.NS;
import static io.grafanatokens.secret.SecretFixtures.OTHER_UID;
import static io.grafanatokens.secret.SecretFixtures.TARGET_HASH;
import static io.grafanatokens.secret.SecretFixtures.UID;
import static io.grafanatokens.secret.SecretFixtures.b64;
import static io.grafanatokens.secret.SecretFixtures.controllerRef;
import static io.grafanatokens.secret.SecretFixtures.layout;
import static io.grafanatokens.secret.SecretFixtures.owner;
import static io.grafanatokens.secret.SecretFixtures.plainRef;
import static io.grafanatokens.secret.SecretFixtures.sha256;
import static io.grafanatokens.secret.SecretFixtures.token;
import static io.grafanatokens.secret.SecretFixtures.unb64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.grafanatokens.api.v1alpha1.PendingRevocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** docs/reference.md#the-secret: what the operator writes, and what it leaves alone. */
class TokenSecretsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<PendingRevocation> PENDING =
      List.of(new PendingRevocation("16", "2", null, "2026-11-22T10:25:00Z"));

  private static Secret fresh() {
    return TokenSecrets.desired(null, layout(), owner(), token(), List.of(), null);
  }

  /** A Secret the operator wrote, then others added their own data and metadata to. */
  private static Secret withOthersStuff(Secret s) {
    return new SecretBuilder(s)
        .addToData("ca.crt", b64("others' data"))
        .editMetadata()
        .addToLabels("team", "a")
        .addToAnnotations("example.com/note", "keep me")
        .addToOwnerReferences(plainRef("cm-uid"))
        .withResourceVersion("42")
        .endMetadata()
        .build();
  }

  // ---- a new Secret

  @Test
  void newSecretHoldsTheKeyUnderTheLayoutKey() {
    Secret s = fresh();

    assertThat(s.getMetadata().getName()).isEqualTo("dashboards-ci");
    assertThat(s.getMetadata().getNamespace()).isEqualTo(NS);
    assertThat(s.getType()).isEqualTo("Opaque");
    assertThat(s.getData()).containsOnlyKeys("token");
    assertThat(unb64(s.getData().get("token"))).isEqualTo(KEY);
    assertThat(s.getStringData()).isNullOrEmpty();
  }

  @Test
  void newSecretCarriesTheManagedByLabelOnly() {
    assertThat(fresh().getMetadata().getLabels())
        .containsExactly(entry("app.kubernetes.io/managed-by", "grafana-token-operator"));
  }

  static Stream<Arguments> fixedAnnotations() {
    return Stream.of(
        arguments("grafanatokens.io/token-id", "17"),
        arguments("grafanatokens.io/token-name", "dashboards-ci-x7k2p9qa-4"),
        arguments("grafanatokens.io/service-account-id", "2"),
        arguments("grafanatokens.io/issued-at", "2026-11-22T10:15:00Z"),
        arguments("grafanatokens.io/expires-at", "2026-11-23T10:15:00Z"),
        arguments("grafanatokens.io/key-sha256", sha256(KEY)),
        arguments("grafanatokens.io/target-hash", TARGET_HASH),
        arguments(
            "grafanatokens.io/pending-revocations",
            "[{\"tokenId\":\"16\",\"serviceAccountId\":\"2\",\"revokeAt\":\"2026-11-22T10:25:00Z\"}]"),
        arguments("grafanatokens.io/rotate-request", "2026-11-22"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void fixedAnnotations(String annotation, String value) {
    Secret s = TokenSecrets.desired(null, layout(), owner(), token(), PENDING, "2026-11-22");

    assertThat(s.getMetadata().getAnnotations()).containsEntry(annotation, value);
  }

  @Test
  void keySha256IsTheHexSha256OfTheKey() {
    String hash = fresh().getMetadata().getAnnotations().get(SecretAnnotations.KEY_SHA256);

    assertThat(hash).isEqualTo(sha256(KEY)).hasSize(64).matches("[0-9a-f]+");
  }

  @Test
  void pendingRevocationsAreAJsonArrayOfTheThreeFields() throws Exception {
    List<PendingRevocation> two =
        List.of(
            new PendingRevocation("15", "2", null, "2026-11-22T10:20:00Z"),
            new PendingRevocation("16", "3", null, "2026-11-22T10:25:00Z"));
    Secret s = TokenSecrets.desired(null, layout(), owner(), token(), two, null);

    JsonNode json =
        JSON.readTree(s.getMetadata().getAnnotations().get(SecretAnnotations.PENDING_REVOCATIONS));
    assertThat(json.isArray()).isTrue();
    assertThat(json).hasSize(2);
    List<String> fields = new ArrayList<>();
    json.get(0).fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("tokenId", "serviceAccountId", "revokeAt");
    assertThat(json.get(1).get("tokenId").asText()).isEqualTo("16");
    assertThat(json.get(1).get("serviceAccountId").asText()).isEqualTo("3");
    assertThat(json.get(1).get("revokeAt").asText()).isEqualTo("2026-11-22T10:25:00Z");
    assertThat(
            TokenSecretState.parsePending(
                s.getMetadata().getAnnotations().get(SecretAnnotations.PENDING_REVOCATIONS)))
        .isEqualTo(two);
  }

  @Test
  void noPendingRevocationsAndNoRotateRequestMeanNoAnnotations() {
    assertThat(fresh().getMetadata().getAnnotations())
        .doesNotContainKeys(
            SecretAnnotations.PENDING_REVOCATIONS, SecretAnnotations.ROTATE_REQUEST);
    assertThat(
            TokenSecrets.desired(null, layout(), owner(), token(), null, null)
                .getMetadata()
                .getAnnotations())
        .doesNotContainKey(SecretAnnotations.PENDING_REVOCATIONS);
  }

  @Test
  void clearingPendingAndRotateRequestRemovesTheirAnnotations() {
    Secret before = TokenSecrets.desired(null, layout(), owner(), token(), PENDING, "r1");

    Secret after = TokenSecrets.desired(before, layout(), owner(), token(), List.of(), null);

    assertThat(after.getMetadata().getAnnotations())
        .doesNotContainKeys(
            SecretAnnotations.PENDING_REVOCATIONS, SecretAnnotations.ROTATE_REQUEST);
  }

  @Test
  void appliedMetadataRecordsTheLayout() throws Exception {
    Secret s =
        TokenSecrets.desired(
            null,
            layout("tok", "url", Map.of("l2", "v", "l1", "v"), Map.of("a.io/x", "1")),
            owner(),
            token(),
            List.of(),
            null);

    JsonNode json =
        JSON.readTree(s.getMetadata().getAnnotations().get(SecretAnnotations.APPLIED_METADATA));
    assertThat(json.get("labels").toString()).isEqualTo("[\"l1\",\"l2\"]");
    assertThat(json.get("annotations").toString()).isEqualTo("[\"a.io/x\"]");
    assertThat(json.get("key").asText()).isEqualTo("tok");
    assertThat(json.get("urlKey").asText()).isEqualTo("url");
  }

  @Test
  void controllerOwnerReferenceToTheResource() {
    List<OwnerReference> refs = fresh().getMetadata().getOwnerReferences();

    assertThat(refs).hasSize(1);
    OwnerReference ref = refs.get(0);
    assertThat(ref.getApiVersion()).isEqualTo("grafanatokens.io/v1alpha1");
    assertThat(ref.getKind()).isEqualTo("GrafanaServiceAccountToken");
    assertThat(ref.getName()).isEqualTo("dashboards-ci");
    assertThat(ref.getUid()).isEqualTo(UID);
    assertThat(ref.getController()).isTrue();
  }

  @Test
  void withoutAnOwnerTheExistingReferencesStay() {
    Secret existing = withOthersStuff(fresh());

    Secret s = TokenSecrets.desired(existing, layout(), null, token(), List.of(), null);

    assertThat(s.getMetadata().getOwnerReferences())
        .isEqualTo(existing.getMetadata().getOwnerReferences());
    assertThat(
            TokenSecrets.desired(null, layout(), null, token(), List.of(), null)
                .getMetadata()
                .getOwnerReferences())
        .isNullOrEmpty();
  }

  @Test
  void specLabelsAndAnnotationsAreCopied() {
    Secret s =
        TokenSecrets.desired(
            null,
            layout("token", null, Map.of("app", "x"), Map.of("example.com/a", "1")),
            owner(),
            token(),
            List.of(),
            null);

    assertThat(s.getMetadata().getLabels())
        .containsEntry("app", "x")
        .containsEntry("app.kubernetes.io/managed-by", "grafana-token-operator");
    assertThat(s.getMetadata().getAnnotations()).containsEntry("example.com/a", "1");
  }

  @Test
  void urlKeyHoldsTheBaseUrl() {
    Secret s =
        TokenSecrets.desired(
            null, layout("token", "url", Map.of(), Map.of()), owner(), token(), List.of(), null);

    assertThat(s.getData()).containsOnlyKeys("token", "url");
    assertThat(unb64(s.getData().get("url"))).isEqualTo("https://grafana.example.com");
  }

  @Test
  void emptyUrlKeyMeansNone() {
    SecretLayout l =
        new SecretLayout(
            NS, "dashboards-ci", "token", "", "https://grafana.example.com", null, null);

    assertThat(l.urlKey()).isNull();
    assertThat(TokenSecrets.desired(null, l, owner(), token(), List.of(), null).getData())
        .containsOnlyKeys("token");
  }

  // ---- an existing Secret: others' things are kept

  @Test
  void othersDataLabelsAnnotationsAndOwnerReferencesAreKept() {
    Secret existing = withOthersStuff(fresh());

    Secret s =
        TokenSecrets.desired(existing, layout(), owner(), token("18", "new-key"), List.of(), null);

    assertThat(s.getData()).containsEntry("ca.crt", b64("others' data"));
    assertThat(unb64(s.getData().get("token"))).isEqualTo("new-key");
    assertThat(s.getMetadata().getLabels()).containsEntry("team", "a");
    assertThat(s.getMetadata().getAnnotations())
        .containsEntry("example.com/note", "keep me")
        .containsEntry(SecretAnnotations.TOKEN_ID, "18")
        .containsEntry(SecretAnnotations.KEY_SHA256, sha256("new-key"));
    assertThat(s.getMetadata().getOwnerReferences())
        .extracting(OwnerReference::getUid)
        .containsExactlyInAnyOrder("cm-uid", UID);
    assertThat(s.getMetadata().getResourceVersion()).isEqualTo("42");
  }

  @Test
  void theOwnReferenceIsNotDuplicated() {
    Secret existing = fresh();

    Secret s = TokenSecrets.desired(existing, layout(), owner(), token(), List.of(), null);

    assertThat(s.getMetadata().getOwnerReferences())
        .extracting(OwnerReference::getUid)
        .containsExactly(UID);
  }

  @Test
  void desiredDoesNotModifyTheExistingSecret() {
    Secret existing =
        withOthersStuff(
            TokenSecrets.desired(
                null,
                layout("token", "url", Map.of("l", "1"), Map.of("a.io/a", "1")),
                owner(),
                token(),
                PENDING,
                "r1"));
    Secret copy = new SecretBuilder(existing).build();

    TokenSecrets.desired(
        existing,
        layout("other", null, Map.of(), Map.of()),
        owner(),
        token("18", "k2"),
        List.of(),
        null);

    assertThat(existing).isEqualTo(copy);
  }

  @Test
  void adoptingAnUnmanagedLookingSecretAddsTheManagedByLabel() {
    Secret existing =
        new SecretBuilder()
            .withNewMetadata()
            .withName("dashboards-ci")
            .withNamespace(NS)
            .addToLabels("team", "a")
            .endMetadata()
            .addToData("other", b64("x"))
            .build();

    Secret s = TokenSecrets.desired(existing, layout(), owner(), token(), List.of(), null);

    assertThat(s.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "grafana-token-operator")
        .containsEntry("team", "a");
    assertThat(s.getData()).containsKeys("token", "other");
  }

  // ---- layout changes

  static Stream<Arguments> layoutChanges() {
    return Stream.of(
        // name, before, after, data keys expected after (besides others' "ca.crt")
        arguments(
            "key moves",
            layout("token", null, Map.of(), Map.of()),
            layout("api-key", null, Map.of(), Map.of()),
            List.of("api-key")),
        arguments(
            "urlKey added",
            layout("token", null, Map.of(), Map.of()),
            layout("token", "url", Map.of(), Map.of()),
            List.of("token", "url")),
        arguments(
            "urlKey removed",
            layout("token", "url", Map.of(), Map.of()),
            layout("token", null, Map.of(), Map.of()),
            List.of("token")),
        arguments(
            "urlKey renamed",
            layout("token", "url", Map.of(), Map.of()),
            layout("token", "grafana-url", Map.of(), Map.of()),
            List.of("token", "grafana-url")),
        arguments(
            "key and urlKey swap",
            layout("token", "url", Map.of(), Map.of()),
            layout("url", "token", Map.of(), Map.of()),
            List.of("token", "url")),
        arguments(
            "key takes the old urlKey",
            layout("token", "url", Map.of(), Map.of()),
            layout("url", null, Map.of(), Map.of()),
            List.of("url")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void layoutChanges(String name, SecretLayout before, SecretLayout after, List<String> ourKeys) {
    Secret existing =
        withOthersStuff(TokenSecrets.desired(null, before, owner(), token(), List.of(), null));

    Secret s = TokenSecrets.desired(existing, after, owner(), token(), List.of(), null);

    List<String> expected = new ArrayList<>(ourKeys);
    expected.add("ca.crt");
    assertThat(s.getData()).containsOnlyKeys(expected);
    assertThat(unb64(s.getData().get(after.key()))).isEqualTo(KEY);
    if (after.urlKey() != null) {
      assertThat(unb64(s.getData().get(after.urlKey()))).isEqualTo("https://grafana.example.com");
    }
    assertThat(s.getData()).containsEntry("ca.crt", b64("others' data"));
  }

  @Test
  void keyMoveReadsBackFromTheNewKey() {
    Secret before = TokenSecrets.desired(null, layout(), owner(), token(), List.of(), null);
    Secret after =
        TokenSecrets.desired(
            before, layout("api-key", null, Map.of(), Map.of()), owner(), token(), List.of(), null);

    TokenSecretState state = TokenSecretState.of(after, UID);

    assertThat(state.applied().key()).isEqualTo("api-key");
    assertThat(state.current()).hasValueSatisfying(t -> assertThat(t.key()).isEqualTo(KEY));
    assertThat(state.keyEdited()).isFalse();
  }

  @Test
  void removedSpecLabelsAndAnnotationsAreRemovedOthersStay() {
    Secret before =
        withOthersStuff(
            TokenSecrets.desired(
                null,
                layout(
                    "token",
                    null,
                    Map.of("keep", "1", "drop", "1"),
                    Map.of("a.io/keep", "1", "a.io/drop", "1")),
                owner(),
                token(),
                List.of(),
                null));

    Secret after =
        TokenSecrets.desired(
            before,
            layout("token", null, Map.of("keep", "2"), Map.of("a.io/keep", "2")),
            owner(),
            token(),
            List.of(),
            null);

    assertThat(after.getMetadata().getLabels())
        .containsEntry("keep", "2")
        .containsEntry("team", "a")
        .containsEntry("app.kubernetes.io/managed-by", "grafana-token-operator")
        .doesNotContainKey("drop");
    assertThat(after.getMetadata().getAnnotations())
        .containsEntry("a.io/keep", "2")
        .containsEntry("example.com/note", "keep me")
        .doesNotContainKey("a.io/drop");
  }

  @Test
  void labelsNeverAppliedAreNotRemoved() {
    // others' label "team" was never in spec.secret.labels: a layout without it leaves it alone
    Secret before = withOthersStuff(fresh());

    Secret after = TokenSecrets.desired(before, layout(), owner(), token(), List.of(), null);

    assertThat(after.getMetadata().getLabels()).containsEntry("team", "a");
    assertThat(after.getMetadata().getAnnotations()).containsEntry("example.com/note", "keep me");
  }

  @Test
  void optionalTokenFieldsThatAreNullRemoveTheirAnnotations() {
    Secret before = fresh();
    CurrentToken bare = new CurrentToken("18", null, null, null, null, "k2", null, null);

    Secret s = TokenSecrets.desired(before, layout(), owner(), bare, List.of(), null);

    assertThat(s.getMetadata().getAnnotations())
        .containsEntry(SecretAnnotations.TOKEN_ID, "18")
        .containsEntry(SecretAnnotations.KEY_SHA256, sha256("k2"))
        .doesNotContainKeys(
            SecretAnnotations.TOKEN_NAME,
            SecretAnnotations.SERVICE_ACCOUNT_ID,
            SecretAnnotations.ISSUED_AT,
            SecretAnnotations.EXPIRES_AT,
            SecretAnnotations.TARGET_HASH);
  }

  // ---- sameContent

  static Stream<Arguments> sameContent() {
    return Stream.<Arguments>of(
        arguments("identical rewrite", (UnaryOperator<Secret>) s -> s, true),
        arguments(
            "resourceVersion only",
            (UnaryOperator<Secret>)
                s ->
                    new SecretBuilder(s)
                        .editMetadata()
                        .withResourceVersion("99")
                        .endMetadata()
                        .build(),
            true),
        arguments(
            "data differs",
            (UnaryOperator<Secret>) s -> new SecretBuilder(s).addToData("token", b64("x")).build(),
            false),
        arguments(
            "others' label added (kept)",
            (UnaryOperator<Secret>)
                s ->
                    new SecretBuilder(s).editMetadata().addToLabels("x", "y").endMetadata().build(),
            true),
        arguments(
            "spec label edited",
            (UnaryOperator<Secret>)
                s ->
                    new SecretBuilder(s)
                        .editMetadata()
                        .addToLabels("app", "edited")
                        .endMetadata()
                        .build(),
            false),
        arguments(
            "managed-by label removed",
            (UnaryOperator<Secret>)
                s ->
                    new SecretBuilder(s)
                        .editMetadata()
                        .removeFromLabels("app.kubernetes.io/managed-by")
                        .endMetadata()
                        .build(),
            false),
        arguments(
            "spec annotation removed",
            (UnaryOperator<Secret>)
                s ->
                    new SecretBuilder(s)
                        .editMetadata()
                        .removeFromAnnotations("example.com/a")
                        .endMetadata()
                        .build(),
            false),
        arguments(
            "pending revocations dropped",
            (UnaryOperator<Secret>) s -> TokenSecretState.withoutPending(s),
            false),
        arguments(
            "annotation differs",
            (UnaryOperator<Secret>)
                s ->
                    new SecretBuilder(s)
                        .editMetadata()
                        .addToAnnotations(SecretAnnotations.EXPIRES_AT, "2030-01-01T00:00:00Z")
                        .endMetadata()
                        .build(),
            false),
        arguments(
            "owner reference differs",
            (UnaryOperator<Secret>)
                s ->
                    new SecretBuilder(s)
                        .editMetadata()
                        .withOwnerReferences(controllerRef(OTHER_UID))
                        .endMetadata()
                        .build(),
            false),
        arguments(
            "owner reference missing",
            (UnaryOperator<Secret>)
                s ->
                    new SecretBuilder(s).editMetadata().withOwnerReferences().endMetadata().build(),
            false));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource
  void sameContent(String name, UnaryOperator<Secret> change, boolean same) {
    SecretLayout l = layout("token", null, Map.of("app", "x"), Map.of("example.com/a", "1"));
    Secret existing = change.apply(TokenSecrets.desired(null, l, owner(), token(), PENDING, "r1"));

    Secret desired = TokenSecrets.desired(existing, l, owner(), token(), PENDING, "r1");

    assertThat(TokenSecrets.sameContent(existing, desired)).isEqualTo(same);
  }

  @Test
  void sameContentIsFalseWithoutAnExistingSecret() {
    assertThat(TokenSecrets.sameContent(null, fresh())).isFalse();
  }

  @Test
  void rewritingWithTheSameInputsIsIdempotent() {
    SecretLayout l = layout("token", "url", Map.of("a", "1"), Map.of("a.io/a", "1"));
    Secret once =
        TokenSecrets.desired(withOthersStuff(fresh()), l, owner(), token(), PENDING, "r1");

    Secret twice = TokenSecrets.desired(once, l, owner(), token(), PENDING, "r1");

    assertThat(TokenSecrets.sameContent(once, twice)).isTrue();
  }

  // ---- released

  @Test
  void releasedDropsOnlyThisOwnersReference() {
    Secret existing =
        new SecretBuilder(fresh())
            .editMetadata()
            .addToOwnerReferences(plainRef("cm-uid"))
            .addToOwnerReferences(plainRef(OTHER_UID))
            .endMetadata()
            .build();

    Secret released = TokenSecrets.released(existing, UID);

    assertThat(released.getMetadata().getOwnerReferences())
        .extracting(OwnerReference::getUid)
        .containsExactly("cm-uid", OTHER_UID);
    assertThat(released.getData()).isEqualTo(existing.getData());
    assertThat(released.getMetadata().getAnnotations())
        .isEqualTo(existing.getMetadata().getAnnotations());
    assertThat(released.getMetadata().getLabels()).isEqualTo(existing.getMetadata().getLabels());
    assertThat(existing.getMetadata().getOwnerReferences())
        .extracting(OwnerReference::getUid)
        .contains(UID);
  }

  @Test
  void releasedSecretIsAdoptable() {
    Secret released = TokenSecrets.released(fresh(), UID);

    assertThat(released.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(TokenSecretState.of(released, UID).ownership())
        .isEqualTo(TokenSecretState.Ownership.ADOPTABLE);
    assertThat(TokenSecretState.of(released, OTHER_UID).ownership())
        .isEqualTo(TokenSecretState.Ownership.ADOPTABLE);
  }

  @Test
  void releasedWithoutReferencesIsFine() {
    Secret bare = new SecretBuilder().withNewMetadata().withName("s").endMetadata().build();

    assertThat(TokenSecrets.released(bare, UID).getMetadata().getOwnerReferences()).isEmpty();
  }

  // ---- round trip through TokenSecretState

  @Test
  void desiredThenStateRoundTripsTheToken() {
    Secret s = TokenSecrets.desired(null, layout(), owner(), token(), PENDING, "r1");

    TokenSecretState state = TokenSecretState.of(s, UID);

    assertThat(state.ownership()).isEqualTo(TokenSecretState.Ownership.OWNED);
    assertThat(state.current())
        .hasValueSatisfying(
            t -> {
              assertThat(t.tokenId()).isEqualTo("17");
              assertThat(t.tokenName()).isEqualTo("dashboards-ci-x7k2p9qa-4");
              assertThat(t.serviceAccountId()).isEqualTo("2");
              assertThat(t.issuedAt()).isEqualTo(ISSUED);
              assertThat(t.expiresAt()).isEqualTo(EXPIRES);
              assertThat(t.key()).isEqualTo(KEY);
              assertThat(t.targetHash()).isEqualTo(TARGET_HASH);
            });
    assertThat(state.keyEdited()).isFalse();
    assertThat(state.pendingRevocations()).isEqualTo(PENDING);
    assertThat(state.rotateRequest()).hasValue("r1");
    assertThat(state.recordedTokenId()).hasValue("17");
    assertThat(state.recordedServiceAccountId()).hasValue("2");
    assertThat(state.recordedTokenName()).hasValue("dashboards-ci-x7k2p9qa-4");
  }
}
