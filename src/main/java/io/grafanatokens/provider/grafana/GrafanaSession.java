package io.grafanatokens.provider.grafana;

import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.api.v1alpha1.ServiceAccountRef;
import io.grafanatokens.provider.IssuedToken;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.RevokeOutcome;
import io.grafanatokens.provider.SessionPurpose;
import io.grafanatokens.provider.TokenInfo;
import io.grafanatokens.provider.TokenListing;
import io.grafanatokens.provider.TokenSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Token operations on one Grafana service account, resolved on first use. */
final class GrafanaSession implements TokenSession {
  /** Grafana's token list stops at 300 rows: a token missing from a full list may still exist. */
  static final int LIST_CAP = 300;

  private static final Pattern NUMERIC_ID = Pattern.compile("[1-9][0-9]{0,17}");

  private final GrafanaClient client;
  private final String grafana;
  private final ServiceAccountRef account;
  private final ServiceAccountDirectory directory;
  private final SessionPurpose purpose;
  private final Clock clock;
  private final List<String> warnings;

  GrafanaSession(
      GrafanaClient client,
      String grafana,
      ServiceAccountRef account,
      ServiceAccountDirectory directory,
      SessionPurpose purpose,
      Clock clock,
      List<String> warnings) {
    this.client = client;
    this.grafana = grafana;
    this.account = account;
    this.directory = directory;
    this.purpose = purpose;
    this.clock = clock;
    this.warnings = List.copyOf(warnings);
  }

  @Override
  public List<String> warnings() {
    return warnings;
  }

  @Override
  public boolean accountResolved() {
    return directory.known(grafana, account).isPresent();
  }

  @Override
  public String serviceAccountId() throws ProviderException {
    return Long.toString(accountId());
  }

  private long accountId() throws ProviderException {
    return directory.resolve(grafana, account, client, purpose).id();
  }

  @Override
  public TokenListing list() throws ProviderException {
    return listTokens(accountId());
  }

  @Override
  public TokenListing list(String serviceAccountId) throws ProviderException {
    if (serviceAccountId == null || !NUMERIC_ID.matcher(serviceAccountId).matches()) {
      // read from an editable annotation: never let it reshape the request path
      throw new PermanentProviderException(
          Reasons.PROVIDER_REJECTED,
          "service account id " + serviceAccountId + " is not a Grafana id");
    }
    return listTokens(Long.parseLong(serviceAccountId));
  }

  private TokenListing listTokens(long serviceAccountId) throws ProviderException {
    List<TokenInfo> out = new ArrayList<>();
    for (GrafanaDtos.Token token : client.listTokens(serviceAccountId)) {
      // The real expiry is "expiration" read with its own offset; secondsUntilExpiration is 0
      // for anything more than seven days out and is never used.
      out.add(
          TokenInfo.parsedLater(
              Long.toString(token.id()),
              token.name(),
              () -> instant(token.created()),
              () -> instant(token.expiration()),
              token.isRevoked(),
              token.hasExpired()));
    }
    return new TokenListing(out, out.size() < LIST_CAP);
  }

  @Override
  public IssuedToken create(String name, Duration lifetime) throws ProviderException {
    if (lifetime != null && lifetime.isNegative()) {
      throw new IllegalArgumentException("lifetime must not be negative");
    }
    long secondsToLive = lifetime == null ? 0 : lifetime.toSeconds();
    long id = accountId();
    // Taken just before sending: Grafana computes floor(its now) + secondsToLive, so this
    // estimate is never later than the real expiry when the clocks agree.
    Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    GrafanaDtos.NewToken token;
    try {
      token = client.createToken(id, name, secondsToLive);
    } catch (PermanentProviderException e) {
      if (Reasons.SERVICE_ACCOUNT_NOT_FOUND.equals(e.reason())) {
        // deleted (and perhaps re-created under the same name): look the name up again next time
        directory.forget(grafana, account);
      }
      throw e;
    }
    Instant expiresAt = secondsToLive == 0 ? null : issuedAt.plusSeconds(secondsToLive);
    return new IssuedToken(
        Long.toString(token.id()),
        token.name() == null ? name : token.name(),
        token.key(),
        Long.toString(id),
        issuedAt,
        expiresAt,
        false);
  }

  @Override
  public RevokeOutcome revoke(String serviceAccountId, String tokenId) throws ProviderException {
    // Both ids come from annotations a user can edit; keep them from shaping the request path.
    return client.deleteToken(
            numeric("service account id", serviceAccountId), numeric("token id", tokenId))
        ? RevokeOutcome.REVOKED
        : RevokeOutcome.ALREADY_GONE;
  }

  private static long numeric(String label, String value) throws PermanentProviderException {
    if (value == null || !NUMERIC_ID.matcher(value).matches()) {
      throw new PermanentProviderException(
          Reasons.PROVIDER_REJECTED, "not a Grafana " + label + ": " + value);
    }
    return Long.parseLong(value);
  }

  static Instant instant(String rfc3339) {
    if (rfc3339 == null || rfc3339.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(rfc3339).toInstant();
    } catch (DateTimeParseException e) {
      // Grafana always writes RFC 3339; anything else is treated as unknown rather than failing
      // every list (the reconciler then keeps its own estimate).
      return null;
    }
  }
}
