package io.grafanatokens.provider.amg;

import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.provider.IssuedToken;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.RevokeOutcome;
import io.grafanatokens.provider.TokenInfo;
import io.grafanatokens.provider.TokenListing;
import io.grafanatokens.provider.TokenSession;
import io.grafanatokens.provider.TransientProviderException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.grafana.model.CreateWorkspaceServiceAccountTokenResponse;
import software.amazon.awssdk.services.grafana.model.ListWorkspaceServiceAccountTokensResponse;
import software.amazon.awssdk.services.grafana.model.ResourceNotFoundException;
import software.amazon.awssdk.services.grafana.model.ServiceAccountTokenSummary;
import software.amazon.awssdk.services.grafana.model.ServiceAccountTokenSummaryWithKey;

/** Token operations on one AMG workspace service account, with the clients of its credentials. */
final class AmgSession implements TokenSession {
  /** AMG's page limit (docs/provider-apis.md#amg-operations: maxResults 1..100). */
  static final int PAGE_SIZE = 100;

  static final long MAX_SECONDS_TO_LIVE = 2_592_000;

  /** Bounds a misbehaving endpoint that hands out next tokens forever (100 000 tokens). */
  private static final int MAX_PAGES = 1000;

  private static final Logger LOG = LoggerFactory.getLogger(AmgSession.class);

  private final AmgClients.Pair clients;
  private final AmgCall call;
  private final Clock clock;
  private final List<String> warnings;

  AmgSession(AmgClients.Pair clients, AmgCall call, Clock clock, List<String> warnings) {
    this.clients = clients;
    this.call = call;
    this.clock = clock;
    this.warnings = List.copyOf(warnings);
  }

  @Override
  public List<String> warnings() {
    return warnings;
  }

  @Override
  public String serviceAccountId() {
    return call.serviceAccountId();
  }

  @Override
  public TokenListing list() throws ProviderException {
    return list(call.on(AmgCall.Operation.LIST));
  }

  @Override
  public TokenListing list(String serviceAccountId) throws ProviderException {
    return list(call.on(AmgCall.Operation.LIST).withServiceAccount(serviceAccountId));
  }

  private TokenListing list(AmgCall listing) throws ProviderException {
    List<TokenInfo> out = new ArrayList<>();
    Instant now = clock.instant();
    int pages = 0;
    boolean complete = true;
    try {
      for (ListWorkspaceServiceAccountTokensResponse page :
          clients
              .calls()
              .listWorkspaceServiceAccountTokensPaginator(
                  b ->
                      b.workspaceId(listing.workspaceId())
                          .serviceAccountId(listing.serviceAccountId())
                          .maxResults(PAGE_SIZE))) {
        for (ServiceAccountTokenSummary t : page.serviceAccountTokens()) {
          // AMG has no revoked state: a deleted token is gone from the list
          out.add(
              new TokenInfo(
                  t.id(),
                  t.name(),
                  t.createdAt(),
                  t.expiresAt(),
                  false,
                  t.expiresAt() != null && !t.expiresAt().isAfter(now)));
        }
        if (++pages >= MAX_PAGES) {
          complete = false;
          LOG.warn(
              "stopped reading the tokens of service account {} of workspace {} after {} pages",
              listing.serviceAccountId(),
              listing.workspaceId(),
              MAX_PAGES);
          break;
        }
      }
    } catch (SdkException e) {
      throw AmgErrors.map(e, listing, clock.instant());
    }
    LOG.debug(
        "AMG listed {} tokens on service account {} of workspace {}",
        out.size(),
        listing.serviceAccountId(),
        listing.workspaceId());
    // paged to the end: unlike Grafana's capped list, a token missing here is gone
    return new TokenListing(out, complete);
  }

  @Override
  public IssuedToken create(String name, Duration lifetime) throws ProviderException {
    long secondsToLive = lifetime == null ? 0 : lifetime.toSeconds();
    if (secondsToLive < 1 || secondsToLive > MAX_SECONDS_TO_LIVE) {
      // spec validation caps secondsToLive first; AMG would answer ValidationException
      throw new PermanentProviderException(
          Reasons.PROVIDER_REJECTED,
          "AMG tokens live 1 to "
              + MAX_SECONDS_TO_LIVE
              + " seconds (30 days); lower spec.secondsToLive (asked "
              + secondsToLive
              + ")");
    }
    AmgCall creating = call.on(AmgCall.Operation.CREATE);
    // the create answer has no timestamps: send time + lifetime is the estimate until the list is
    // read
    Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    CreateWorkspaceServiceAccountTokenResponse response;
    try {
      response =
          clients
              .creates()
              .createWorkspaceServiceAccountToken(
                  b ->
                      b.workspaceId(call.workspaceId())
                          .serviceAccountId(call.serviceAccountId())
                          .name(name)
                          .secondsToLive((int) secondsToLive));
    } catch (SdkException e) {
      throw AmgErrors.map(e, creating, clock.instant());
    }
    ServiceAccountTokenSummaryWithKey token = response.serviceAccountToken();
    if (token == null || token.key() == null || token.key().isEmpty() || token.id() == null) {
      // created or not, there is no key to hand out; the sweep removes a stray by its name
      throw new TransientProviderException(
          Reasons.PROVIDER_ERROR,
          "AMG answered the call to " + creating.what() + " without a token id and key",
          null,
          null);
    }
    LOG.debug(
        "AMG created token {} on service account {} of workspace {}",
        token.id(),
        call.serviceAccountId(),
        call.workspaceId());
    return new IssuedToken(
        token.id(),
        name,
        token.key(),
        call.serviceAccountId(),
        issuedAt,
        issuedAt.plusSeconds(secondsToLive),
        false);
  }

  @Override
  public RevokeOutcome revoke(String serviceAccountId, String tokenId) throws ProviderException {
    String account =
        serviceAccountId == null || serviceAccountId.isBlank()
            ? call.serviceAccountId()
            : serviceAccountId;
    AmgCall deleting = call.on(AmgCall.Operation.DELETE).withServiceAccount(account);
    if (tokenId == null || tokenId.isBlank()) {
      throw new PermanentProviderException(
          Reasons.PROVIDER_REJECTED, "cannot " + deleting.what() + ": the token id is empty");
    }
    try {
      // labels are percent-encoded by the SDK, so ids read from editable annotations cannot reshape
      // the path
      clients
          .calls()
          .deleteWorkspaceServiceAccountToken(
              b -> b.workspaceId(call.workspaceId()).serviceAccountId(account).tokenId(tokenId));
    } catch (ResourceNotFoundException e) {
      // already gone (deleted by hand, with its service account, or by our earlier attempt)
      LOG.debug(
          "AMG token {} on service account {} of workspace {} was already gone",
          tokenId,
          account,
          call.workspaceId());
      return RevokeOutcome.ALREADY_GONE;
    } catch (SdkException e) {
      throw AmgErrors.map(e, deleting, clock.instant());
    }
    LOG.debug(
        "AMG deleted token {} on service account {} of workspace {}",
        tokenId,
        account,
        call.workspaceId());
    return RevokeOutcome.REVOKED;
  }
}
