package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Credential Secrets read by name (they carry no label of ours, so no informer sees them), shared
 * by every resource that uses them and kept for a few seconds: a thousand resources on one admin
 * Secret reconciled together read it a handful of times, not a thousand. A changed credential is
 * seen within {@link #MAX_AGE}; a 401 drops the cached copy at once.
 */
public final class CredentialSecrets {
  static final Duration MAX_AGE = Duration.ofSeconds(10);

  /** One read: the decoded data (empty when the Secret is absent) and its resourceVersion. */
  record Snapshot(Instant readAt, String version, Optional<Map<String, String>> data) {}

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  CredentialSecrets(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  Snapshot read(String namespace, String name) {
    String key = namespace + "/" + name;
    synchronized (locks.computeIfAbsent(key, k -> new Object())) {
      Snapshot s = snapshots.get(key);
      Instant now = clock.instant();
      if (s != null && now.isBefore(s.readAt().plus(MAX_AGE)) && !s.readAt().isAfter(now)) {
        return s;
      }
      Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
      Snapshot fresh =
          new Snapshot(
              now,
              secret == null ? "absent" : secret.getMetadata().getResourceVersion(),
              Optional.ofNullable(secret).map(CredentialSecrets::decoded));
      snapshots.put(key, fresh);
      return fresh;
    }
  }

  /** The resourceVersion last read, however old; empty when never read. No call. */
  Optional<String> lastVersion(String namespace, String name) {
    return Optional.ofNullable(snapshots.get(namespace + "/" + name)).map(Snapshot::version);
  }

  /** The credential was refused: the next use reads the Secret again. */
  void forget(String namespace, String name) {
    snapshots.remove(namespace + "/" + name);
  }

  private static Map<String, String> decoded(Secret s) {
    Map<String, String> out = new HashMap<>();
    if (s.getData() != null) {
      s.getData().forEach((k, v) -> out.put(k, decode(v)));
    }
    if (s.getStringData() != null) {
      out.putAll(s.getStringData());
    }
    return out;
  }

  private static String decode(String v) {
    try {
      return new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return v;
    }
  }
}
