package io.grafanatokens.provider.amg;

import io.grafanatokens.api.v1alpha1.AmazonManagedGrafanaProvider;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.provider.ProviderCapabilities;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.ProviderKind;
import io.grafanatokens.provider.SecretLookup;
import io.grafanatokens.provider.SessionPurpose;
import io.grafanatokens.provider.TokenProvider;
import io.grafanatokens.provider.TokenSession;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The amazonManagedGrafana provider: workspace service-account tokens through the AWS API
 * (CreateWorkspaceServiceAccountToken, ListWorkspaceServiceAccountTokens,
 * DeleteWorkspaceServiceAccountToken), with static keys from a Secret or the operator's own
 * identity.
 */
public final class AmgTokenProvider implements TokenProvider, AutoCloseable {
  private final Clock clock;
  private final Optional<String> ambientEndpoint;
  private final AmgSdkSettings settings;
  private final AmgClients clients;
  private volatile AwsCredentialsProvider ambient;

  /**
   * @param requestTimeout bounds every attempt of every call (connect, read, and the whole attempt)
   * @param ambientEndpoint the operator's AWS_ENDPOINT_URL_GRAFANA: the only endpoint ambient
   *     credentials are sent to
   */
  public AmgTokenProvider(Duration requestTimeout, Clock clock, Optional<String> ambientEndpoint) {
    this(requestTimeout, clock, ambientEndpoint, AmgSdkSettings.production());
  }

  /** Tests replace the SDK's retry pauses and the source of ambient credentials. */
  AmgTokenProvider(
      Duration requestTimeout,
      Clock clock,
      Optional<String> ambientEndpoint,
      AmgSdkSettings settings) {
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive");
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ambientEndpoint = Objects.requireNonNull(ambientEndpoint, "ambientEndpoint");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clients = new AmgClients(requestTimeout, settings.callRetries());
  }

  @Override
  public ProviderKind kind() {
    return ProviderKind.AMAZON_MANAGED_GRAFANA;
  }

  @Override
  public ProviderCapabilities capabilities() {
    return ProviderCapabilities.LISTED_TOKENS;
  }

  @Override
  public String shapingFields(GrafanaServiceAccountTokenSpec spec) {
    AmazonManagedGrafanaProvider amg = block(spec);
    return "workspaceId="
        + strip(amg.getWorkspaceId())
        + "\nregion="
        + strip(amg.getRegion())
        + "\nserviceAccountId="
        + strip(amg.getServiceAccountId());
  }

  @Override
  public String locationFields(GrafanaServiceAccountTokenSpec spec) {
    AmazonManagedGrafanaProvider amg = block(spec);
    return "workspaceId=" + strip(amg.getWorkspaceId()) + "\nregion=" + strip(amg.getRegion());
  }

  /**
   * docs/reference.md#secret-data-keys: the workspace's Grafana URL as AMG names it (inferred,
   * documented as such).
   */
  @Override
  public Optional<String> baseUrl(GrafanaServiceAccountTokenSpec spec) {
    AmazonManagedGrafanaProvider amg = block(spec);
    return Optional.of(
        "https://"
            + strip(amg.getWorkspaceId())
            + ".grafana-workspace."
            + strip(amg.getRegion())
            + ".amazonaws.com");
  }

  @Override
  public boolean usesAmbientCredentials(GrafanaServiceAccountTokenSpec spec) {
    return block(spec).getCredentialsSecretRef() == null;
  }

  @Override
  public TokenSession open(
      GrafanaServiceAccountTokenSpec spec, SecretLookup secrets, SessionPurpose purpose)
      throws ProviderException {
    AmazonManagedGrafanaProvider amg = block(spec);
    String region = AmgEndpoint.region(amg.getRegion());
    boolean useAmbient = usesAmbientCredentials(spec);
    AmgCredentials credentials =
        useAmbient
            ? ambientCredentials()
            : AmgCredentials.fromSecret(amg.getCredentialsSecretRef(), secrets);
    Optional<URI> endpoint = AmgEndpoint.choose(amg.getEndpoint(), useAmbient, ambientEndpoint);
    boolean specEndpoint = amg.getEndpoint() != null && !amg.getEndpoint().isBlank();
    List<String> warnings = new ArrayList<>();
    if (useAmbient && specEndpoint) {
      warnings.add(
          "spec.amazonManagedGrafana.endpoint is ignored without credentialsSecretRef: the operator's own "
              + "AWS identity is only sent to its AWS_ENDPOINT_URL_GRAFANA or the regional endpoint");
    }
    if (!useAmbient
        && specEndpoint
        && endpoint.map(u -> "http".equalsIgnoreCase(u.getScheme())).orElse(false)) {
      warnings.add(
          "spec.amazonManagedGrafana.endpoint uses http://: new keys cross the network in clear");
    }
    AmgClients.Pair pair =
        clients.forTarget(region, endpoint, credentials.identity(), credentials.provider());
    AmgCall call =
        new AmgCall(
            AmgCall.Operation.LIST,
            region,
            strip(amg.getWorkspaceId()),
            strip(amg.getServiceAccountId()),
            credentials.secretName(),
            credentials.accessKeyId());
    return new AmgSession(pair, call, clock, warnings);
  }

  /** No AMG call needs no service account: the credentials resolving is the whole check. */
  @Override
  public void probe(GrafanaServiceAccountTokenSpec connection, SecretLookup secrets)
      throws ProviderException {
    AmazonManagedGrafanaProvider amg = block(connection);
    AmgEndpoint.region(amg.getRegion());
    if (usesAmbientCredentials(connection)) {
      ambientCredentials();
    } else {
      AmgCredentials.fromSecret(amg.getCredentialsSecretRef(), secrets);
    }
  }

  /**
   * The operator's identity, resolved now so that a missing or refused one is named before any
   * call.
   */
  private AmgCredentials ambientCredentials() throws ProviderException {
    AwsCredentialsProvider provider = ambientProvider();
    try {
      // cached by the chain's providers; STS or the Pod Identity agent is asked only near expiry
      provider.resolveCredentials();
    } catch (RuntimeException e) {
      throw AmbientCredentialFailure.classify(e);
    }
    return AmgCredentials.ambient(provider);
  }

  private AwsCredentialsProvider ambientProvider() {
    AwsCredentialsProvider p = ambient;
    if (p == null) {
      synchronized (this) {
        if (ambient == null) {
          ambient = settings.ambientCredentials().get();
        }
        p = ambient;
      }
    }
    return p;
  }

  /** Closes the cached clients, the shared HTTP client and the ambient credentials provider. */
  @Override
  public void close() {
    clients.close();
    AwsCredentialsProvider p = ambient;
    if (p instanceof SdkAutoCloseable) {
      ((SdkAutoCloseable) p).close();
    }
  }

  private static String strip(String value) {
    return value == null ? "" : value.strip();
  }

  private static AmazonManagedGrafanaProvider block(GrafanaServiceAccountTokenSpec spec) {
    if (spec == null || spec.getAmazonManagedGrafana() == null) {
      throw new IllegalArgumentException(
          "spec.amazonManagedGrafana is required for the amazonManagedGrafana provider");
    }
    return spec.getAmazonManagedGrafana();
  }
}
