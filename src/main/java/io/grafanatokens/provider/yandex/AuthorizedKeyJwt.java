package io.grafanatokens.provider.yandex;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.provider.PermanentProviderException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

/**
 * The PS256-signed JWT an authorized key is exchanged with at POST /iam/v1/tokens
 * (docs/provider-apis.md#yandex-authorized-key): header kid = the key id, claims iss = the key's
 * service account, aud = IAM's token URL.
 */
final class AuthorizedKeyJwt {
  /** IAM checks this exact audience whatever host the request goes to. */
  static final String AUDIENCE = "https://iam.api.cloud.yandex.net/iam/v1/tokens";

  /**
   * IAM accepts at most one hour; the JWT is exchanged at once, so a short one is enough and is of
   * little use to anyone who sees it later.
   */
  static final Duration LIFETIME = Duration.ofMinutes(10);

  private AuthorizedKeyJwt() {}

  static String sign(AuthorizedKey key, Instant now, String where)
      throws PermanentProviderException {
    Instant iat = now.truncatedTo(ChronoUnit.SECONDS);
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.PS256).keyID(key.id()).type(JOSEObjectType.JWT).build();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(key.serviceAccountId())
            .audience(AUDIENCE)
            .issueTime(Date.from(iat))
            .expirationTime(Date.from(iat.plus(LIFETIME)))
            .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(new RSASSASigner(key.privateKey()));
    } catch (JOSEException | IllegalArgumentException e) {
      // e.g. an RSA key shorter than 2048 bits; the message names no key material
      throw new PermanentProviderException(
          Reasons.CREDENTIALS_NOT_FOUND, where + " cannot sign a PS256 JWT: " + e.getMessage());
    }
    return jwt.serialize();
  }
}
