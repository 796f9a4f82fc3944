package io.grafanatokens.fakes.grafana;

/**
 * One request the fake received, for assertions on what a client sends; the Authorization value is
 * reduced to its scheme.
 *
 * @param path the raw path and query below the base path
 * @param authScheme "Bearer", "Basic" or null
 */
public record RecordedRequest(
    Operation operation,
    String method,
    String path,
    String authScheme,
    String orgIdHeader,
    String contentType,
    String accept) {}
