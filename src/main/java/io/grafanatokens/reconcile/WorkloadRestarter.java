package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.api.v1alpha1.RestartTarget;
import io.grafanatokens.observability.EventEmitter;
import io.grafanatokens.observability.EventEmitter.Type;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rollout-restarts the workloads that read the key from an environment variable or a subPath mount
 * (they never see a Secret update) by setting a pod-template annotation, as {@code kubectl rollout
 * restart} does. A missing workload is a Warning, not a failed restart.
 */
final class WorkloadRestarter {
  static final String RESTARTED_AT = "grafanatokens.io/restartedAt";

  private static final Logger LOG = LoggerFactory.getLogger(WorkloadRestarter.class);

  private final KubernetesClient client;
  private final EventEmitter events;

  WorkloadRestarter(KubernetesClient client, EventEmitter events) {
    this.client = client;
    this.events = events;
  }

  /**
   * Restarts every target. True when each was restarted or does not exist; false when a patch
   * failed and the restart must be tried again.
   *
   * @param warn emits a throttled Warning event (reason, message)
   */
  boolean restart(GrafanaServiceAccountToken r, Instant now, BiConsumer<String, String> warn) {
    List<RestartTarget> targets = r.getSpec().getRestartTargets();
    if (targets == null || targets.isEmpty()) {
      return true;
    }
    String ns = r.getMetadata().getNamespace();
    String patch =
        "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\""
            + RESTARTED_AT
            + "\":\""
            + now.truncatedTo(ChronoUnit.SECONDS)
            + "\"}}}}}";
    boolean allDone = true;
    for (RestartTarget t : targets) {
      String what = t.getKind() + "/" + t.getName();
      try {
        // resource(stub), not withName(): withName(..).patch(..) reads the object first, which
        // would need get on workloads; the patch alone needs only patch (deploy/ RBAC)
        ObjectMeta meta = new ObjectMetaBuilder().withName(t.getName()).withNamespace(ns).build();
        var resource =
            switch (t.getKind()) {
              case "StatefulSet" ->
                  client
                      .apps()
                      .statefulSets()
                      .resource(new StatefulSetBuilder().withMetadata(meta).build());
              case "DaemonSet" ->
                  client
                      .apps()
                      .daemonSets()
                      .resource(new DaemonSetBuilder().withMetadata(meta).build());
              default ->
                  client
                      .apps()
                      .deployments()
                      .resource(new DeploymentBuilder().withMetadata(meta).build());
            };
        resource.patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        events.emit(r, Type.Normal, Reasons.RESTARTED, "Restarted " + what + " for the new key");
        LOG.info("{}/{}: restarted {}", ns, r.getMetadata().getName(), what);
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          warn.accept(Reasons.RESTART_TARGET_NOT_FOUND, "restart target " + what + " not found");
          LOG.warn("{}/{}: restart target {} not found", ns, r.getMetadata().getName(), what);
        } else {
          allDone = false;
          warn.accept(
              Reasons.RESTART_FAILED,
              "restart target "
                  + what
                  + " could not be patched ("
                  + e.getCode()
                  + "); the restart is tried again and previous tokens are kept until it is done");
          LOG.warn(
              "{}/{}: restart target {} could not be patched ({})",
              ns,
              r.getMetadata().getName(),
              what,
              e.getCode());
        }
      }
    }
    return allDone;
  }
}
