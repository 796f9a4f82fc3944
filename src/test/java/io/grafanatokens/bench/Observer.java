package io.grafanatokens.bench;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenStatus;
import io.grafanatokens.secret.SecretAnnotations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watches the benchmark's resources and their Secrets (one informer each: a list and a watch, not a
 * get per resource) and notes, on the harness's clock, when each resource became Ready and when
 * each Secret received a new token.
 */
final class Observer implements AutoCloseable {
  /**
   * A Secret moved from one token to the next; {@code due} is the renewalTime status gave for the
   * old one.
   */
  record Rotation(
      String resource, String fromTokenId, String toTokenId, Instant observed, Instant due) {
    Duration lateness() {
      return Duration.between(due, observed);
    }
  }

  private final Map<String, Instant> readyAt = new ConcurrentHashMap<>();

  /**
   * resource → status.tokenId → status.renewalTime, kept for every token (watch streams may
   * reorder).
   */
  private final Map<String, Map<String, Instant>> renewalByToken = new ConcurrentHashMap<>();

  private final Map<String, GrafanaServiceAccountTokenStatus> latestStatus =
      new ConcurrentHashMap<>();
  private final Map<String, String> tokenInSecret = new ConcurrentHashMap<>();
  private final List<Rotation> rotations = new CopyOnWriteArrayList<>();
  private final List<String> unmatchedRotations = new CopyOnWriteArrayList<>();
  private final SharedIndexInformer<GrafanaServiceAccountToken> resources;
  private final SharedIndexInformer<Secret> secrets;

  Observer(KubernetesClient client, String namespace) {
    resources =
        client
            .resources(GrafanaServiceAccountToken.class)
            .inNamespace(namespace)
            .inform(handler(this::onResource));
    secrets =
        client
            .secrets()
            .inNamespace(namespace)
            .withLabel(SecretAnnotations.MANAGED_BY_LABEL, SecretAnnotations.MANAGED_BY_VALUE)
            .inform(handler(this::onSecret));
  }

  private static <T> ResourceEventHandler<T> handler(java.util.function.Consumer<T> onChange) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        onChange.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        onChange.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {}
    };
  }

  private void onResource(GrafanaServiceAccountToken r) {
    Instant now = Instant.now();
    GrafanaServiceAccountTokenStatus s = r.getStatus();
    if (s == null) {
      return;
    }
    String name = r.getMetadata().getName();
    latestStatus.put(name, s);
    if (s.getTokenId() != null && s.getRenewalTime() != null) {
      renewalByToken
          .computeIfAbsent(name, k -> new ConcurrentHashMap<>())
          .putIfAbsent(s.getTokenId(), Instant.parse(s.getRenewalTime()));
    }
    if (s.getConditions() != null
        && s.getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))) {
      readyAt.putIfAbsent(name, now);
    }
  }

  private void onSecret(Secret s) {
    Instant now = Instant.now();
    Map<String, String> a = s.getMetadata().getAnnotations();
    String id = a == null ? null : a.get(SecretAnnotations.TOKEN_ID);
    if (id == null) {
      return;
    }
    // the benchmark's resources leave spec.secret.name unset: the Secret has the resource's name
    String name = s.getMetadata().getName();
    String previous = tokenInSecret.put(name, id);
    if (previous == null || previous.equals(id)) {
      return;
    }
    Instant due = renewalByToken.getOrDefault(name, Map.of()).get(previous);
    if (due == null) {
      unmatchedRotations.add(name + ": " + previous + " → " + id);
    } else {
      rotations.add(new Rotation(name, previous, id, now, due));
    }
  }

  int readyCount() {
    return readyAt.size();
  }

  /** The instants the resources first showed Ready=True, earliest first. */
  List<Instant> readyTimes() {
    List<Instant> t = new ArrayList<>(readyAt.values());
    t.sort(null);
    return t;
  }

  List<Rotation> rotations() {
    return List.copyOf(rotations);
  }

  /** Rotations whose previous token's renewalTime the harness never saw in status. */
  List<String> unmatchedRotations() {
    return List.copyOf(unmatchedRotations);
  }

  Collection<GrafanaServiceAccountTokenStatus> statuses() {
    return latestStatus.values();
  }

  /** Every resource has rotated {@code times} times and revoked the tokens it replaced. */
  boolean allRotated(int expectedResources, int times) {
    if (latestStatus.size() < expectedResources) {
      return false;
    }
    return latestStatus.values().stream()
        .allMatch(
            s ->
                s.getRotationCount() != null
                    && s.getRotationCount() >= 1 + times
                    && (s.getPendingRevocations() == null || s.getPendingRevocations().isEmpty()));
  }

  static boolean ready(GrafanaServiceAccountTokenStatus s) {
    List<Condition> c = s == null ? null : s.getConditions();
    return c != null
        && c.stream().anyMatch(x -> "Ready".equals(x.getType()) && "True".equals(x.getStatus()));
  }

  @Override
  public void close() {
    resources.close();
    secrets.close();
  }
}
