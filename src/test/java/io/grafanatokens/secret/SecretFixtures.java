package io.grafanatokens.secret;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * Shared values for the Secret tests; hashes and encodings are computed here, not by the code under
 * test.
 */
final class SecretFixtures {
  static final String NS = "team-a";
  static final String UID = "x7k2p9qa-1b2c-4d5e-8f90-123456789abc";
  static final String OTHER_UID = "99999999-0000-4000-8000-000000000000";
  static final String KEY = "glsa_" + "A".repeat(32) + "_0123abcd";
  static final Instant ISSUED = Instant.parse("2026-11-22T10:15:00Z");
  static final Instant EXPIRES = Instant.parse("2026-11-23T10:15:00Z");
  static final String TARGET_HASH = sha256("target");
  static final String LOCATION = sha256("location");

  private SecretFixtures() {}

  static GrafanaServiceAccountToken owner() {
    return owner("dashboards-ci", UID);
  }

  static GrafanaServiceAccountToken owner(String name, String uid) {
    GrafanaServiceAccountToken r = new GrafanaServiceAccountToken();
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).withUid(uid).build());
    return r;
  }

  static OwnerReference controllerRef(String uid) {
    return new OwnerReferenceBuilder()
        .withApiVersion("grafanatokens.io/v1alpha1")
        .withKind("GrafanaServiceAccountToken")
        .withName("someone")
        .withUid(uid)
        .withController(true)
        .build();
  }

  static OwnerReference plainRef(String uid) {
    return new OwnerReferenceBuilder()
        .withApiVersion("v1")
        .withKind("ConfigMap")
        .withName("cm")
        .withUid(uid)
        .build();
  }

  static CurrentToken token() {
    return token("17", KEY);
  }

  static CurrentToken token(String id, String key) {
    return new CurrentToken(
        id, "dashboards-ci-x7k2p9qa-4", "2", ISSUED, EXPIRES, key, TARGET_HASH, LOCATION);
  }

  static SecretLayout layout() {
    return layout("token", null, Map.of(), Map.of());
  }

  static SecretLayout layout(
      String key, String urlKey, Map<String, String> labels, Map<String, String> annotations) {
    return new SecretLayout(
        NS,
        "dashboards-ci",
        key,
        urlKey,
        urlKey == null ? null : "https://grafana.example.com",
        labels,
        annotations);
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static String unb64(String s) {
    return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
