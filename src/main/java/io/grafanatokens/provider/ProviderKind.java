package io.grafanatokens.provider;

/** The providers of docs/reference.md#token-spec-fields, by the name of their spec block. */
public enum ProviderKind {
  GRAFANA("grafana"),
  AMAZON_MANAGED_GRAFANA("amazonManagedGrafana"),
  YANDEX_CLOUD("yandexCloud");

  private final String specName;

  ProviderKind(String specName) {
    this.specName = specName;
  }

  /** The spec block and status.provider value. */
  public String specName() {
    return specName;
  }
}
