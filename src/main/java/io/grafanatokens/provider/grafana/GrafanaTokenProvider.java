package io.grafanatokens.provider.grafana;

import io.grafanatokens.api.v1alpha1.CredentialsSecretRef;
import io.grafanatokens.api.v1alpha1.GrafanaProvider;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.api.v1alpha1.ServiceAccountRef;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.provider.ProviderCapabilities;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.ProviderKind;
import io.grafanatokens.provider.SecretLookup;
import io.grafanatokens.provider.SessionPurpose;
import io.grafanatokens.provider.TokenProvider;
import io.grafanatokens.provider.TokenSession;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The grafana provider: service-account tokens of any Grafana >= 9 through its HTTP API. */
public final class GrafanaTokenProvider implements TokenProvider {
  static final int DEFAULT_SEARCH_PAGE_SIZE = 100;
  static final long DEFAULT_ORG_ID = 1;

  private final Duration requestTimeout;
  private final Clock clock;
  private final GrafanaHttpClients clients;
  private final ServiceAccountDirectory directory;

  /** A provider whose every call (connect and whole request) is bounded by requestTimeout. */
  public GrafanaTokenProvider(Duration requestTimeout, Clock clock) {
    this(requestTimeout, clock, DEFAULT_SEARCH_PAGE_SIZE);
  }

  /** Tests shrink the search page size to exercise paging. */
  GrafanaTokenProvider(Duration requestTimeout, Clock clock, int searchPageSize) {
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive");
    }
    if (searchPageSize < 1) {
      throw new IllegalArgumentException("searchPageSize must be >= 1");
    }
    this.requestTimeout = requestTimeout;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.clients = new GrafanaHttpClients(requestTimeout);
    this.directory = new ServiceAccountDirectory(searchPageSize);
  }

  @Override
  public ProviderKind kind() {
    return ProviderKind.GRAFANA;
  }

  @Override
  public ProviderCapabilities capabilities() {
    return ProviderCapabilities.LISTED_TOKENS;
  }

  @Override
  public String shapingFields(GrafanaServiceAccountTokenSpec spec) {
    GrafanaProvider grafana = block(spec);
    ServiceAccountRef account = grafana.getServiceAccount();
    String accountField;
    if (account == null) {
      accountField = "";
    } else if (account.getId() != null) {
      accountField = "id:" + account.getId();
    } else {
      accountField = "name:" + account.getName();
    }
    return "url="
        + GrafanaUrls.normalise(grafana.getUrl())
        + "\norgId="
        + (grafana.getOrgId() == null ? DEFAULT_ORG_ID : grafana.getOrgId())
        + "\nserviceAccount="
        + accountField;
  }

  @Override
  public String locationFields(GrafanaServiceAccountTokenSpec spec) {
    GrafanaProvider grafana = block(spec);
    return "url="
        + GrafanaUrls.normalise(grafana.getUrl())
        + "\norgId="
        + (grafana.getOrgId() == null ? DEFAULT_ORG_ID : grafana.getOrgId());
  }

  @Override
  public Optional<String> baseUrl(GrafanaServiceAccountTokenSpec spec) {
    return Optional.of(GrafanaUrls.normalise(block(spec).getUrl()));
  }

  /**
   * GET /api/serviceaccounts/search?perpage=1: authenticated, and readable by any role that may
   * mint.
   */
  @Override
  public void probe(GrafanaServiceAccountTokenSpec connection, SecretLookup secrets)
      throws ProviderException {
    GrafanaProvider grafana = block(connection);
    GrafanaCredentials credentials = credentials(grafana.getCredentialsSecretRef(), secrets);
    HttpClient http = clients.forTls(grafana.getTls(), secrets);
    new GrafanaClient(
            http,
            GrafanaUrls.normalise(grafana.getUrl()),
            grafana.getOrgId(),
            credentials,
            requestTimeout,
            clock)
        .search("", 1, 1);
  }

  /** createIfMissing applies role only at creation: a different role on the account is reported. */
  @Override
  public List<String> notes(GrafanaServiceAccountTokenSpec spec) {
    GrafanaProvider grafana = block(spec);
    ServiceAccountRef account = grafana.getServiceAccount();
    if (account == null
        || account.getName() == null
        || !Boolean.TRUE.equals(account.getCreateIfMissing())
        || account.getRole() == null) {
      return List.of();
    }
    String wanted = ServiceAccountDirectory.roleOf(account);
    return directory
        .known(instance(grafana), account)
        .filter(k -> k.role() != null && !k.role().equals(wanted))
        .map(
            k ->
                List.of(
                    "service account "
                        + account.getName()
                        + " has role "
                        + k.role()
                        + "; spec.grafana.serviceAccount.role "
                        + wanted
                        + " is applied only when the operator creates it"))
        .orElse(List.of());
  }

  /** The Grafana and org an account name is resolved in. */
  private static String instance(GrafanaProvider grafana) {
    return GrafanaUrls.normalise(grafana.getUrl())
        + "\norg="
        + (grafana.getOrgId() == null ? DEFAULT_ORG_ID : grafana.getOrgId());
  }

  @Override
  public boolean usesAmbientCredentials(GrafanaServiceAccountTokenSpec spec) {
    return false;
  }

  @Override
  public TokenSession open(
      GrafanaServiceAccountTokenSpec spec, SecretLookup secrets, SessionPurpose purpose)
      throws ProviderException {
    GrafanaProvider grafana = block(spec);
    String url;
    try {
      url = GrafanaUrls.normalise(grafana.getUrl());
    } catch (IllegalArgumentException e) {
      // Validation rejects this before any provider call; this guards direct callers.
      throw new PermanentProviderException(Reasons.PROVIDER_REJECTED, e.getMessage());
    }
    GrafanaCredentials credentials = credentials(grafana.getCredentialsSecretRef(), secrets);
    HttpClient http = clients.forTls(grafana.getTls(), secrets);
    GrafanaClient client =
        new GrafanaClient(http, url, grafana.getOrgId(), credentials, requestTimeout, clock);
    ServiceAccountRef account = grafana.getServiceAccount();
    if (account == null
        || (account.getId() == null
            && (account.getName() == null || account.getName().isEmpty()))) {
      throw new PermanentProviderException(
          Reasons.SERVICE_ACCOUNT_NOT_FOUND, "spec.grafana.serviceAccount needs an id or a name");
    }
    List<String> warnings =
        url.startsWith("http://") && !credentials.isBearer()
            ? List.of(
                "spec.grafana.url uses http:// with basic auth: the password crosses the network in clear")
            : List.of();
    return new GrafanaSession(
        client, instance(grafana), account, directory, purpose, clock, warnings);
  }

  private static GrafanaCredentials credentials(CredentialsSecretRef ref, SecretLookup secrets)
      throws PermanentProviderException {
    if (ref == null || ref.getName() == null || ref.getName().isEmpty()) {
      throw new PermanentProviderException(
          Reasons.CREDENTIALS_NOT_FOUND, "spec.grafana.credentialsSecretRef.name is required");
    }
    Optional<Map<String, String>> data = secrets.data(ref.getName());
    if (data.isEmpty()) {
      throw new PermanentProviderException(
          Reasons.CREDENTIALS_NOT_FOUND, "credentials Secret " + ref.getName() + " not found");
    }
    return GrafanaCredentials.from(ref, data.get());
  }

  private static GrafanaProvider block(GrafanaServiceAccountTokenSpec spec) {
    if (spec == null || spec.getGrafana() == null) {
      throw new IllegalArgumentException("spec.grafana is required for the grafana provider");
    }
    return spec.getGrafana();
  }
}
