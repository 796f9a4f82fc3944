package io.grafanatokens.provider.grafana;

import io.grafanatokens.provider.IssuedToken;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.ProviderReasons;
import io.grafanatokens.provider.TokenInfo;
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

/** Token operations on one resolved Grafana service account. */
final class GrafanaSession implements TokenSession {
  private static final Pattern NUMERIC_ID = Pattern.compile("[1-9][0-9]{0,17}");

  private final GrafanaClient client;
  private final long serviceAccountId;
  private final Clock clock;

  private final List<String> warnings;

  GrafanaSession(GrafanaClient client, long serviceAccountId, Clock clock, List<String> warnings) {
    this.client = client;
    this.serviceAccountId = serviceAccountId;
    this.clock = clock;
    this.warnings = List.copyOf(warnings);
  }

  @Override
  public List<String> warnings() {
    return warnings;
  }

  @Override
  public String serviceAccountId() {
    return Long.toString(serviceAccountId);
  }

  @Override
  public List<TokenInfo> list() throws ProviderException {
    List<TokenInfo> out = new ArrayList<>();
    for (GrafanaDtos.Token token : client.listTokens(serviceAccountId)) {
      // The real expiry is "expiration" read with its own offset; secondsUntilExpiration is 0
      // for anything more than seven days out and is never used.
      out.add(new TokenInfo(Long.toString(token.id()), token.name(), instant(token.created()),
          instant(token.expiration()), token.isRevoked(), token.hasExpired()));
    }
    return out;
  }

  @Override
  public IssuedToken create(String name, Duration lifetime) throws ProviderException {
    if (lifetime != null && lifetime.isNegative()) {
      throw new IllegalArgumentException("lifetime must not be negative");
    }
    long secondsToLive = lifetime == null ? 0 : lifetime.toSeconds();
    // Taken just before sending: Grafana computes floor(its now) + secondsToLive, so this
    // estimate is never later than the real expiry when the clocks agree.
    Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    GrafanaDtos.NewToken token = client.createToken(serviceAccountId, name, secondsToLive);
    Instant expiresAt = secondsToLive == 0 ? null : issuedAt.plusSeconds(secondsToLive);
    return new IssuedToken(Long.toString(token.id()), token.name() == null ? name : token.name(), token.key(),
        serviceAccountId(), issuedAt, expiresAt, false);
  }

  @Override
  public void revoke(String serviceAccountId, String tokenId) throws ProviderException {
    // Both ids come from annotations a user can edit; keep them from shaping the request path.
    client.deleteToken(numeric("service account id", serviceAccountId), numeric("token id", tokenId));
  }

  private static long numeric(String label, String value) throws PermanentProviderException {
    if (value == null || !NUMERIC_ID.matcher(value).matches()) {
      throw new PermanentProviderException(ProviderReasons.PROVIDER_REJECTED,
          "not a Grafana " + label + ": " + value);
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
