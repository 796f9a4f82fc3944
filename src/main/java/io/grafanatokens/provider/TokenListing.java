package io.grafanatokens.provider;

import java.util.List;

/**
 * One read of a service account's tokens.
 *
 * @param complete false when the provider caps the answer (Grafana stops at 300 rows): a token
 *     missing from an incomplete listing may still exist
 */
public record TokenListing(List<TokenInfo> tokens, boolean complete) {
  public TokenListing {
    tokens = List.copyOf(tokens);
  }

  public static TokenListing complete(List<TokenInfo> tokens) {
    return new TokenListing(tokens, true);
  }
}
