package io.grafanatokens.reconcile;

import io.grafanatokens.api.v1alpha1.ClusterGrafanaConnection;
import io.grafanatokens.api.v1alpha1.GrafanaConnection;
import io.grafanatokens.api.v1alpha1.GrafanaConnectionStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The connections' own controllers: status only (Ready, provider, target, tokens), no finalizer, no
 * token minted. They share the token controller's credentials reads, 401 gate and token index.
 */
public final class ConnectionControllers {
  /** How often the tokens count is brought up to date when nothing else happens. */
  static final Duration RECOUNT = Duration.ofSeconds(10);

  /** What a connection pass needs. */
  public record Deps(
      ProviderRegistry providers,
      Shared shared,
      Clock clock,
      Predicate<String> ambientAllowed,
      Duration tokenCheckInterval,
      String operatorNamespace) {}

  private ConnectionControllers() {}

  /** GrafanaConnection: usable from its own namespace, its Secrets read there. */
  @ControllerConfiguration(name = "grafanaconnection")
  public static final class Namespaced implements Reconciler<GrafanaConnection> {
    private final Deps deps;
    private final Map<String, ConnectionPass.Probe> probes = new ConcurrentHashMap<>();

    public Namespaced(Deps deps) {
      this.deps = deps;
    }

    @Override
    public UpdateControl<GrafanaConnection> reconcile(
        GrafanaConnection c, Context<GrafanaConnection> context) {
      GrafanaConnectionStatus next =
          new ConnectionPass(deps, c, c.getSpec(), false, probes).run(c.getStatus());
      return control(c, next);
    }
  }

  /**
   * ClusterGrafanaConnection: Secrets in the operator's namespace, used from the namespaces its
   * selector admits.
   */
  @ControllerConfiguration(name = "clustergrafanaconnection")
  public static final class Cluster implements Reconciler<ClusterGrafanaConnection> {
    private final Deps deps;
    private final Map<String, ConnectionPass.Probe> probes = new ConcurrentHashMap<>();

    public Cluster(Deps deps) {
      this.deps = deps;
    }

    @Override
    public UpdateControl<ClusterGrafanaConnection> reconcile(
        ClusterGrafanaConnection c, Context<ClusterGrafanaConnection> context) {
      GrafanaConnectionStatus next =
          new ConnectionPass(deps, c, c.getSpec(), true, probes).run(c.getStatus());
      return control(c, next);
    }
  }

  private static <C extends io.fabric8.kubernetes.client.CustomResource<?, GrafanaConnectionStatus>>
      UpdateControl<C> control(C c, GrafanaConnectionStatus next) {
    UpdateControl<C> control;
    if (Objects.equals(next, c.getStatus())) {
      control = UpdateControl.noUpdate();
    } else {
      c.setStatus(next);
      control = UpdateControl.patchStatus(c);
    }
    return control.rescheduleAfter(RECOUNT.toMillis());
  }
}
