package io.grafanatokens.fakes.amg;

import java.time.Instant;

/**
 * A token as the fake holds it, for test assertions; never the key.
 *
 * @param deleted when it was deleted (by DeleteWorkspaceServiceAccountToken or with its service
 *     account); null while it exists
 */
public record AmgTokenSnapshot(
    String id,
    String name,
    String workspaceId,
    String serviceAccountId,
    Instant created,
    Instant expires,
    Instant deleted) {

  /** Neither deleted nor expired at {@code now}. */
  public boolean liveAt(Instant now) {
    return deleted == null && expires.isAfter(now);
  }
}
