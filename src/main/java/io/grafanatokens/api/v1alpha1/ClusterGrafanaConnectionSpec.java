package io.grafanatokens.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * A connection for tokens of many namespaces: its credentials Secrets live in the operator's own
 * namespace, where tenants cannot read them, and its selector says which namespaces may use it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
// metav1.LabelSelector's rules: the API server checks them on built-in kinds, not inside a custom
// resource
@ValidationRule(
    value =
        "!has(self.namespaceSelector) || !has(self.namespaceSelector.matchExpressions) "
            + "|| self.namespaceSelector.matchExpressions.all(e, has(e.key) && e.key != '' && has(e.operator) "
            + "&& e.operator in ['In', 'NotIn', 'Exists', 'DoesNotExist'])",
    message =
        "spec.namespaceSelector.matchExpressions: each needs a key and an operator of In, NotIn, Exists, "
            + "DoesNotExist")
@ValidationRule(
    value =
        "!has(self.namespaceSelector) || !has(self.namespaceSelector.matchExpressions) "
            + "|| self.namespaceSelector.matchExpressions.all(e, !has(e.operator) || !(e.operator in ['In', 'NotIn']) "
            + "|| (has(e.values) && size(e.values) > 0))",
    message = "spec.namespaceSelector.matchExpressions: values must be non-empty with In and NotIn")
@ValidationRule(
    value =
        "!has(self.namespaceSelector) || !has(self.namespaceSelector.matchExpressions) "
            + "|| self.namespaceSelector.matchExpressions.all(e, !has(e.operator) || e.operator in ['In', 'NotIn'] "
            + "|| !has(e.values) || size(e.values) == 0)",
    message =
        "spec.namespaceSelector.matchExpressions: values must be absent with Exists and DoesNotExist")
public class ClusterGrafanaConnectionSpec extends GrafanaConnectionSpec {
  @JsonPropertyDescription(
      "The namespaces whose tokens may use this connection (a label selector on the "
          + "Namespace); absent or {} admits every namespace.")
  private LabelSelector namespaceSelector;

  public LabelSelector getNamespaceSelector() {
    return namespaceSelector;
  }

  public void setNamespaceSelector(LabelSelector namespaceSelector) {
    this.namespaceSelector = namespaceSelector;
  }
}
