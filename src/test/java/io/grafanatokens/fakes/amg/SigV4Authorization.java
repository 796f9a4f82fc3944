package io.grafanatokens.fakes.amg;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Credential scope of a SigV4 Authorization header: who signed, for which day, region and
 * service. The signature is not verified (docs/provider-apis.md#what-the-fakes-reproduce: the shape
 * is what a fake checks).
 */
record SigV4Authorization(String accessKeyId, String date, String region, String service) {
  private static final Pattern HEADER =
      Pattern.compile(
          "AWS4-HMAC-SHA256 Credential=([A-Za-z0-9]+)/([0-9]{8})/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request,"
              + " ?SignedHeaders=[a-z0-9;-]+, ?Signature=[0-9a-f]{64}");

  /** The scope, or empty when the header is missing or not a SigV4 header. */
  static Optional<SigV4Authorization> parse(String header) {
    if (header == null) {
      return Optional.empty();
    }
    Matcher m = HEADER.matcher(header.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new SigV4Authorization(m.group(1), m.group(2), m.group(3), m.group(4)));
  }
}
