package io.grafanatokens.provider.yandex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.fakes.yandex.AuthorizedKeyFile;
import io.grafanatokens.fakes.yandex.FakeYandexIam;
import io.grafanatokens.provider.PermanentProviderException;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The key file (marker line, both spellings) and the PS256 JWT built from it, checked with the JDK
 * alone.
 */
class YandexAuthorizedKeyTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static FakeYandexIam iam;
  static AuthorizedKeyFile file;

  @BeforeAll
  static void generateKey() {
    iam = FakeYandexIam.start();
    iam.addServiceAccount("ajeoperator000000000");
    file = iam.createAuthorizedKey("ajeoperator000000000");
  }

  @AfterAll
  static void stop() {
    iam.close();
  }

  @Test
  void readsTheKeyFileOfYcIamKeyCreateWithItsMarkerLine() throws Exception {
    assertThat(JSON.readTree(file.json()).path("private_key").asText())
        .startsWith(
            "PLEASE DO NOT REMOVE THIS LINE! Yandex.Cloud SA Key ID <"
                + file.keyId()
                + ">\n-----BEGIN");
    AuthorizedKey key = AuthorizedKey.parse(file.json(), "Secret s key k");
    assertThat(key.id()).isEqualTo(file.keyId());
    assertThat(key.serviceAccountId()).isEqualTo("ajeoperator000000000");
    assertThat(key.fingerprint()).matches("[0-9a-f]{64}");
    assertThat(key.toString()).doesNotContain("MII").contains("privateKey=***");
    assertThat(AuthorizedKey.parse(file.camelCaseJson(), "Secret s key k").fingerprint())
        .isEqualTo(key.fingerprint());
  }

  @Test
  void rejectsWhatIsNotAnAuthorizedKeyNamingTheProblem() throws Exception {
    ObjectNode pkcs1 = (ObjectNode) JSON.readTree(file.json());
    pkcs1.put(
        "private_key", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    assertThat(problem(pkcs1.toString())).contains("PKCS#1").contains("openssl pkcs8 -topk8");

    ObjectNode noAccount = (ObjectNode) JSON.readTree(file.json());
    noAccount.remove("service_account_id");
    assertThat(problem(noAccount.toString()))
        .contains("has no field service_account_id (or serviceAccountId)");

    ObjectNode garbage = (ObjectNode) JSON.readTree(file.json());
    garbage.put(
        "private_key", "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
    assertThat(problem(garbage.toString())).contains("not an RSA private key in PKCS#8");

    assertThat(problem("[1, 2]")).contains("is not a JSON object");
  }

  @Test
  void signsAPs256JwtThatTheJdksRsassaPssVerifies() throws Exception {
    AuthorizedKey key = AuthorizedKey.parse(file.json(), "Secret s key k");
    Instant now = Instant.parse("2026-11-22T10:00:00.750Z");
    String jwt = AuthorizedKeyJwt.sign(key, now, "Secret s key k");
    String[] parts = jwt.split("\\.");
    assertThat(parts).hasSize(3);

    JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
    assertThat(header.path("alg").asText()).isEqualTo("PS256");
    assertThat(header.path("kid").asText()).isEqualTo(file.keyId());
    assertThat(header.path("typ").asText()).isEqualTo("JWT");

    JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    assertThat(claims.path("iss").asText()).isEqualTo("ajeoperator000000000");
    assertThat(claims.path("aud").isTextual()).isTrue();
    assertThat(claims.path("aud").asText())
        .isEqualTo("https://iam.api.cloud.yandex.net/iam/v1/tokens");
    assertThat(claims.path("iat").asLong()).isEqualTo(now.getEpochSecond());
    assertThat(claims.path("exp").asLong() - claims.path("iat").asLong())
        .isPositive()
        .isLessThanOrEqualTo(3600);

    // RFC 7518 3.5: RSASSA-PSS, SHA-256, MGF1 with SHA-256, salt length 32
    Signature pss = Signature.getInstance("RSASSA-PSS");
    pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    pss.initVerify(file.publicKey());
    pss.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(pss.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
  }

  private static String problem(String json) {
    PermanentProviderException e =
        catchThrowableOfType(
            PermanentProviderException.class, () -> AuthorizedKey.parse(json, "Secret s key k"));
    assertThat(e).isNotNull();
    assertThat(e.reason()).isEqualTo(Reasons.CREDENTIALS_NOT_FOUND);
    assertThat(e.getMessage())
        .startsWith("Secret s key k ")
        .doesNotContain("AAAA")
        .doesNotContain("bm90");
    return e.getMessage();
  }
}
