package io.grafanatokens.provider.grafana;

import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.api.v1alpha1.SecretKeyRef;
import io.grafanatokens.api.v1alpha1.Tls;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.provider.SecretLookup;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Builds and caches one {@link HttpClient} per TLS trust setting (system trust, a CA bundle, or
 * trust-all), so that resources sharing a Grafana share connections.
 */
final class GrafanaHttpClients {
  static final String DEFAULT_CA_KEY = "ca.crt";

  /**
   * A handful of distinct CA bundles is normal; more means churn, so start over rather than grow.
   */
  private static final int MAX_CACHED = 32;

  private final Duration connectTimeout;
  private final Map<TrustKey, HttpClient> cache = new ConcurrentHashMap<>();

  GrafanaHttpClients(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  /**
   * The client for spec.grafana.tls, reading the CA Secret through the lookup when one is named.
   */
  HttpClient forTls(Tls tls, SecretLookup secrets) throws PermanentProviderException {
    TrustKey key;
    String caPem = null;
    if (tls != null && Boolean.TRUE.equals(tls.getInsecureSkipVerify())) {
      key = new TrustKey(null, true);
    } else if (tls != null && tls.getCaSecretRef() != null) {
      caPem = readCa(tls.getCaSecretRef(), secrets);
      key = new TrustKey(sha256(caPem), false);
    } else {
      key = new TrustKey(null, false);
    }
    HttpClient cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    HttpClient client = build(key, caPem, tls);
    if (cache.size() >= MAX_CACHED) {
      cache.clear();
    }
    HttpClient raced = cache.putIfAbsent(key, client);
    return raced != null ? raced : client;
  }

  private HttpClient build(TrustKey key, String caPem, Tls tls) throws PermanentProviderException {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            // HTTP/1.1 keeps cleartext Grafana free of h2c upgrade attempts; Grafana serves both.
            .version(HttpClient.Version.HTTP_1_1)
            // A redirect would resend the Authorization header to wherever Grafana points; refuse.
            .followRedirects(HttpClient.Redirect.NEVER);
    try {
      if (key.insecure()) {
        builder.sslContext(trustAllContext());
      } else if (caPem != null) {
        builder.sslContext(caContext(caPem, tls.getCaSecretRef()));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
    }
    return builder.build();
  }

  private static String readCa(SecretKeyRef ref, SecretLookup secrets)
      throws PermanentProviderException {
    String keyName = ref.getKey() == null || ref.getKey().isEmpty() ? DEFAULT_CA_KEY : ref.getKey();
    Optional<Map<String, String>> data = secrets.data(ref.getName());
    if (data.isEmpty()) {
      throw new PermanentProviderException(
          Reasons.CREDENTIALS_NOT_FOUND,
          "CA Secret " + ref.getName() + " (spec.grafana.tls.caSecretRef) not found");
    }
    String pem = data.get().get(keyName);
    if (pem == null || pem.isBlank()) {
      throw new PermanentProviderException(
          Reasons.CREDENTIALS_NOT_FOUND, "CA Secret " + ref.getName() + " has no key " + keyName);
    }
    return pem;
  }

  private static SSLContext caContext(String pem, SecretKeyRef ref)
      throws GeneralSecurityException, PermanentProviderException {
    Collection<? extends Certificate> certs;
    try {
      // generateCertificates reads a concatenated PEM bundle, several certificates in one key.
      certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      certs = List.of();
    }
    if (certs.isEmpty()) {
      // A fixable Secret content problem: re-checked on the CredentialsNotFound schedule.
      throw new PermanentProviderException(
          Reasons.CREDENTIALS_NOT_FOUND,
          "CA Secret " + ref.getName() + " holds no PEM certificate");
    }
    KeyStore store;
    try {
      store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    int i = 0;
    for (Certificate cert : certs) {
      store.setCertificateEntry("ca-" + i++, cert);
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  /**
   * Trusts every certificate. Because this is an X509ExtendedTrustManager, JSSE leaves the hostname
   * check to it (the JDK client's endpoint identification runs inside checkServerTrusted), so host
   * names are not verified either, per client, without the global
   * jdk.internal.httpclient.disableHostnameVerification property.
   */
  private static SSLContext trustAllContext() throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new TrustAll()}, null);
    return context;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private record TrustKey(String caSha256, boolean insecure) {}

  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
