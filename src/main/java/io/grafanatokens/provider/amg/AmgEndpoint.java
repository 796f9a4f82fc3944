package io.grafanatokens.provider.amg;

import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.provider.PermanentProviderException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the AMG API calls go (docs/reference.md#ambient-credentials): spec.endpoint only with a
 * credentials Secret, so that the operator's own session credentials never go to a host a tenant
 * picked; otherwise the operator's AWS_ENDPOINT_URL_GRAFANA, else the SDK's regional endpoint.
 */
final class AmgEndpoint {
  private static final Pattern REGION = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)+$");

  private AmgEndpoint() {}

  /**
   * The endpoint override for a resource, empty for the SDK's default.
   *
   * @param specEndpoint spec.amazonManagedGrafana.endpoint, possibly null
   * @param ambient true when the resource uses the operator's own identity
   * @param operatorEndpoint AWS_ENDPOINT_URL_GRAFANA of the operator
   */
  static Optional<URI> choose(
      String specEndpoint, boolean ambient, Optional<String> operatorEndpoint)
      throws PermanentProviderException {
    if (!ambient && specEndpoint != null && !specEndpoint.isBlank()) {
      return Optional.of(parse(specEndpoint, "spec.amazonManagedGrafana.endpoint"));
    }
    if (operatorEndpoint.isPresent() && !operatorEndpoint.get().isBlank()) {
      return Optional.of(parse(operatorEndpoint.get(), "AWS_ENDPOINT_URL_GRAFANA"));
    }
    return Optional.empty();
  }

  /** The region name, checked before it becomes part of a host name. */
  static String region(String region) throws PermanentProviderException {
    String r = region == null ? "" : region.strip();
    if (!REGION.matcher(r).matches()) {
      throw new PermanentProviderException(
          Reasons.PROVIDER_REJECTED,
          "spec.amazonManagedGrafana.region '"
              + r
              + "' is not an AWS region name such as eu-west-1");
    }
    return r;
  }

  private static URI parse(String url, String field) throws PermanentProviderException {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw invalid(field);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https"))
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw invalid(field);
    }
    return uri;
  }

  private static PermanentProviderException invalid(String field) {
    return new PermanentProviderException(
        Reasons.PROVIDER_REJECTED,
        field + " must be an http(s) URL with a host and no userinfo, query or fragment");
  }
}
