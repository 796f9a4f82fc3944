package io.grafanatokens.provider;

import java.time.Instant;

/** A token as the provider lists it (never the key). */
public record TokenInfo(
    String id, String name, Instant createdAt, Instant expiresAt, boolean revoked, boolean expired) {}
