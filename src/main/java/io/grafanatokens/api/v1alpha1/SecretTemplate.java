package io.grafanatokens.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** The Secret the key is written to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.urlKey) || self.urlKey == '' || self.urlKey != (has(self.key) ? self.key : 'token')",
    message = "spec.secret.urlKey must differ from spec.secret.key")
@JsonIgnoreProperties(ignoreUnknown = true)
public class SecretTemplate {
  public static final String DEFAULT_KEY = "token";

  @JsonPropertyDescription("Secret name; default metadata.name. A DNS subdomain.")
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  @Size(max = 253)
  private String name;

  @Default(DEFAULT_KEY)
  @JsonPropertyDescription("Data key holding the token; default token.")
  @Pattern("^[-._a-zA-Z0-9]+$")
  @Size(max = 253)
  private String key;

  @JsonPropertyDescription("Optional data key that also receives the provider's base URL.")
  @Pattern("^[-._a-zA-Z0-9]*$")
  @Size(max = 253)
  private String urlKey;

  @JsonPropertyDescription("Labels copied onto the Secret.")
  @ValidationRule(
      value = "!('app.kubernetes.io/managed-by' in self)",
      message = "spec.secret.labels may not set app.kubernetes.io/managed-by")
  private Map<String, String> labels;

  @JsonPropertyDescription("Annotations copied onto the Secret.")
  @ValidationRule(
      value = "self.all(k, !k.startsWith('grafanatokens.io/'))",
      message = "spec.secret.annotations may not set keys under grafanatokens.io/")
  private Map<String, String> annotations;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public String getUrlKey() {
    return urlKey;
  }

  public void setUrlKey(String urlKey) {
    this.urlKey = urlKey;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }
}
