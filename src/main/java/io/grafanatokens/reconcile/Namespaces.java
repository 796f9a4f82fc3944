package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a namespace is being deleted, and its labels (docs/reference.md#delete). Watching every
 * namespace costs one list and one watch for the whole cluster, so a cluster-wide install reads a
 * Namespace informer and makes no call per issue. Where Namespaces may not be listed (an install
 * with namespaced Roles only) it falls back to a short-lived cache of GETs; a refused GET is asked
 * again after a while, and the API server's 403 "being terminated" on any write is the signal.
 */
public final class Namespaces implements AutoCloseable {
  static final Duration CACHE_FOR = Duration.ofSeconds(30);
  static final Duration FORBIDDEN_FOR = Duration.ofMinutes(5);

  /**
   * A namespace seen terminating is looked at again after this: one of the same name may be created
   * again.
   */
  static final Duration TERMINATING_FOR = Duration.ofMinutes(2);

  private static final Logger LOG = LoggerFactory.getLogger(Namespaces.class);

  /** What one GET (or a write's 403) told about a namespace, and when. */
  private record Seen(
      Instant at, boolean terminating, Map<String, String> labels, boolean forbidden) {}

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, Seen> seen = new ConcurrentHashMap<>();
  private volatile SharedIndexInformer<Namespace> informer;

  public Namespaces(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /**
   * Starts watching every namespace; false (and GETs from then on) when the operator may not. Call
   * before the controller starts.
   */
  public boolean watchAll() {
    try {
      SharedIndexInformer<Namespace> i = client.namespaces().inform();
      i.start().toCompletableFuture().get();
      informer = i;
      return true;
    } catch (Exception e) {
      LOG.info(
          "cannot watch Namespaces ({}); a terminating namespace is then known from GETs or from a write "
              + "answered 403",
          e.getMessage());
      if (informer != null) {
        informer.stop();
      }
      informer = null;
      return false;
    }
  }

  public boolean terminating(String namespace) {
    SharedIndexInformer<Namespace> i = informer;
    if (i != null) {
      Namespace n = i.getStore().getByKey(namespace);
      return n != null && isTerminating(n);
    }
    return read(namespace).terminating();
  }

  /** The namespace's labels; empty when they cannot be read. */
  public Optional<Map<String, String>> labels(String namespace) {
    SharedIndexInformer<Namespace> i = informer;
    if (i != null) {
      Namespace n = i.getStore().getByKey(namespace);
      return Optional.ofNullable(n)
          .map(x -> x.getMetadata().getLabels() == null ? Map.of() : x.getMetadata().getLabels());
    }
    Seen s = read(namespace);
    return s.forbidden() ? Optional.empty() : Optional.of(s.labels());
  }

  /** True when reading Namespaces is refused: the caller must provoke the 403 signal itself. */
  public boolean unreadable(String namespace) {
    return informer == null && read(namespace).forbidden();
  }

  /** A write was answered 403 "being terminated": the namespace is going, whatever a GET said. */
  public void sawTerminating(String namespace) {
    seen.put(namespace, new Seen(clock.instant(), true, Map.of(), false));
  }

  private Seen read(String namespace) {
    Instant now = clock.instant();
    Seen s = seen.get(namespace);
    if (s != null && s.terminating() && now.isBefore(s.at().plus(TERMINATING_FOR))) {
      return s;
    }
    if (s != null && now.isBefore(s.at().plus(s.forbidden() ? FORBIDDEN_FOR : CACHE_FOR))) {
      return s;
    }
    Seen fresh;
    try {
      Namespace n = client.namespaces().withName(namespace).get();
      fresh =
          new Seen(
              now,
              n != null && isTerminating(n),
              n == null || n.getMetadata().getLabels() == null
                  ? Map.of()
                  : n.getMetadata().getLabels(),
              false);
    } catch (KubernetesClientException e) {
      // 403 in a namespaced install: asked again later, not remembered forever
      fresh = new Seen(now, false, Map.of(), e.getCode() == 403);
    }
    seen.put(namespace, fresh);
    return fresh;
  }

  private static boolean isTerminating(Namespace n) {
    return n.getMetadata().getDeletionTimestamp() != null
        || (n.getStatus() != null && "Terminating".equals(n.getStatus().getPhase()));
  }

  @Override
  public void close() {
    SharedIndexInformer<Namespace> i = informer;
    if (i != null) {
      i.stop();
    }
  }
}
