package io.grafanatokens.secret;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.grafanatokens.api.v1alpha1.PendingRevocation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the Secret the operator wants, from the Secret that exists (others' data and metadata are
 * kept). Pure: choosing which token goes in is the caller's decision.
 */
public final class TokenSecrets {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TokenSecrets() {}

  /**
   * The desired Secret.
   *
   * @param existing the Secret as it is, or null
   * @param owner the controller owner, or null to write it without one
   * @param rotateRequest the rotate annotation value acted on, or null
   */
  public static Secret desired(
      Secret existing,
      SecretLayout layout,
      HasMetadata owner,
      CurrentToken token,
      List<PendingRevocation> pending,
      String rotateRequest) {
    Secret s =
        existing == null
            ? new SecretBuilder()
                .withNewMetadata()
                .withName(layout.name())
                .withNamespace(layout.namespace())
                .endMetadata()
                .withType("Opaque")
                .build()
            : new SecretBuilder(existing).build();
    ObjectMeta meta = s.getMetadata();
    meta.setName(layout.name());
    meta.setNamespace(layout.namespace());
    AppliedMetadata before =
        TokenSecretState.parseApplied(
            meta.getAnnotations() == null
                ? null
                : meta.getAnnotations().get(SecretAnnotations.APPLIED_METADATA));

    Map<String, String> data = new LinkedHashMap<>(s.getData() == null ? Map.of() : s.getData());
    remove(data, before.key(), layout.key(), layout.urlKey());
    remove(data, before.urlKey(), layout.key(), layout.urlKey());
    data.put(layout.key(), b64(token.key()));
    if (layout.urlKey() != null && layout.urlValue() != null) {
      data.put(layout.urlKey(), b64(layout.urlValue()));
    }
    s.setData(data);
    s.setStringData(null);

    Map<String, String> labels =
        new LinkedHashMap<>(meta.getLabels() == null ? Map.of() : meta.getLabels());
    before.labels().stream().filter(k -> !layout.labels().containsKey(k)).forEach(labels::remove);
    labels.putAll(layout.labels());
    labels.put(SecretAnnotations.MANAGED_BY_LABEL, SecretAnnotations.MANAGED_BY_VALUE);
    meta.setLabels(labels);

    Map<String, String> ann =
        new LinkedHashMap<>(meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
    before.annotations().stream()
        .filter(k -> !layout.annotations().containsKey(k))
        .forEach(ann::remove);
    ann.putAll(layout.annotations());
    ann.put(SecretAnnotations.TOKEN_ID, token.tokenId());
    putOrRemove(ann, SecretAnnotations.TOKEN_NAME, token.tokenName());
    putOrRemove(ann, SecretAnnotations.SERVICE_ACCOUNT_ID, token.serviceAccountId());
    putOrRemove(
        ann,
        SecretAnnotations.ISSUED_AT,
        token.issuedAt() == null ? null : token.issuedAt().toString());
    putOrRemove(
        ann,
        SecretAnnotations.EXPIRES_AT,
        token.expiresAt() == null ? null : token.expiresAt().toString());
    ann.put(SecretAnnotations.KEY_SHA256, Hashing.sha256Hex(token.key()));
    putOrRemove(ann, SecretAnnotations.TARGET_HASH, token.targetHash());
    putOrRemove(ann, SecretAnnotations.LOCATION, token.location());
    putOrRemove(
        ann,
        SecretAnnotations.PENDING_REVOCATIONS,
        pending == null || pending.isEmpty() ? null : json(pending));
    putOrRemove(ann, SecretAnnotations.ROTATE_REQUEST, rotateRequest);
    ann.put(
        SecretAnnotations.APPLIED_METADATA,
        json(
            new AppliedMetadata(
                new ArrayList<>(layout.labels().keySet()),
                new ArrayList<>(layout.annotations().keySet()),
                layout.key(),
                layout.urlKey())));
    meta.setAnnotations(ann);

    meta.setOwnerReferences(
        owner == null
            ? meta.getOwnerReferences()
            : withController(meta.getOwnerReferences(), owner));
    return s;
  }

  /** The Secret without this resource's owner reference (Retain: it stays for consumers). */
  public static Secret released(Secret existing, String ownerUid) {
    Secret s = new SecretBuilder(existing).build();
    s.getMetadata()
        .setOwnerReferences(withoutController(s.getMetadata().getOwnerReferences(), ownerUid));
    return s;
  }

  /** True when writing {@code desired} over {@code existing} would change nothing. */
  public static boolean sameContent(Secret existing, Secret desired) {
    if (existing == null) {
      return false;
    }
    return eq(existing.getData(), desired.getData())
        && eq(existing.getMetadata().getLabels(), desired.getMetadata().getLabels())
        && eq(existing.getMetadata().getAnnotations(), desired.getMetadata().getAnnotations())
        && eqList(
            existing.getMetadata().getOwnerReferences(),
            desired.getMetadata().getOwnerReferences());
  }

  private static boolean eq(Map<String, String> a, Map<String, String> b) {
    return (a == null || a.isEmpty()) ? (b == null || b.isEmpty()) : a.equals(b);
  }

  private static boolean eqList(List<OwnerReference> a, List<OwnerReference> b) {
    return (a == null || a.isEmpty()) ? (b == null || b.isEmpty()) : a.equals(b);
  }

  private static List<OwnerReference> withController(List<OwnerReference> refs, HasMetadata owner) {
    List<OwnerReference> out = new ArrayList<>();
    if (refs != null) {
      refs.stream().filter(r -> !owner.getMetadata().getUid().equals(r.getUid())).forEach(out::add);
    }
    out.add(
        new OwnerReferenceBuilder()
            .withApiVersion(owner.getApiVersion())
            .withKind(owner.getKind())
            .withName(owner.getMetadata().getName())
            .withUid(owner.getMetadata().getUid())
            .withController(true)
            .withBlockOwnerDeletion(false)
            .build());
    return out;
  }

  private static List<OwnerReference> withoutController(List<OwnerReference> refs, String uid) {
    List<OwnerReference> out = new ArrayList<>();
    if (refs != null) {
      refs.stream().filter(r -> uid != null && !uid.equals(r.getUid())).forEach(out::add);
    }
    return out;
  }

  private static void remove(Map<String, String> data, String key, String keep1, String keep2) {
    if (key != null && !key.equals(keep1) && !key.equals(keep2)) {
      data.remove(key);
    }
  }

  private static void putOrRemove(Map<String, String> m, String k, String v) {
    if (v == null) {
      m.remove(k);
    } else {
      m.put(k, v);
    }
  }

  static String b64(String v) {
    return Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8));
  }

  static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
