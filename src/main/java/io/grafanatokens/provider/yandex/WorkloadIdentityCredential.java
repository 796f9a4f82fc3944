package io.grafanatokens.provider.yandex;

import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.provider.ProviderException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator's IAM token through workload identity federation: the pod's projected Kubernetes
 * service-account token exchanged (RFC 8693,
 * docs/provider-apis.md#yandex-workload-identity-federation) for a Yandex service account.
 */
final class WorkloadIdentityCredential implements OperatorCredential {
  private final String serviceAccountId;
  private final String exchangeUrl;
  private final Path tokenFile;
  private final YandexHttp http;
  private final Clock clock;

  WorkloadIdentityCredential(
      String serviceAccountId, YandexSettings settings, YandexHttp http, Clock clock) {
    this.serviceAccountId = serviceAccountId;
    this.exchangeUrl = settings.tokenExchangeEndpoint();
    this.tokenFile = settings.workloadTokenPath();
    this.http = http;
    this.clock = clock;
  }

  @Override
  public String cacheKey() {
    return "workloadIdentity|" + exchangeUrl + "|" + serviceAccountId;
  }

  @Override
  public String identity() {
    return "service account " + serviceAccountId + " (workload identity federation)";
  }

  @Override
  public OperatorToken obtain() throws ProviderException {
    String what = "exchange the pod's Kubernetes token at " + exchangeUrl;
    // read on every exchange: the kubelet rotates the projected token
    String subjectToken = readTokenFile();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
    form.put("requested_token_type", "urn:ietf:params:oauth:token-type:access_token");
    form.put("audience", serviceAccountId);
    form.put("subject_token", subjectToken);
    form.put("subject_token_type", "urn:ietf:params:oauth:token-type:id_token");
    Instant sentAt = clock.instant();
    YandexHttp.Response r;
    try {
      r = http.postForm(exchangeUrl, form);
    } catch (IOException e) {
      throw YandexErrors.forIo(what, e, http.timeout());
    } catch (InterruptedException e) {
      throw YandexErrors.interrupted(what, e);
    }
    if (!r.ok()) {
      throw YandexErrors.forOperatorToken(
          "the token exchange (" + exchangeUrl + ")",
          r,
          "check the workload identity federation and its federated credential linking this pod's Kubernetes "
              + "service account to "
              + serviceAccountId);
    }
    TokenAnswers.Answer answer = TokenAnswers.accessToken(r, sentAt, what);
    return new OperatorToken(answer.token(), sentAt, answer.expiresAt());
  }

  private String readTokenFile() throws PermanentProviderException {
    String token;
    try {
      token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      throw new PermanentProviderException(
          Reasons.CREDENTIALS_NOT_FOUND,
          "the pod's projected Kubernetes "
              + "token "
              + tokenFile
              + " does not exist: mount a serviceAccountToken projected volume there "
              + "(or set YC_WORKLOAD_TOKEN_PATH)");
    } catch (IOException e) {
      throw new PermanentProviderException(
          Reasons.CREDENTIALS_NOT_FOUND,
          "cannot read the pod's projected Kubernetes token "
              + tokenFile
              + ": "
              + e.getClass().getSimpleName());
    }
    if (token.isEmpty()) {
      throw new PermanentProviderException(
          Reasons.CREDENTIALS_NOT_FOUND,
          "the pod's projected Kubernetes token " + tokenFile + " is empty");
    }
    return token;
  }
}
