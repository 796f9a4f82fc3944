package io.grafanatokens.secret;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What the operator last put on the Secret from spec.secret, so that what the user removes from the
 * spec is removed from the Secret and nothing others put there is touched.
 *
 * @param key the data key holding the token
 * @param urlKey the data key holding the base URL, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AppliedMetadata(
    List<String> labels, List<String> annotations, String key, String urlKey) {
  public static final AppliedMetadata NONE = new AppliedMetadata(List.of(), List.of(), null, null);

  public AppliedMetadata {
    labels = labels == null ? List.of() : List.copyOf(labels);
    annotations = annotations == null ? List.of() : List.copyOf(annotations);
  }
}
