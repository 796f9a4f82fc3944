package io.grafanatokens.reconcile;

import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.provider.ProviderKind;
import io.grafanatokens.provider.TokenProvider;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The providers wired in main, by kind. Built once; no global state. */
public final class ProviderRegistry {
  private final Map<ProviderKind, TokenProvider> providers = new EnumMap<>(ProviderKind.class);

  public ProviderRegistry(List<TokenProvider> providers) {
    providers.forEach(p -> this.providers.put(p.kind(), p));
  }

  public Optional<TokenProvider> forKind(ProviderKind kind) {
    return Optional.ofNullable(providers.get(kind));
  }

  /** The kind named by the spec's single provider block (the spec has been validated). */
  public static ProviderKind kindOf(GrafanaServiceAccountTokenSpec spec) {
    if (spec.getGrafana() != null) {
      return ProviderKind.GRAFANA;
    }
    if (spec.getAmazonManagedGrafana() != null) {
      return ProviderKind.AMAZON_MANAGED_GRAFANA;
    }
    return ProviderKind.YANDEX_CLOUD;
  }
}
