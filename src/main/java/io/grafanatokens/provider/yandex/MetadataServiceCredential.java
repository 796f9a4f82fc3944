package io.grafanatokens.provider.yandex;

import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.provider.ProviderException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/** The operator's IAM token from the VM / node metadata service (the node's service account). */
final class MetadataServiceCredential implements OperatorCredential {
  private final String url;
  private final YandexHttp http;
  private final Clock clock;

  MetadataServiceCredential(YandexSettings settings, YandexHttp http, Clock clock) {
    this.url = settings.metadataUrl();
    this.http = http;
    this.clock = clock;
  }

  @Override
  public String cacheKey() {
    return "metadataService|" + url;
  }

  @Override
  public String identity() {
    return "the VM's service account (metadata service)";
  }

  @Override
  public OperatorToken obtain() throws ProviderException {
    Instant sentAt = clock.instant();
    YandexHttp.Response r;
    try {
      r = http.get(url, Map.of("Metadata-Flavor", "Google"));
    } catch (IOException e) {
      // no metadata service here is a setup problem, not an outage: re-checked every minute
      throw new PermanentProviderException(
          Reasons.CREDENTIALS_NOT_FOUND,
          "the metadata service at "
              + url
              + " is unreachable ("
              + YandexErrors.ioDetail(e, http.timeout())
              + "): the operator must run on a Yandex "
              + "Cloud VM or node with a service account, or use another spec.yandexCloud.auth option");
    } catch (InterruptedException e) {
      throw YandexErrors.interrupted("get a token from the metadata service", e);
    }
    if (r.status() == 404) {
      throw new PermanentProviderException(
          Reasons.CREDENTIALS_NOT_FOUND,
          "the metadata service at "
              + url
              + " has no token (404): attach a service account to the VM or node group");
    }
    if (!r.ok()) {
      throw YandexErrors.forOperatorToken(
          "the metadata service (" + url + ")",
          r,
          "check the service account attached to the VM or node group");
    }
    TokenAnswers.Answer answer =
        TokenAnswers.accessToken(r, sentAt, "get a token from the metadata service");
    return new OperatorToken(answer.token(), sentAt, answer.expiresAt());
  }
}
