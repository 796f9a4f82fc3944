package io.grafanatokens.provider.yandex;

import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.api.v1alpha1.SecretKeyRef;
import io.grafanatokens.api.v1alpha1.YandexAuth;
import io.grafanatokens.api.v1alpha1.YandexCloudProvider;
import io.grafanatokens.provider.PermanentProviderException;
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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The yandexCloud provider: short-lived IAM tokens minted with tokens:createForServiceAccount for a
 * service account, as the operator's own identity from one of spec.yandexCloud.auth's options.
 */
public final class YandexTokenProvider implements TokenProvider {
  /**
   * Data key of the authorized key in its Secret when
   * spec.yandexCloud.auth.authorizedKeySecretRef.key is unset.
   */
  public static final String DEFAULT_KEY_DATA_KEY = "authorized-key.json";

  private final Clock clock;
  private final YandexSettings settings;
  private final YandexHttp http;
  private final OperatorTokenCache operatorTokens;
  private final IssuedTokenValues issued = new IssuedTokenValues();

  /** A provider whose every call (connect and whole request) is bounded by requestTimeout. */
  public YandexTokenProvider(Duration requestTimeout, Clock clock, YandexSettings settings) {
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive");
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.http = new YandexHttp(requestTimeout);
    this.operatorTokens = new OperatorTokenCache(clock);
  }

  @Override
  public ProviderKind kind() {
    return ProviderKind.YANDEX_CLOUD;
  }

  /** IAM cannot list tokens, and its tokens have no id (the handle is derived from the value). */
  @Override
  public ProviderCapabilities capabilities() {
    return ProviderCapabilities.UNLISTED_VALUES;
  }

  @Override
  public String shapingFields(GrafanaServiceAccountTokenSpec spec) {
    return "serviceAccountId=" + block(spec).getServiceAccountId();
  }

  /**
   * The IAM endpoint the token was minted at: the block's override with an authorized key, else the
   * operator's own (ambient identity never goes to a tenant's endpoint).
   */
  @Override
  public String locationFields(GrafanaServiceAccountTokenSpec spec) {
    YandexCloudProvider yandex = block(spec);
    boolean ownEndpoint =
        yandex.getAuth() != null
            && yandex.getAuth().getAuthorizedKeySecretRef() != null
            && yandex.getEndpoint() != null
            && !yandex.getEndpoint().isBlank();
    return "endpoint=" + (ownEndpoint ? yandex.getEndpoint().strip() : settings.iamEndpoint());
  }

  /** IAM tokens have no base URL (spec.secret.urlKey is invalid with yandexCloud). */
  @Override
  public Optional<String> baseUrl(GrafanaServiceAccountTokenSpec spec) {
    return Optional.empty();
  }

  @Override
  public boolean usesAmbientCredentials(GrafanaServiceAccountTokenSpec spec) {
    YandexAuth auth = block(spec).getAuth();
    return auth != null
        && (auth.getWorkloadIdentity() != null || auth.getMetadataService() != null);
  }

  @Override
  public TokenSession open(
      GrafanaServiceAccountTokenSpec spec, SecretLookup secrets, SessionPurpose purpose)
      throws ProviderException {
    Identity identity = identity(block(spec), secrets);
    return new YandexSession(
        block(spec).getServiceAccountId(),
        identity.iamEndpoint(),
        identity.credential(),
        operatorTokens,
        issued,
        http,
        clock);
  }

  /**
   * The operator's own IAM token exchange: the connection's credential works if it yields a token.
   */
  @Override
  public void probe(GrafanaServiceAccountTokenSpec connection, SecretLookup secrets)
      throws ProviderException {
    operatorTokens.get(identity(block(connection), secrets).credential());
  }

  /** The operator's identity for a block and the IAM endpoint it may be sent to. */
  private record Identity(String iamEndpoint, OperatorCredential credential) {}

  private Identity identity(YandexCloudProvider yandex, SecretLookup secrets)
      throws ProviderException {
    YandexAuth auth = yandex.getAuth();
    if (auth == null) {
      throw new PermanentProviderException(
          Reasons.CREDENTIALS_NOT_FOUND, "spec.yandexCloud.auth is required");
    }
    String iamEndpoint;
    OperatorCredential credential;
    if (auth.getAuthorizedKeySecretRef() != null) {
      iamEndpoint =
          yandex.getEndpoint() == null || yandex.getEndpoint().isBlank()
              ? settings.iamEndpoint()
              : checkedEndpoint(yandex.getEndpoint());
      credential = authorizedKey(auth.getAuthorizedKeySecretRef(), secrets, iamEndpoint);
    } else {
      // ambient: the operator's own identity goes only to the operator's own endpoints, never to
      // spec.yandexCloud.endpoint, which a tenant picks
      iamEndpoint = settings.iamEndpoint();
      credential =
          auth.getWorkloadIdentity() != null
              ? workloadIdentity(auth.getWorkloadIdentity())
              : new MetadataServiceCredential(settings, http, clock);
    }
    return new Identity(iamEndpoint, credential);
  }

  private OperatorCredential authorizedKey(
      SecretKeyRef ref, SecretLookup secrets, String iamEndpoint)
      throws PermanentProviderException {
    if (ref.getName() == null || ref.getName().isBlank()) {
      throw new PermanentProviderException(
          Reasons.CREDENTIALS_NOT_FOUND,
          "spec.yandexCloud.auth.authorizedKeySecretRef.name is required");
    }
    String dataKey =
        ref.getKey() == null || ref.getKey().isBlank() ? DEFAULT_KEY_DATA_KEY : ref.getKey();
    Optional<Map<String, String>> data = secrets.data(ref.getName());
    if (data.isEmpty()) {
      throw new PermanentProviderException(
          Reasons.CREDENTIALS_NOT_FOUND, "authorized-key Secret " + ref.getName() + " not found");
    }
    String json = data.get().get(dataKey);
    if (json == null || json.isBlank()) {
      throw new PermanentProviderException(
          Reasons.CREDENTIALS_NOT_FOUND,
          "Secret "
              + ref.getName()
              + " has no key "
              + dataKey
              + " (the JSON written by yc iam key create)");
    }
    String where = "Secret " + ref.getName() + " key " + dataKey;
    return new AuthorizedKeyCredential(
        AuthorizedKey.parse(json, where), where, iamEndpoint, http, clock);
  }

  private OperatorCredential workloadIdentity(YandexAuth.WorkloadIdentity wlif)
      throws PermanentProviderException {
    if (wlif.getServiceAccountId() == null || wlif.getServiceAccountId().isBlank()) {
      throw new PermanentProviderException(
          Reasons.CREDENTIALS_NOT_FOUND,
          "spec.yandexCloud.auth.workloadIdentity.serviceAccountId is required");
    }
    return new WorkloadIdentityCredential(
        wlif.getServiceAccountId().strip(), settings, http, clock);
  }

  /** spec.yandexCloud.endpoint: an http(s) base URL without userinfo, query or fragment. */
  private static String checkedEndpoint(String endpoint) throws PermanentProviderException {
    URI uri;
    try {
      uri = URI.create(endpoint.strip());
    } catch (IllegalArgumentException e) {
      throw badEndpoint();
    }
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw badEndpoint();
    }
    return YandexSettings.withoutTrailingSlash(uri.toString());
  }

  private static PermanentProviderException badEndpoint() {
    return new PermanentProviderException(
        Reasons.PROVIDER_REJECTED,
        "spec.yandexCloud.endpoint must be an "
            + "http(s) URL without userinfo, query or fragment, e.g. https://iam.api.cloud.yandex.net");
  }

  private static YandexCloudProvider block(GrafanaServiceAccountTokenSpec spec) {
    if (spec == null || spec.getYandexCloud() == null) {
      throw new IllegalArgumentException(
          "spec.yandexCloud is required for the yandexCloud provider");
    }
    return spec.getYandexCloud();
  }
}
