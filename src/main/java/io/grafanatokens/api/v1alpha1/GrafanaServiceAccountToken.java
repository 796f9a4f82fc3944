package io.grafanatokens.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A Grafana service-account token that the operator keeps alive in a Kubernetes Secret. */
@Group(GrafanaServiceAccountToken.GROUP)
@Version(GrafanaServiceAccountToken.VERSION)
@ShortNames("gsat")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Secret",
    jsonPath = ".status.secretName",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Expires",
    jsonPath = ".status.expiresAt",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Renewal",
    jsonPath = ".status.renewalTime",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@JsonIgnoreProperties(ignoreUnknown = true)
public class GrafanaServiceAccountToken
    extends CustomResource<GrafanaServiceAccountTokenSpec, GrafanaServiceAccountTokenStatus>
    implements Namespaced {
  public static final String GROUP = "grafanatokens.io";
  public static final String VERSION = "v1alpha1";

  @Override
  @Required
  public GrafanaServiceAccountTokenSpec getSpec() {
    return super.getSpec();
  }
}
