package io.grafanatokens.provider.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.provider.NameConflictException;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.TransientProviderException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GrafanaErrorsTest {
  private static final Instant NOW = Instant.parse("2026-03-10T10:00:00Z");

  @Test
  void only404sThatNameTheTokenOrAccountCountAsGone() {
    assertThat(
            GrafanaErrors.isGone(
                404,
                "{\"message\":\"service account token not found\","
                    + "\"messageId\":\"serviceaccounts.ErrTokenNotFound\",\"statusCode\":404,\"traceID\":\"\"}"))
        .isTrue();
    assertThat(
            GrafanaErrors.isGone(
                404,
                "{\"message\":\"service account not found\","
                    + "\"messageId\":\"serviceaccounts.ErrNotFound\",\"statusCode\":404,\"traceID\":\"\"}"))
        .isTrue();
    assertThat(GrafanaErrors.isGone(404, "{\"message\":\"Failed to delete API key\"}")).isTrue();
    // The router's unknown-path answer and a proxy's page point at a wrong URL, not a gone token.
    assertThat(GrafanaErrors.isGone(404, "{\"message\":\"Not found\"}")).isFalse();
    assertThat(GrafanaErrors.isGone(404, "<html>404</html>")).isFalse();
    assertThat(GrafanaErrors.isGone(500, "{\"message\":\"x\"}")).isFalse();
  }

  @Test
  void classifiesByStatusAndMessageId() {
    assertThat(
            map(400, "{\"message\":\"x\",\"messageId\":\"serviceaccounts.ErrTokenAlreadyExists\"}"))
        .isInstanceOf(NameConflictException.class);
    assertThat(map(409, "{\"message\":\"x\"}")).isInstanceOf(NameConflictException.class);
    assertThat(map(400, "{\"message\":\"Bad request data\",\"traceID\":\"\"}").reason())
        .isEqualTo(Reasons.PROVIDER_REJECTED);
    assertThat(
            map(401, "{\"message\":\"echo of input\",\"messageId\":\"password-auth.failed\"}")
                .getMessage())
        .contains("creds")
        .contains("password-auth.failed")
        .doesNotContain("echo");
    assertThat(map(403, "{\"message\":\"Permissions needed: serviceaccounts:write\"}").getMessage())
        .contains("serviceaccounts:write");
    assertThat(map(502, "<html><body>Bad gateway</body></html>"))
        .isInstanceOf(TransientProviderException.class)
        .hasMessageContaining("HTML");
    assertThat(map(302, "").reason()).isEqualTo(Reasons.PROVIDER_REJECTED);
  }

  @Test
  void retryAfterAcceptsSecondsAndHttpDates() {
    assertThat(GrafanaErrors.parseRetryAfter("30", NOW)).hasValue(Duration.ofSeconds(30));
    assertThat(GrafanaErrors.parseRetryAfter("Tue, 10 Mar 2026 10:01:00 GMT", NOW))
        .hasValue(Duration.ofMinutes(1));
    assertThat(GrafanaErrors.parseRetryAfter("soon", NOW)).isEmpty();
    assertThat(
            GrafanaErrors.forStatus("list", 429, "", Optional.of("12"), "creds", NOW).retryAfter())
        .hasValue(Duration.ofSeconds(12));
  }

  private static ProviderException map(int status, String body) {
    return GrafanaErrors.forStatus("do something", status, body, Optional.empty(), "creds", NOW);
  }
}
