package io.grafanatokens.secret;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.grafanatokens.api.v1alpha1.PendingRevocation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a Secret says about the token consumers hold: parsed from its annotations and data. The
 * Secret is the record; status is only a cache of it.
 */
public final class TokenSecretState {
  /** How the Secret relates to the resource. */
  public enum Ownership {
    /** No Secret of that name. */
    ABSENT,
    /** Controlled by this resource. */
    OWNED,
    /** Managed-by label and no controller (left by Retain): may be adopted. */
    ADOPTABLE,
    /** Someone else's: never overwritten. */
    FOREIGN
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Secret secret;
  private final Ownership ownership;
  private final Map<String, String> annotations;
  private final AppliedMetadata applied;
  private final String key;

  private TokenSecretState(Secret secret, Ownership ownership, String defaultKey) {
    this.secret = secret;
    this.ownership = ownership;
    this.annotations =
        secret == null || secret.getMetadata().getAnnotations() == null
            ? Map.of()
            : secret.getMetadata().getAnnotations();
    this.applied = parseApplied(annotations.get(SecretAnnotations.APPLIED_METADATA));
    // applied-metadata names the data key; when another tool dropped the annotation, the key is
    // where the spec says it is (a missing annotation is no reason to rotate)
    this.key =
        secret == null ? null : decode(secret, applied.key() != null ? applied.key() : defaultKey);
  }

  public static TokenSecretState absent() {
    return new TokenSecretState(null, Ownership.ABSENT, null);
  }

  /**
   * Someone else's Secret known to be at the name but not read this time (the cache cannot see it).
   */
  public static TokenSecretState foreign() {
    return new TokenSecretState(null, Ownership.FOREIGN, null);
  }

  /** The state as this resource sees it, the key read from applied-metadata's data key. */
  public static TokenSecretState of(Secret secret, String ownerUid) {
    return of(secret, ownerUid, null);
  }

  /**
   * @param defaultKey the data key to read the key from when applied-metadata is missing
   *     (spec.secret.key after defaulting)
   */
  public static TokenSecretState of(Secret secret, String ownerUid, String defaultKey) {
    if (secret == null) {
      return absent();
    }
    Optional<OwnerReference> controller = controllerOf(secret);
    Ownership o;
    if (controller.isPresent()) {
      o = ownerUid.equals(controller.get().getUid()) ? Ownership.OWNED : Ownership.FOREIGN;
    } else {
      o = isManaged(secret) ? Ownership.ADOPTABLE : Ownership.FOREIGN;
    }
    return new TokenSecretState(secret, o, defaultKey);
  }

  public static boolean isManaged(Secret s) {
    Map<String, String> labels = s.getMetadata().getLabels();
    return labels != null
        && SecretAnnotations.MANAGED_BY_VALUE.equals(
            labels.get(SecretAnnotations.MANAGED_BY_LABEL));
  }

  static Optional<OwnerReference> controllerOf(Secret s) {
    List<OwnerReference> refs = s.getMetadata().getOwnerReferences();
    return refs == null
        ? Optional.empty()
        : refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
  }

  public Optional<Secret> secret() {
    return Optional.ofNullable(secret);
  }

  public Ownership ownership() {
    return ownership;
  }

  public boolean exists() {
    return secret != null;
  }

  public AppliedMetadata applied() {
    return applied;
  }

  /** The token the Secret records, when its annotations and data say which one it holds. */
  public Optional<CurrentToken> current() {
    String id = annotations.get(SecretAnnotations.TOKEN_ID);
    if (secret == null || id == null || key == null) {
      return Optional.empty();
    }
    return Optional.of(
        new CurrentToken(
            id,
            annotations.get(SecretAnnotations.TOKEN_NAME),
            annotations.get(SecretAnnotations.SERVICE_ACCOUNT_ID),
            instant(SecretAnnotations.ISSUED_AT),
            instant(SecretAnnotations.EXPIRES_AT),
            key,
            annotations.get(SecretAnnotations.TARGET_HASH),
            annotations.get(SecretAnnotations.LOCATION)));
  }

  /**
   * A token id is recorded but the key is gone or differs from key-sha256. A missing key-sha256
   * annotation is no edit (another tool may strip annotations; the next write restores it).
   */
  public boolean keyEdited() {
    if (secret == null || annotations.get(SecretAnnotations.TOKEN_ID) == null) {
      return false;
    }
    String recorded = annotations.get(SecretAnnotations.KEY_SHA256);
    return key == null || (recorded != null && !recorded.equals(Hashing.sha256Hex(key)));
  }

  public Optional<String> recordedTargetHash() {
    return Optional.ofNullable(annotations.get(SecretAnnotations.TARGET_HASH));
  }

  /**
   * Where the Secret's token was issued; empty when it was written before locations were recorded.
   */
  public Optional<String> recordedLocation() {
    return Optional.ofNullable(annotations.get(SecretAnnotations.LOCATION));
  }

  /** The uid of the Secret's controller owner, if any. */
  public static Optional<String> controllerUid(Secret s) {
    return controllerOf(s).map(OwnerReference::getUid);
  }

  /**
   * The keys a Secret is indexed under to answer "does a Secret hold this token?": its token id on
   * its service account, and the hash prefix that names a value-only (Yandex) token.
   */
  public static List<String> holderKeys(Secret s) {
    Map<String, String> a = s.getMetadata().getAnnotations();
    if (a == null || a.get(SecretAnnotations.TOKEN_ID) == null) {
      return List.of();
    }
    List<String> keys = new java.util.ArrayList<>();
    keys.add(
        idHolderKey(
            a.get(SecretAnnotations.SERVICE_ACCOUNT_ID), a.get(SecretAnnotations.TOKEN_ID)));
    String hash = a.get(SecretAnnotations.KEY_SHA256);
    if (hash != null && hash.length() >= 16) {
      keys.add(valueHolderKey(hash.substring(0, 16)));
    }
    return keys;
  }

  /**
   * The index key that finds the Secrets holding a token: by id on its account, or — where tokens
   * are bare values (a {@code sha256:} handle) — by the hash of the value.
   */
  public static String holderKey(boolean tokensHaveIds, String serviceAccountId, String tokenId) {
    return tokensHaveIds
        ? idHolderKey(serviceAccountId, tokenId)
        : valueHolderKey(tokenId.substring(tokenId.indexOf(':') + 1));
  }

  /** The index key of a token by id on its service account. */
  public static String idHolderKey(String serviceAccountId, String tokenId) {
    return "id:" + serviceAccountId + "/" + tokenId;
  }

  /** The index key of a token by the first 16 hex digits of the SHA-256 of its value. */
  public static String valueHolderKey(String hashPrefix) {
    return "key:" + hashPrefix;
  }

  /** The recorded token id, even when its key was edited. */
  public Optional<String> recordedTokenId() {
    return Optional.ofNullable(annotations.get(SecretAnnotations.TOKEN_ID));
  }

  public Optional<String> recordedServiceAccountId() {
    return Optional.ofNullable(annotations.get(SecretAnnotations.SERVICE_ACCOUNT_ID));
  }

  public Optional<String> recordedTokenName() {
    return Optional.ofNullable(annotations.get(SecretAnnotations.TOKEN_NAME));
  }

  public Optional<String> rotateRequest() {
    return Optional.ofNullable(annotations.get(SecretAnnotations.ROTATE_REQUEST));
  }

  public List<PendingRevocation> pendingRevocations() {
    return parsePending(annotations.get(SecretAnnotations.PENDING_REVOCATIONS));
  }

  /** A copy of the Secret without the pending-revocations annotation. */
  public static Secret withoutPending(Secret s) {
    Secret c = new io.fabric8.kubernetes.api.model.SecretBuilder(s).build();
    if (c.getMetadata().getAnnotations() != null) {
      Map<String, String> a = new java.util.LinkedHashMap<>(c.getMetadata().getAnnotations());
      a.remove(SecretAnnotations.PENDING_REVOCATIONS);
      c.getMetadata().setAnnotations(a);
    }
    return c;
  }

  private Instant instant(String name) {
    String v = annotations.get(name);
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static String decode(Secret s, String dataKey) {
    if (dataKey == null) {
      return null;
    }
    if (s.getData() != null && s.getData().get(dataKey) != null) {
      try {
        return new String(
            Base64.getDecoder().decode(s.getData().get(dataKey)), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    // a real API server merges stringData into data; the CRUD mock does not
    return s.getStringData() == null ? null : s.getStringData().get(dataKey);
  }

  static AppliedMetadata parseApplied(String json) {
    if (json == null) {
      return AppliedMetadata.NONE;
    }
    try {
      return JSON.readValue(json, AppliedMetadata.class);
    } catch (Exception e) {
      return AppliedMetadata.NONE;
    }
  }

  public static List<PendingRevocation> parsePending(String json) {
    if (json == null || json.isBlank()) {
      return List.of();
    }
    try {
      return JSON.readValue(json, new TypeReference<List<PendingRevocation>>() {});
    } catch (Exception e) {
      return List.of();
    }
  }
}
