package io.grafanatokens.provider.amg;

import static org.assertj.core.api.Assertions.assertThat;

import io.grafanatokens.provider.ProviderException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The SDK chain's one long complaint becomes a reason and a message about what to set up. */
class AmgAmbientCredentialFailureTest {
  private static final String CHAIN =
      "Unable to load credentials from any of the providers in the chain "
          + "AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider(), "
          + "WebIdentityTokenCredentialsProvider(), ContainerCredentialsProvider()]) : [SystemPropertyCredentialsProvider():"
          + " Unable to load credentials from system settings. Access key must be specified either via environment "
          + "variable (AWS_ACCESS_KEY_ID) or system property (aws.accessKeyId)., WebIdentityTokenCredentialsProvider(): %s, "
          + "ContainerCredentialsProvider(): %s]";
  private static final String WEB_IDENTITY_UNSET =
      "Either the environment variable AWS_WEB_IDENTITY_TOKEN_FILE or the javaproperty aws.webIdentityTokenFile must be set.";
  private static final String CONTAINER_UNSET =
      "Cannot fetch credentials from container - neither "
          + "AWS_CONTAINER_CREDENTIALS_FULL_URI or AWS_CONTAINER_CREDENTIALS_RELATIVE_URI environment variables are set.";

  private static ProviderException classify(String webIdentity, String container) {
    return AmbientCredentialFailure.classify(
        SdkClientException.create(String.format(CHAIN, webIdentity, container)));
  }

  @Test
  void nothingConfiguredSaysHowToSetUpAnIdentity() {
    ProviderException e = classify(WEB_IDENTITY_UNSET, CONTAINER_UNSET);
    assertThat(e.reason()).isEqualTo("CredentialsNotFound");
    assertThat(e.getMessage())
        .startsWith("the operator has no AWS identity")
        .contains("IRSA")
        .contains("Pod Identity");
  }

  @Test
  void anStsRefusalIsCredentialsRejectedWithoutTheSdkNoise() {
    ProviderException e =
        classify(
            "Not authorized to perform sts:AssumeRoleWithWebIdentity (Service: Sts, Status "
                + "Code: 403, Request ID: 80f5) (SDK Attempt Count: 1)",
            CONTAINER_UNSET);
    assertThat(e.reason()).isEqualTo("CredentialsRejected");
    assertThat(e.getMessage())
        .endsWith("Not authorized to perform sts:AssumeRoleWithWebIdentity")
        .doesNotContain("Request ID");
  }

  @Test
  void anUnreachableStsOrAgentIsCredentialsNotFoundNamingTheSource() {
    assertThat(
            classify(
                    "Received an UnknownHostException when attempting to interact with a service.",
                    CONTAINER_UNSET)
                .getMessage())
        .contains("web identity (IRSA) gave no credentials")
        .contains("UnknownHostException");
    assertThat(
            classify(WEB_IDENTITY_UNSET, "Failed to load credentials from metadata service.")
                .getMessage())
        .contains("EKS Pod Identity")
        .contains("Failed to load credentials from metadata service.");
  }

  @Test
  void anyOtherFailureKeepsItsTextAndTheHint() {
    ProviderException e =
        AmbientCredentialFailure.classify(new IllegalArgumentException("Illegal character(s)"));
    assertThat(e.reason()).isEqualTo("CredentialsNotFound");
    assertThat(e.getMessage()).contains("Illegal character(s)").contains("credentialsSecretRef");
  }
}
