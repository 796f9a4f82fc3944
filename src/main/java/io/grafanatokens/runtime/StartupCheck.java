package io.grafanatokens.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before the controller starts: can the operator list its resources where it will watch them? Each
 * failure is one line that names the cause and the fix; the check retries until it passes or the
 * startup timeout runs out, so a CRD applied a few seconds after the operator (GitOps order) is
 * fine, and a cluster that will never work ends the process with that line as its last log (a
 * Deployment shows CrashLoopBackOff) instead of informer stack traces every few seconds.
 */
final class StartupCheck {
  private static final Logger LOG = LoggerFactory.getLogger(StartupCheck.class);
  static final String CRD_MISSING =
      "the GrafanaServiceAccountToken CRD is not installed: kubectl apply -k crds/";
  private static final String RESOURCE = HasMetadata.getPlural(GrafanaServiceAccountToken.class);

  /** Between probes: 2 s, or less for a short timeout so that it still gets several tries. */
  private static final Duration MAX_RETRY_INTERVAL = Duration.ofSeconds(2);

  private final Config config;
  private final Set<String> namespaces;
  private final boolean inCluster;

  StartupCheck(KubernetesClient client, Set<String> namespaces, boolean inCluster) {
    // one probe must stay short: the client's own retries (10 by default, exponential) would
    // outlast the whole startup timeout on a refused connection
    this.config =
        new ConfigBuilder(client.getConfiguration())
            .withRequestRetryBackoffLimit(0)
            .withConnectionTimeout(5_000)
            .withRequestTimeout(10_000)
            .build();
    this.namespaces = namespaces;
    this.inCluster = inCluster;
  }

  /**
   * Probes until the resources can be listed or {@code timeout} has passed. Each new problem is
   * logged once, without a stack trace.
   *
   * @return empty when the operator can start, else the last problem
   */
  Optional<String> await(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = null;
    try (KubernetesClient probe = new KubernetesClientBuilder().withConfig(config).build()) {
      while (true) {
        Optional<String> problem = problem(probe);
        if (problem.isEmpty()) {
          if (last != null) {
            LOG.info("the Kubernetes API answers and the CRD is installed: starting");
          }
          return Optional.empty();
        }
        if (!problem.get().equals(last)) {
          last = problem.get();
          LOG.warn("{} (retrying for up to {}s)", last, timeout.toSeconds());
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return problem;
        }
        try {
          long interval =
              Math.min(MAX_RETRY_INTERVAL.toMillis(), Math.max(50, timeout.toMillis() / 5));
          Thread.sleep(Math.min(interval, Math.max(1, left / 1_000_000)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return problem;
        }
      }
    }
  }

  /** One probe: a list of at most one resource in each place the controller will watch. */
  Optional<String> problem(KubernetesClient probe) {
    List<String> places = namespaces.isEmpty() ? List.of("") : new ArrayList<>(namespaces);
    for (String ns : places) {
      try {
        var resources = probe.resources(GrafanaServiceAccountToken.class);
        var options = new ListOptionsBuilder().withLimit(1L).build();
        if (ns.isEmpty()) {
          resources.inAnyNamespace().list(options);
        } else {
          resources.inNamespace(ns).list(options);
        }
      } catch (KubernetesClientException e) {
        return Optional.of(describe(e, ns));
      }
    }
    return Optional.empty();
  }

  private String describe(KubernetesClientException e, String ns) {
    String api = config.getMasterUrl();
    String where = ns.isEmpty() ? "in all namespaces" : "in namespace " + ns;
    if (e.getCode() <= 0) { // no HTTP answer at all (fabric8 says -1 or 0)
      return "cannot reach the Kubernetes API at " + api + ": " + reason(e) + "; " + fix();
    }
    return switch (e.getCode()) {
      // what an API server answers for a resource type it does not serve
      case 404 -> CRD_MISSING;
      case 401 ->
          "the Kubernetes API at " + api + " rejected the operator's credentials (401); " + fix();
      case 403 ->
          "the operator may not list "
              + RESOURCE
              + " "
              + where
              + " (403): "
              + statusMessage(e)
              + "; apply its RBAC: kubectl apply -k deploy/";
      default ->
          "the Kubernetes API at "
              + api
              + " answered "
              + e.getCode()
              + " to a list of "
              + RESOURCE
              + " "
              + where
              + ": "
              + statusMessage(e);
    };
  }

  private String fix() {
    return inCluster
        ? "check the pod's network access to the API server (NetworkPolicy, KUBERNETES_SERVICE_HOST)"
        : "check KUBECONFIG";
  }

  private static String statusMessage(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage();
    }
    return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
  }

  /**
   * The cause in a few words. The JDK's exceptions often carry no message, and an unknown host
   * arrives as a ConnectException caused by an UnresolvedAddressException: the most specific cause
   * anywhere in the chain wins.
   */
  static String reason(Throwable e) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    for (Throwable t : chain) {
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return t.getMessage() == null ? "unknown host" : "unknown host " + t.getMessage();
      }
    }
    for (Throwable t : chain) {
      if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
        return "timed out";
      }
      if (t instanceof SSLException) {
        return "TLS failed: " + t.getMessage();
      }
    }
    for (Throwable t : chain) {
      if (t instanceof ConnectException) {
        return t.getMessage() == null ? "connection refused" : t.getMessage();
      }
    }
    Throwable root = chain.get(chain.size() - 1);
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
