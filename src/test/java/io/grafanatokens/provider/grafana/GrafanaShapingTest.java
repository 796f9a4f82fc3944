package io.grafanatokens.provider.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grafanatokens.api.v1alpha1.GrafanaProvider;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.api.v1alpha1.ServiceAccountRef;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GrafanaShapingTest {
  private final GrafanaTokenProvider provider =
      new GrafanaTokenProvider(Duration.ofSeconds(1), Clock.systemUTC());

  @ParameterizedTest
  @CsvSource({
    "https://g.example.com, https://g.example.com",
    "HTTPS://G.Example.COM:443/grafana/, https://g.example.com/grafana",
    "http://grafana:80//, http://grafana",
    "http://grafana:3000/, http://grafana:3000",
    "https://g.example.com:80/Sub/Path, https://g.example.com:80/Sub/Path",
    "http://[::1]:3000/g, http://[::1]:3000/g",
  })
  void normalisesUrls(String url, String expected) {
    assertThat(GrafanaUrls.normalise(url)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "ftp://g.example.com",
    "https://user:pw@g.example.com",
    "https://g.example.com/?a=b",
    "https://g.example.com/#x",
    "g.example.com",
    "https:///path"
  })
  void rejectsUrlsTheSpecForbids(String url) {
    assertThatThrownBy(() -> GrafanaUrls.normalise(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("pw");
  }

  @Test
  void shapingFieldsAreCanonical() {
    assertThat(provider.shapingFields(spec("https://G.example.com/grafana/", null, 2L, null)))
        .isEqualTo("url=https://g.example.com/grafana\norgId=1\nserviceAccount=id:2");
    assertThat(
            provider.shapingFields(spec("https://g.example.com:443/grafana", 3L, null, "ci-bot")))
        .isEqualTo("url=https://g.example.com/grafana\norgId=3\nserviceAccount=name:ci-bot");
    assertThat(provider.baseUrl(spec("https://G.example.com/grafana/", null, 2L, null)))
        .hasValue("https://g.example.com/grafana");
  }

  @Test
  void credentialsNeverPrintTheirSecret() throws Exception {
    var ref = new io.grafanatokens.api.v1alpha1.CredentialsSecretRef();
    ref.setName("admin");
    GrafanaCredentials basic =
        GrafanaCredentials.from(ref, Map.of("username", "u", "password", "p4ss\n"));
    assertThat(basic.isBearer()).isFalse();
    assertThat(basic.toString())
        .contains("admin")
        .doesNotContain("p4ss")
        .doesNotContain(basic.authorizationHeader());
    assertThat(basic.authorizationHeader()).isEqualTo("Basic dTpwNHNz");
  }

  private static GrafanaServiceAccountTokenSpec spec(
      String url, Long orgId, Long saId, String saName) {
    ServiceAccountRef account = new ServiceAccountRef();
    account.setId(saId);
    account.setName(saName);
    GrafanaProvider grafana = new GrafanaProvider();
    grafana.setUrl(url);
    grafana.setOrgId(orgId);
    grafana.setServiceAccount(account);
    GrafanaServiceAccountTokenSpec spec = new GrafanaServiceAccountTokenSpec();
    spec.setGrafana(grafana);
    return spec;
  }
}
