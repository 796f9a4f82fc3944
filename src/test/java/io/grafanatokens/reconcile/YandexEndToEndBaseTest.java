package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.fakes.yandex.AuthorizedKeyFile;
import io.grafanatokens.fakes.yandex.FakeYandexIam;
import io.grafanatokens.provider.yandex.YandexSpecs;
import io.grafanatokens.secret.Hashing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real operator against the CRUD mock API and the fake Yandex IAM (every YC_* setting points at
 * it). The operator's clock runs two days behind the system clock, on which the fake stamps Date
 * and writes expiresAt: an IAM with a skewed clock, which only L = expiresAt - Date survives. After
 * each test: no IAM token, JWT or key material in logs, Events or status.
 */
abstract class YandexEndToEndBaseTest extends LifecycleTestBase {
  static final String OPERATOR = "ajeoperator000000000";
  static final String TARGET = "ajeprometheusreader0";
  static final String KEY_SECRET = "yc-sa-key";
  static final Duration IAM_LIFETIME = Duration.ofHours(12);
  static final Pattern SECRET_SHAPES =
      Pattern.compile("t1\\.[A-Za-z0-9_-]{20,}|eyJ[A-Za-z0-9_-]{20,}|PRIVATE KEY");

  @TempDir Path dir;

  protected FakeYandexIam iam;
  protected AuthorizedKeyFile key;
  protected Path workloadTokenFile;

  @Override
  protected Map<String, String> env() {
    // called by LifecycleTestBase before the operator starts: the fake must exist by then
    clock.advance(Duration.ofDays(-2));
    iam = FakeYandexIam.builder().clock(clock).start();
    iam.addServiceAccount(OPERATOR).addServiceAccount(TARGET).grantTokenCreator(OPERATOR, TARGET);
    key = iam.createAuthorizedKey(OPERATOR);
    workloadTokenFile = dir.resolve("yc-workload-identity");
    Map<String, String> env = super.env();
    env.putAll(iam.operatorEnv(workloadTokenFile));
    env.put("AMBIENT_CREDENTIALS_NAMESPACES", NS);
    return env;
  }

  @BeforeEach
  void authorizedKeyInTheTestNamespace() {
    keySecret(NS, KEY_SECRET, key);
  }

  @AfterEach
  void noIamTokenJwtOrKeyLeaked() {
    try {
      List<String> texts = new ArrayList<>(logs.lines());
      for (String ns : List.of(NS, OTHER_NS)) {
        for (Event e : client.events().v1().events().inNamespace(ns).list().getItems()) {
          texts.add(String.valueOf(e.getNote()));
        }
        for (GrafanaServiceAccountToken r :
            client.resources(GrafanaServiceAccountToken.class).inNamespace(ns).list().getItems()) {
          texts.add(io.fabric8.kubernetes.client.utils.Serialization.asJson(r.getStatus()));
        }
      }
      List<String> minted = iam.tokensMintedFor(TARGET);
      for (String text : texts) {
        assertThat(SECRET_SHAPES.matcher(text).find()).as("key material in: " + text).isFalse();
        minted.forEach(t -> assertThat(text).doesNotContain(t));
      }
    } finally {
      iam.close();
    }
  }

  static final String OTHER_NS = "team-b";

  /** A resource minting tokens for TARGET with the authorized key in KEY_SECRET. */
  protected GrafanaServiceAccountToken yandexToken(String name) {
    return YandexSpecs.resource(NS, name, YandexSpecs.authorizedKey(TARGET, KEY_SECRET));
  }

  /**
   * Puts the authorized key's JSON into a Secret as `kubectl create secret generic --from-file`
   * would.
   */
  protected void keySecret(String namespace, String name, AuthorizedKeyFile file) {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .addToStringData("authorized-key.json", file.json())
                .build())
        .createOr(c -> c.update());
  }

  protected void namespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .createOr(c -> c.update());
  }

  /**
   * docs/reference.md#yandexcloud-specifics: "sha256:" + the first 16 hex digits of SHA-256(token),
   * computed here independently.
   */
  protected static String handleOf(String token) {
    return "sha256:" + Hashing.sha256Hex(token).substring(0, 16);
  }
}
