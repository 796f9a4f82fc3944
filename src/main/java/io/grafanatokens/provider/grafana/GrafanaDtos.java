package io.grafanatokens.provider.grafana;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** The JSON shapes of Grafana's service-account API that the provider reads and writes. */
final class GrafanaDtos {
  private GrafanaDtos() {}

  /** A service account as search, get and create return it (unknown fields ignored). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record ServiceAccount(
      long id, String name, String login, Long orgId, String role, boolean isDisabled) {}

  /** GET /api/serviceaccounts/search. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record SearchResult(
      long totalCount, List<ServiceAccount> serviceAccounts, int page, int perPage) {}

  /** POST /api/serviceaccounts body. */
  record CreateServiceAccount(String name, String role) {}

  /**
   * One row of GET /api/serviceaccounts/:id/tokens; secondsUntilExpiration is deliberately absent.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Token(
      long id,
      String name,
      String created,
      String expiration,
      boolean hasExpired,
      boolean isRevoked) {}

  /** POST /api/serviceaccounts/:id/tokens body. */
  record CreateToken(String name, long secondsToLive) {}

  /** POST /api/serviceaccounts/:id/tokens answer: the key is shown once, so toString hides it. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record NewToken(long id, String name, String key) {
    @Override
    public String toString() {
      return "NewToken[id=" + id + ", name=" + name + ", key=***]";
    }
  }

  /** The fields of Grafana's error bodies (shapes A to D) that classification needs. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record ErrorBody(String message, String messageId, String title) {}
}
