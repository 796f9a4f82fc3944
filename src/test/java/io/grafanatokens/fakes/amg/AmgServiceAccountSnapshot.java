package io.grafanatokens.fakes.amg;

/** A workspace service account as the fake holds it, for test assertions. */
public record AmgServiceAccountSnapshot(
    String id, String name, String grafanaRole, String workspaceId) {}
