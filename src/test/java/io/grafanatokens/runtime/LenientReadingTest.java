package io.grafanatokens.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** The operator's serialization: what it reads of an object and what it writes back. */
class LenientReadingTest {
  private static final KubernetesSerialization SERIALIZATION = LenientReading.serialization();

  /** A Secret as a real API server returns it, managedFields included. */
  private static final String SECRET =
      """
      {"apiVersion": "v1", "kind": "Secret",
       "metadata": {"name": "ci", "namespace": "team-a", "resourceVersion": "42",
         "annotations": {"grafanatokens.io/token-id": "7"},
         "managedFields": [
           {"manager": "grafana-token-operator", "operation": "Update", "apiVersion": "v1",
            "time": "2026-12-01T10:00:00Z", "fieldsType": "FieldsV1",
            "fieldsV1": {"f:data": {".": {}, "f:token": {}},
                         "f:metadata": {"f:annotations": {".": {}, "f:grafanatokens.io/token-id": {}}}}},
           {"manager": "kubectl-edit", "operation": "Update", "apiVersion": "v1",
            "time": "2026-12-01T10:05:00Z", "fieldsType": "FieldsV1",
            "fieldsV1": {"f:metadata": {"f:labels": {"f:team": {}}}}}]},
       "type": "Opaque", "data": {"token": "a2V5"}}
      """;

  @Test
  void managedFieldsAreNotReadAndEverythingElseIs() {
    Secret s = SERIALIZATION.unmarshal(SECRET, Secret.class);

    assertThat(s.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(s.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(s.getMetadata().getAnnotations()).containsEntry("grafanatokens.io/token-id", "7");
    assertThat(s.getMetadata().getAdditionalProperties()).doesNotContainKey("managedFields");
    assertThat(s.getData()).containsEntry("token", "a2V5");
  }

  @Test
  void repeatedValuesShareOneStringButKeysAreNeverKept() {
    Secret a = SERIALIZATION.unmarshal(SECRET, Secret.class);
    Secret b = SERIALIZATION.unmarshal(SECRET.replace("\"ci\"", "\"other\""), Secret.class);

    assertThat(b.getMetadata().getName()).isEqualTo("other");
    assertThat(b.getMetadata().getNamespace()).isSameAs(a.getMetadata().getNamespace());
    assertThat(b.getMetadata().getAnnotations().get("grafanatokens.io/token-id"))
        .isSameAs(a.getMetadata().getAnnotations().get("grafanatokens.io/token-id"));
    assertThat(b.getData().get("token"))
        .as("a key is not held by the table after its Secret is gone")
        .isEqualTo(a.getData().get("token"))
        .isNotSameAs(a.getData().get("token"));
  }

  @Test
  void writesCarryNoManagedFieldsSoTheServerKeepsItsOwn() {
    Secret s = new KubernetesSerialization().unmarshal(SECRET, Secret.class);
    assertThat(s.getMetadata().getManagedFields()).as("fabric8's default reads them").hasSize(2);

    assertThat(SERIALIZATION.asJson(s)).doesNotContain("managedFields").contains("\"42\"");
  }
}
