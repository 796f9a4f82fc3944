package io.grafanatokens.provider.yandex;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.TransientProviderException;
import io.grafanatokens.provider.yandex.YandexErrors.ErrorClass;
import io.grafanatokens.testing.LogCapture;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/** docs/provider-apis.md#yandex-errors: HTTP status first, then the google.rpc.Status code. */
class YandexErrorsTest {

  @ParameterizedTest(name = "{0} / code {1} -> {2}")
  @CsvSource(
      nullValues = "-",
      value = {
        "400, 3, INVALID_ARGUMENT",
        "400, 9, INVALID_ARGUMENT",
        "400, 11, INVALID_ARGUMENT",
        "401, 16, UNAUTHENTICATED",
        "403, 7, PERMISSION_DENIED",
        "404, 5, NOT_FOUND",
        "429, 8, RATE_LIMITED",
        "500, 2, RETRYABLE",
        "500, 13, RETRYABLE",
        "500, 15, RETRYABLE",
        "503, 14, RETRYABLE",
        "504, 4, RETRYABLE",
        "409, 10, RETRYABLE",
        "409, 6, OTHER",
        "501, 12, OTHER",
        "499, 1, OTHER",
        "302, -, REDIRECT",
        "418, 7, PERMISSION_DENIED",
        "418, -, OTHER",
        "502, -, RETRYABLE"
      })
  void classifies(int http, Integer code, ErrorClass expected) {
    assertThat(YandexErrors.classify(http, code)).isEqualTo(expected);
  }

  @Test
  void mapsEachClassOfCreateForServiceAccountToItsReason() {
    assertThat(create(403, 7, "Permission denied"))
        .isInstanceOf(PermanentProviderException.class)
        .extracting(ProviderException::reason)
        .isEqualTo(Reasons.PERMISSION_DENIED);
    assertThat(create(404, 5, "not found").reason()).isEqualTo(Reasons.SERVICE_ACCOUNT_NOT_FOUND);
    assertThat(create(401, 16, "bad token").reason()).isEqualTo(Reasons.CREDENTIALS_REJECTED);
    assertThat(create(400, 3, "Illegal argument").reason()).isEqualTo(Reasons.PROVIDER_REJECTED);
    assertThat(create(429, 8, "quota"))
        .isInstanceOf(TransientProviderException.class)
        .extracting(ProviderException::reason)
        .isEqualTo(Reasons.RATE_LIMITED);
    for (int[] c : new int[][] {{500, 2}, {500, 13}, {503, 14}, {504, 4}, {409, 10}}) {
      assertThat(create(c[0], c[1], "x"))
          .as(c[0] + "/" + c[1])
          .isInstanceOf(TransientProviderException.class)
          .extracting(ProviderException::reason)
          .isEqualTo(Reasons.PROVIDER_ERROR);
    }
  }

  @Test
  void aNonYandexPageIsDescribedNotQuoted() {
    ProviderException e =
        YandexErrors.forIamCall(
            "mint",
            new YandexHttp.Response(
                502, "<html>bad gateway</html>", Optional.empty(), Optional.empty()),
            "t",
            "me");
    assertThat(e.getMessage())
        .contains("502: (an HTML page, not a Yandex API: check the endpoint)");
  }

  @Test
  void logsTheRequestIdAtDebug() {
    Logger logger = (Logger) LoggerFactory.getLogger(YandexErrors.class);
    Level before = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    try (LogCapture logs = LogCapture.install()) {
      create(403, 7, "Permission denied");
      assertThat(logs.lines()).anyMatch(l -> l.contains("request id(s) [req-42]"));
    } finally {
      logger.setLevel(before);
    }
  }

  private static ProviderException create(int http, int code, String message) {
    String body =
        "{\"code\":"
            + code
            + ",\"message\":\""
            + message
            + "\",\"details\":[{\"@type\":"
            + "\"type.googleapis.com/google.rpc.RequestInfo\",\"requestId\":\"req-42\"}]}";
    return YandexErrors.forIamCall(
        "mint an IAM token for service account t",
        new YandexHttp.Response(http, body, Optional.empty(), Optional.of("3")),
        "t",
        "service account me");
  }
}
