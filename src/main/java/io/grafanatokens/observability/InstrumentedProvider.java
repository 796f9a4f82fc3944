package io.grafanatokens.observability;

import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.observability.TokenMetrics.Operation;
import io.grafanatokens.observability.TokenMetrics.Outcome;
import io.grafanatokens.provider.IssuedToken;
import io.grafanatokens.provider.ProviderCapabilities;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.ProviderKind;
import io.grafanatokens.provider.RevokeOutcome;
import io.grafanatokens.provider.SecretLookup;
import io.grafanatokens.provider.SessionPurpose;
import io.grafanatokens.provider.TokenListing;
import io.grafanatokens.provider.TokenProvider;
import io.grafanatokens.provider.TokenSession;
import io.grafanatokens.provider.TransientProviderException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Counts every provider call by provider, operation and outcome
 * (grafana_token_provider_requests_total) without the providers knowing about metrics.
 */
public final class InstrumentedProvider implements TokenProvider {
  private final TokenProvider delegate;
  private final TokenMetrics metrics;

  public InstrumentedProvider(TokenProvider delegate, TokenMetrics metrics) {
    this.delegate = delegate;
    this.metrics = metrics;
  }

  @Override
  public ProviderKind kind() {
    return delegate.kind();
  }

  @Override
  public ProviderCapabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public String shapingFields(GrafanaServiceAccountTokenSpec spec) {
    return delegate.shapingFields(spec);
  }

  @Override
  public String locationFields(GrafanaServiceAccountTokenSpec spec) {
    return delegate.locationFields(spec);
  }

  @Override
  public Optional<String> baseUrl(GrafanaServiceAccountTokenSpec spec) {
    return delegate.baseUrl(spec);
  }

  @Override
  public void probe(GrafanaServiceAccountTokenSpec connection, SecretLookup secrets)
      throws ProviderException {
    counted(
        Operation.lookup,
        () -> {
          delegate.probe(connection, secrets);
          return null;
        });
  }

  @Override
  public List<String> notes(GrafanaServiceAccountTokenSpec spec) {
    return delegate.notes(spec);
  }

  @Override
  public boolean usesAmbientCredentials(GrafanaServiceAccountTokenSpec spec) {
    return delegate.usesAmbientCredentials(spec);
  }

  @Override
  public TokenSession open(
      GrafanaServiceAccountTokenSpec spec, SecretLookup secrets, SessionPurpose purpose)
      throws ProviderException {
    // opening calls no provider: only a service-account lookup it may make later is counted
    return new Session(delegate.open(spec, secrets, purpose));
  }

  /** A call that may fail with a provider exception. */
  private interface Call<T> {
    T run() throws ProviderException;
  }

  private <T> T counted(Operation op, Call<T> call) throws ProviderException {
    try {
      T result = call.run();
      metrics.providerRequest(delegate.kind().specName(), op, Outcome.success);
      return result;
    } catch (ProviderException e) {
      metrics.providerRequest(delegate.kind().specName(), op, outcome(e));
      throw e;
    }
  }

  static Outcome outcome(ProviderException e) {
    if (!(e instanceof TransientProviderException)) {
      return Outcome.client_error;
    }
    if (Reasons.RATE_LIMITED.equals(e.reason())) {
      return Outcome.throttled;
    }
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      String n = t.getClass().getSimpleName();
      if (n.contains("Timeout") || n.contains("TimedOut")) {
        return Outcome.timeout;
      }
    }
    return Outcome.server_error;
  }

  /** The session, counted. */
  private final class Session implements TokenSession {
    private final TokenSession s;

    Session(TokenSession s) {
      this.s = s;
    }

    @Override
    public List<String> warnings() {
      return s.warnings();
    }

    @Override
    public boolean accountResolved() {
      return s.accountResolved();
    }

    @Override
    public String serviceAccountId() throws ProviderException {
      return s.accountResolved()
          ? s.serviceAccountId()
          : counted(Operation.lookup, s::serviceAccountId);
    }

    @Override
    public TokenListing list() throws ProviderException {
      return counted(Operation.list, s::list);
    }

    @Override
    public TokenListing list(String serviceAccountId) throws ProviderException {
      return counted(Operation.list, () -> s.list(serviceAccountId));
    }

    @Override
    public IssuedToken create(String name, Duration lifetime) throws ProviderException {
      return counted(Operation.issue, () -> s.create(name, lifetime));
    }

    @Override
    public RevokeOutcome revoke(String serviceAccountId, String tokenId) throws ProviderException {
      return counted(Operation.revoke, () -> s.revoke(serviceAccountId, tokenId));
    }
  }
}
