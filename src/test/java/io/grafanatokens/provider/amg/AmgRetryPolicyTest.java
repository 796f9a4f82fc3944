package io.grafanatokens.provider.amg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.grafana.model.GrafanaException;
import software.amazon.awssdk.services.grafana.model.InternalServerException;
import software.amazon.awssdk.services.grafana.model.ThrottlingException;

/** Which failures the SDK may retry inside one list or delete call: quick blips only. */
class AmgRetryPolicyTest {

  private static <T extends GrafanaException.Builder> T withStatus(
      T b, int status, String retryAfter) {
    SdkHttpResponse.Builder http = SdkHttpResponse.builder().statusCode(status);
    if (retryAfter != null) {
      http.putHeader("Retry-After", retryAfter);
    }
    b.statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().sdkHttpResponse(http.build()).build());
    return b;
  }

  @Test
  void retriesDroppedConnectionsAnd5xxWithoutAnAdvisedWait() {
    assertThat(
            AmgRetryPolicy.isQuickBlip(
                SdkClientException.create("x", new ConnectException("refused"))))
        .isTrue();
    assertThat(AmgRetryPolicy.isQuickBlip(SdkClientException.create("x", new IOException("EOF"))))
        .isTrue();
    assertThat(
            AmgRetryPolicy.isQuickBlip(
                withStatus(InternalServerException.builder(), 500, null).build()))
        .isTrue();
    assertThat(
            AmgRetryPolicy.isQuickBlip(withStatus(GrafanaException.builder(), 503, null).build()))
        .isTrue();
  }

  @Test
  void leavesTimeoutsThrottlingAdvisedWaitsAndClientErrorsToTheReconciler() {
    assertThat(
            AmgRetryPolicy.isQuickBlip(
                SdkClientException.create("x", new SocketTimeoutException("read"))))
        .isFalse();
    assertThat(
            AmgRetryPolicy.isQuickBlip(
                withStatus(ThrottlingException.builder(), 429, null).build()))
        .isFalse();
    assertThat(
            AmgRetryPolicy.isQuickBlip(
                withStatus(InternalServerException.builder(), 500, "5").build()))
        .isFalse();
    assertThat(
            AmgRetryPolicy.isQuickBlip(withStatus(GrafanaException.builder(), 409, null).build()))
        .isFalse();
    assertThat(AmgRetryPolicy.isQuickBlip(SdkClientException.create("Unable to load credentials")))
        .isFalse();
  }

  @Test
  void createsAreNeverRetried() {
    assertThat(AmgRetryPolicy.forCreates().maxAttempts()).isEqualTo(1);
    assertThat(AmgRetryPolicy.forCalls().maxAttempts()).isEqualTo(2);
  }
}
