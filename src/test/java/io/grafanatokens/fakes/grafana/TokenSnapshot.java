package io.grafanatokens.fakes.grafana;

import java.time.Instant;

/**
 * A token as the fake holds it, for test assertions; never the key.
 *
 * @param expires null when the token never expires
 */
public record TokenSnapshot(
    long id,
    String name,
    long serviceAccountId,
    long orgId,
    Instant created,
    Instant expires,
    boolean revoked) {}
