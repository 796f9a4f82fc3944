package io.grafanatokens.provider.grafana;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Normalises spec.grafana.url so that equal addresses give equal shaping fields and request URLs.
 */
final class GrafanaUrls {
  private GrafanaUrls() {}

  /**
   * Lowercase scheme and host, the port only when it is not the scheme's default, the path without
   * trailing slashes (case kept: paths are case-sensitive).
   *
   * @throws IllegalArgumentException when the URL is not an http(s) URL without userinfo, query or
   *     fragment (the spec validation rejects those first)
   */
  static String normalise(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("spec.grafana.url is required");
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("spec.grafana.url is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("spec.grafana.url must start with http:// or https://");
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "spec.grafana.url may not carry userinfo, a query or a fragment");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("spec.grafana.url has no host");
    }
    StringBuilder out =
        new StringBuilder(scheme).append("://").append(uri.getHost().toLowerCase(Locale.ROOT));
    int port = uri.getPort();
    boolean defaultPort =
        port == -1
            || (scheme.equals("http") && port == 80)
            || (scheme.equals("https") && port == 443);
    if (!defaultPort) {
      out.append(':').append(port);
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    int end = path.length();
    while (end > 0 && path.charAt(end - 1) == '/') {
      end--;
    }
    return out.append(path, 0, end).toString();
  }
}
