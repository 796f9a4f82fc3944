package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.grafanatokens.api.v1alpha1.AmazonManagedGrafanaProvider;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.reconcile.policy.SpecValidator;
import io.grafanatokens.reconcile.policy.Violation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator's own checks of an amazonManagedGrafana spec, before any AWS call
 * (docs/reference.md#validation).
 */
class AmgSpecValidationTest {

  private static GrafanaServiceAccountTokenSpec spec(
      String workspaceId, String region, String serviceAccountId) {
    AmazonManagedGrafanaProvider amg = new AmazonManagedGrafanaProvider();
    amg.setWorkspaceId(workspaceId);
    amg.setRegion(region);
    amg.setServiceAccountId(serviceAccountId);
    GrafanaServiceAccountTokenSpec spec = new GrafanaServiceAccountTokenSpec();
    spec.setAmazonManagedGrafana(amg);
    return spec;
  }

  private static List<String> fields(GrafanaServiceAccountTokenSpec spec) {
    return SpecValidator.validate(spec).stream().map(Violation::toString).toList();
  }

  @Test
  void secondsToLiveIsCappedAtAmgsThirtyDays() {
    GrafanaServiceAccountTokenSpec ok = spec("g-0123456789", "eu-west-1", "3");
    ok.setSecondsToLive(2_592_000L);
    assertThat(SpecValidator.validate(ok)).isEmpty();
    GrafanaServiceAccountTokenSpec tooLong = spec("g-0123456789", "eu-west-1", "3");
    tooLong.setSecondsToLive(2_592_001L);
    assertThat(fields(tooLong))
        .singleElement()
        .asString()
        .contains("spec.secondsToLive")
        .contains("2592000")
        .contains("30 days");
  }

  @Test
  void workspaceRegionAndServiceAccountAreChecked() {
    assertThat(fields(spec("g-NOTHEX", " ", null)))
        .hasSize(3)
        .anySatisfy(
            v ->
                assertThat(v)
                    .contains("spec.amazonManagedGrafana.workspaceId")
                    .contains("^g-[0-9a-f]{10}$"))
        .anySatisfy(v -> assertThat(v).contains("spec.amazonManagedGrafana.region"))
        .anySatisfy(v -> assertThat(v).contains("spec.amazonManagedGrafana.serviceAccountId"));
  }

  @Test
  void theDeployedExampleIsValid() throws Exception {
    String yaml = Files.readString(Path.of("deploy/examples/amg-token.yaml"));
    String resource =
        Arrays.stream(yaml.split("\n---\n"))
            .filter(d -> d.contains("kind: GrafanaServiceAccountToken"))
            .findFirst()
            .orElseThrow();
    GrafanaServiceAccountToken r =
        Serialization.unmarshal(resource, GrafanaServiceAccountToken.class);
    assertThat(SpecValidator.validate(r.getSpec())).isEmpty();
    assertThat(r.getSpec().getAmazonManagedGrafana().getCredentialsSecretRef().getName())
        .isEqualTo("aws-creds");
  }
}
