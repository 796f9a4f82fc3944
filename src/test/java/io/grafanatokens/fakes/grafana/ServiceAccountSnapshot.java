package io.grafanatokens.fakes.grafana;

/** A service account as the fake holds it, for test assertions. */
public record ServiceAccountSnapshot(
    long id, String uid, long orgId, String name, String login, String role, boolean disabled) {}
