package io.grafanatokens.provider.amg;

import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * The SDK knobs that production fixes and tests replace: the retry strategy of list and delete
 * calls (creates never retry), and where the operator's own AWS identity comes from.
 *
 * @param callRetries a supplier because a strategy holds per-client state
 * @param ambientCredentials called once, at the first resource that uses ambient credentials
 */
record AmgSdkSettings(
    Supplier<RetryStrategy> callRetries, Supplier<AwsCredentialsProvider> ambientCredentials) {

  /**
   * The default credentials chain (IRSA web identity, EKS Pod Identity, environment, ...) and
   * quick-blip retries.
   */
  static AmgSdkSettings production() {
    // builder().build(), not create(): create() is a JVM-wide singleton
    return new AmgSdkSettings(
        AmgRetryPolicy::forCalls, () -> DefaultCredentialsProvider.builder().build());
  }

  AmgSdkSettings withCallRetries(Supplier<RetryStrategy> retries) {
    return new AmgSdkSettings(retries, ambientCredentials);
  }

  AmgSdkSettings withAmbientCredentials(Supplier<AwsCredentialsProvider> credentials) {
    return new AmgSdkSettings(callRetries, credentials);
  }
}
