package io.grafanatokens.provider.yandex;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The operator's own Yandex Cloud endpoints (YC_IAM_ENDPOINT, YC_TOKEN_EXCHANGE_ENDPOINT,
 * YC_METADATA_URL, YC_WORKLOAD_TOKEN_PATH): the only endpoints ambient credentials are ever sent
 * to.
 *
 * @param iamEndpoint IAM base URL, e.g. https://iam.api.cloud.yandex.net (paths are appended)
 * @param tokenExchangeEndpoint full URL of the workload identity token exchange
 * @param metadataUrl full URL of the metadata service's token
 * @param workloadTokenPath file of the pod's projected Kubernetes service-account token
 */
public record YandexSettings(
    String iamEndpoint, String tokenExchangeEndpoint, String metadataUrl, Path workloadTokenPath) {

  public YandexSettings {
    iamEndpoint = withoutTrailingSlash(Objects.requireNonNull(iamEndpoint, "iamEndpoint"));
    Objects.requireNonNull(tokenExchangeEndpoint, "tokenExchangeEndpoint");
    Objects.requireNonNull(metadataUrl, "metadataUrl");
    Objects.requireNonNull(workloadTokenPath, "workloadTokenPath");
  }

  static String withoutTrailingSlash(String url) {
    String u = url.strip();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }
}
