package io.grafanatokens.provider.yandex;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.fakes.yandex.AuthorizedKeyFile;
import io.grafanatokens.fakes.yandex.FakeYandexIam;
import io.grafanatokens.provider.IssuedToken;
import io.grafanatokens.provider.SessionPurpose;
import io.grafanatokens.reconcile.policy.SpecValidator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** deploy/examples/yandex-token.yaml is valid and mints a token as written (against the fake). */
class YandexExampleTest {
  static final Path EXAMPLE = Path.of("deploy/examples/yandex-token.yaml");

  @Test
  void theExampleIsValidAndWorks() throws Exception {
    GrafanaServiceAccountToken r =
        new ObjectMapper(new YAMLFactory())
            .readValue(EXAMPLE.toFile(), GrafanaServiceAccountToken.class);
    assertThat(SpecValidator.validate(r.getSpec())).isEmpty();
    String target = r.getSpec().getYandexCloud().getServiceAccountId();
    String secret = r.getSpec().getYandexCloud().getAuth().getAuthorizedKeySecretRef().getName();
    String dataKey = r.getSpec().getYandexCloud().getAuth().getAuthorizedKeySecretRef().getKey();

    try (FakeYandexIam iam = FakeYandexIam.start()) {
      iam.addServiceAccount("ajeoperator000000000")
          .addServiceAccount(target)
          .grantTokenCreator("ajeoperator000000000", target);
      AuthorizedKeyFile key = iam.createAuthorizedKey("ajeoperator000000000");
      YandexTokenProvider provider =
          new YandexTokenProvider(
              Duration.ofSeconds(2),
              Clock.systemUTC(),
              new YandexSettings(
                  iam.iamEndpoint(),
                  iam.tokenExchangeUrl(),
                  iam.metadataUrl(),
                  Path.of("/nonexistent")));
      assertThat(provider.usesAmbientCredentials(r.getSpec())).isFalse();
      IssuedToken t =
          provider
              .open(
                  r.getSpec(),
                  name ->
                      name.equals(secret)
                          ? Optional.of(Map.of(dataKey, key.json()))
                          : Optional.empty(),
                  SessionPurpose.ISSUE)
              .create("yc-prometheus-00000000-1", null);
      assertThat(iam.authenticates(t.key())).isTrue();
    }
  }
}
