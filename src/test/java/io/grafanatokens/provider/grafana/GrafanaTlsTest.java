package io.grafanatokens.provider.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grafanatokens.api.v1alpha1.CredentialsSecretRef;
import io.grafanatokens.api.v1alpha1.GrafanaProvider;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.api.v1alpha1.SecretKeyRef;
import io.grafanatokens.api.v1alpha1.ServiceAccountRef;
import io.grafanatokens.api.v1alpha1.Tls;
import io.grafanatokens.fakes.grafana.FakeGrafana;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.provider.SecretLookup;
import io.grafanatokens.provider.SessionPurpose;
import io.grafanatokens.provider.TransientProviderException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrafanaTlsTest {
  @TempDir static Path dir;
  private static TestCertificates forIp;
  private static TestCertificates forOtherHost;
  private static FakeGrafana matching;
  private static FakeGrafana mismatched;

  private final Map<String, Map<String, String>> secrets = new HashMap<>();
  private final SecretLookup lookup = name -> Optional.ofNullable(secrets.get(name));
  private final GrafanaTokenProvider provider =
      new GrafanaTokenProvider(Duration.ofSeconds(5), Clock.systemUTC());

  @BeforeAll
  static void start() throws Exception {
    forIp = TestCertificates.selfSigned(dir, "ip:127.0.0.1");
    forOtherHost = TestCertificates.selfSigned(dir, "dns:other.example");
    matching = FakeGrafana.builder().https(forIp.serverContext).start();
    mismatched = FakeGrafana.builder().https(forOtherHost.serverContext).start();
  }

  @AfterAll
  static void stop() {
    matching.close();
    mismatched.close();
  }

  @Test
  void trustsTheCaFromTheSecret() throws Exception {
    secrets.put("ca", Map.of("ca.crt", forOtherHost.pem + forIp.pem));
    GrafanaServiceAccountTokenSpec spec = spec(matching, tls(new SecretKeyRef("ca", null), null));
    var session = provider.open(spec, lookup, SessionPurpose.ISSUE);
    assertThat(matching.authenticates(session.create("t1", Duration.ofMinutes(5)).key())).isTrue();
  }

  @Test
  void withoutTheCaTheHandshakeFailsTransiently() {
    TransientProviderException e =
        catchThrowableOfType(
            TransientProviderException.class,
            () -> provider.open(spec(matching, null), lookup, SessionPurpose.ISSUE).list());
    assertThat(e.reason()).isEqualTo(Reasons.PROVIDER_ERROR);
    assertThat(e.getMessage()).contains("TLS");
  }

  @Test
  void theCaDoesNotExcuseAWrongHostName() {
    secrets.put("ca", Map.of("bundle.pem", forOtherHost.pem));
    TransientProviderException e =
        catchThrowableOfType(
            TransientProviderException.class,
            () ->
                provider
                    .open(
                        spec(mismatched, tls(new SecretKeyRef("ca", "bundle.pem"), null)),
                        lookup,
                        SessionPurpose.ISSUE)
                    .list());
    assertThat(e.getMessage()).contains("TLS");
  }

  @Test
  void insecureSkipVerifySkipsTrustAndHostNameForThisClientOnly() throws Exception {
    var session = provider.open(spec(mismatched, tls(null, true)), lookup, SessionPurpose.ISSUE);
    assertThat(mismatched.authenticates(session.create("t2", Duration.ofMinutes(5)).key()))
        .isTrue();
    // The same provider still verifies for resources without the flag.
    assertThat(
            catchThrowableOfType(
                TransientProviderException.class,
                () -> provider.open(spec(mismatched, null), lookup, SessionPurpose.ISSUE).list()))
        .isNotNull();
  }

  @Test
  void missingCaSecretOrKeyOrPemIsCredentialsNotFound() {
    PermanentProviderException noSecret =
        catchThrowableOfType(
            PermanentProviderException.class,
            () ->
                provider.open(
                    spec(matching, tls(new SecretKeyRef("absent", null), null)),
                    lookup,
                    SessionPurpose.ISSUE));
    assertThat(noSecret.reason()).isEqualTo(Reasons.CREDENTIALS_NOT_FOUND);
    assertThat(noSecret.getMessage()).contains("absent");

    secrets.put("ca", Map.of("other", "x"));
    PermanentProviderException noKey =
        catchThrowableOfType(
            PermanentProviderException.class,
            () ->
                provider.open(
                    spec(matching, tls(new SecretKeyRef("ca", null), null)),
                    lookup,
                    SessionPurpose.ISSUE));
    assertThat(noKey.reason()).isEqualTo(Reasons.CREDENTIALS_NOT_FOUND);
    assertThat(noKey.getMessage()).contains("ca.crt");

    secrets.put("ca", Map.of("ca.crt", "not a certificate"));
    PermanentProviderException garbage =
        catchThrowableOfType(
            PermanentProviderException.class,
            () ->
                provider.open(
                    spec(matching, tls(new SecretKeyRef("ca", null), null)),
                    lookup,
                    SessionPurpose.ISSUE));
    assertThat(garbage.reason()).isEqualTo(Reasons.CREDENTIALS_NOT_FOUND);
  }

  private GrafanaServiceAccountTokenSpec spec(FakeGrafana target, Tls tls) {
    long sa = target.createServiceAccount(1, "sa-" + System.nanoTime(), "Viewer");
    secrets.put("admin", Map.of("token", target.mintAdminToken(1)));
    CredentialsSecretRef credentials = new CredentialsSecretRef();
    credentials.setName("admin");
    ServiceAccountRef account = new ServiceAccountRef();
    account.setId(sa);
    GrafanaProvider grafana = new GrafanaProvider();
    grafana.setUrl(target.baseUrl());
    grafana.setCredentialsSecretRef(credentials);
    grafana.setServiceAccount(account);
    grafana.setTls(tls);
    GrafanaServiceAccountTokenSpec spec = new GrafanaServiceAccountTokenSpec();
    spec.setGrafana(grafana);
    return spec;
  }

  private static Tls tls(SecretKeyRef ca, Boolean insecure) {
    Tls tls = new Tls();
    tls.setCaSecretRef(ca);
    tls.setInsecureSkipVerify(insecure);
    return tls;
  }
}
