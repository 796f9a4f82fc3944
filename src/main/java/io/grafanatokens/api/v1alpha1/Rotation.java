package io.grafanatokens.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Rotation timing. Durations are Go-style (s, m, h), e.g. 90s, 1h30m. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class Rotation {
  /** The duration grammar shared by the schema, CEL's duration() and the Java parser. */
  public static final String DURATION_PATTERN = "^([0-9]+[hms])+$";

  @JsonPropertyDescription(
      "How long before expiry the token is renewed; > 0; default one third of the granted lifetime.")
  @Pattern(DURATION_PATTERN)
  @Size(max = 32)
  @ValidationRule(
      value = "duration(self) > duration('0s')",
      message = "spec.rotation.renewBefore must be greater than 0")
  private String renewBefore;

  @JsonPropertyDescription(
      "How long the previous key stays valid after the Secret holds the new one; default 10m, or "
          + "half of renewBefore when shorter; 0s revokes at once.")
  @Pattern(DURATION_PATTERN)
  @Size(max = 32)
  private String gracePeriod;

  public String getRenewBefore() {
    return renewBefore;
  }

  public void setRenewBefore(String renewBefore) {
    this.renewBefore = renewBefore;
  }

  public String getGracePeriod() {
    return gracePeriod;
  }

  public void setGracePeriod(String gracePeriod) {
    this.gracePeriod = gracePeriod;
  }
}
