package io.grafanatokens.fakes.amg;

/**
 * One request the fake received, for assertions on what a client sends; the signature itself is not
 * kept.
 *
 * @param path the raw path and query
 * @param accessKeyId the Credential scope's access key id; null when the header was missing or
 *     malformed
 * @param region the Credential scope's region
 * @param securityToken the X-Amz-Security-Token header (session credentials), or null
 * @param sdkRequest the amz-sdk-request header (attempt=N; max=M), or null
 * @param rejected why the signature check refused the request; null when it passed
 */
public record AmgRecordedRequest(
    AmgOperation operation,
    String method,
    String path,
    String accessKeyId,
    String region,
    String securityToken,
    String sdkRequest,
    String rejected) {}
