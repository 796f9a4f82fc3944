package io.grafanatokens.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Grafana credentials: bearer when the Secret has tokenKey, else basic auth. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class CredentialsSecretRef {
  public static final String DEFAULT_TOKEN_KEY = "token";
  public static final String DEFAULT_USERNAME_KEY = "username";
  public static final String DEFAULT_PASSWORD_KEY = "password";

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of a Secret in the same namespace as this resource.")
  private String name;

  @Default(DEFAULT_TOKEN_KEY)
  @JsonPropertyDescription("Data key of a bearer token (a service-account token); default token.")
  private String tokenKey;

  @Default(DEFAULT_USERNAME_KEY)
  @JsonPropertyDescription("Data key of the basic-auth username; default username.")
  private String usernameKey;

  @Default(DEFAULT_PASSWORD_KEY)
  @JsonPropertyDescription("Data key of the basic-auth password; default password.")
  private String passwordKey;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getTokenKey() {
    return tokenKey;
  }

  public void setTokenKey(String tokenKey) {
    this.tokenKey = tokenKey;
  }

  public String getUsernameKey() {
    return usernameKey;
  }

  public void setUsernameKey(String usernameKey) {
    this.usernameKey = usernameKey;
  }

  public String getPasswordKey() {
    return passwordKey;
  }

  public void setPasswordKey(String passwordKey) {
    this.passwordKey = passwordKey;
  }
}
